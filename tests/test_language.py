"""Chinese first (issue 9): the product speaks zh-hans whatever the browser sends; English is a choice that sticks.

conftest.py switches the unit tests to English; these tests put the product's default back.
"""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


@pytest.fixture(autouse=True)
def _product_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_the_product_default_is_chinese():
    from creditportal.settings import base

    assert base.LANGUAGE_CODE == "zh-hans"


def test_an_english_browser_still_gets_chinese(client):
    response = client.get(reverse("login"), **ENGLISH_BROWSER)
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "Log in to creditportal" not in html
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" not in response.get("Vary", "")


def test_a_browser_asking_for_something_else_gets_chinese(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,de;q=0.5").content.decode()
    assert '<html lang="zh-hans">' in html


def test_english_is_a_choice_that_sticks(client, caseworker_a):
    client.force_login(caseworker_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("dashboard")}, **ENGLISH_BROWSER)
    assert response.status_code == 302
    cookie = response.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 300 * 24 * 60 * 60  # kept across browser restarts, not a session cookie

    for url in (reverse("dashboard"), reverse("subject_list"), reverse("catalog_public")):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
        assert '<html lang="en">' in html, url

    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("dashboard")})
    assert '<html lang="zh-hans">' in client.get(reverse("dashboard"), **ENGLISH_BROWSER).content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "xx-unknown"
    assert '<html lang="zh-hans">' in client.get(reverse("login"), **ENGLISH_BROWSER).content.decode()


def test_a_regional_english_cookie_is_english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()
