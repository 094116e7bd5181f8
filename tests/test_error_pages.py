"""Error pages: 403, 404 and 500 in the product's layout and language, each with a way back (issue 9).

DEBUG is off in the test profile, so the client sees what a user sees, not Django's debug pages. The product
speaks Chinese by default (the conftest's English is switched off here).
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse

from creditportal.urls import urlpatterns as portal_urlpatterns


def _refused(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    *portal_urlpatterns,
    path("test-errors/403/", _refused),
    path("test-errors/500/", _broken),
]


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.DEBUG = False


@pytest.mark.django_db
def test_404_is_a_chinese_page_in_the_layout_with_a_way_back(client, caseworker_a):
    client.force_login(caseworker_a)
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="zh-hans">' in html
    assert "页面不存在，或不在您的职责范围内" in html
    assert 'class="navbar' in html  # the product's layout, with its navigation
    assert f'href="{reverse("dashboard")}"' in html and "返回工作台" in html
    assert "Not Found" not in html and "Page not found" not in html


@pytest.mark.django_db
def test_404_for_a_visitor_offers_the_login(client):
    html = client.get("/no-such-page/").content.decode()
    assert f'href="{reverse("login")}"' in html and "登录" in html


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_403_is_a_chinese_page_in_the_layout_with_a_way_back(client, caseworker_a):
    client.force_login(caseworker_a)
    response = client.get("/test-errors/403/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "您无权进行此操作" in html and "返回工作台" in html
    assert 'class="navbar' in html
    assert "403 Forbidden" not in html and "Forbidden" not in html


@pytest.mark.django_db
def test_a_case_view_refused_to_a_system_administrator_reads_in_chinese(client, sysadmin):
    """The application's case views answer 403 to system roles (R-SEC-6): the page says so in Chinese."""
    client.force_login(sysadmin)
    response = client.get(reverse("subject_list"))
    assert response.status_code == 403
    assert "您无权进行此操作" in response.content.decode()


@pytest.mark.urls("tests.test_error_pages")
def test_500_is_a_standalone_chinese_page_with_a_way_back(client):
    """No database, no session, no context processor: the page must render when those are what failed."""
    client.raise_request_exception = False
    response = client.get("/test-errors/500/")
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="zh-hans">' in html
    assert "系统出现故障" in html and 'href="/"' in html and "返回工作台" in html
    assert "Server Error" not in html


def test_english_users_get_the_error_pages_in_english(client):
    client.cookies["django_language"] = "en"
    html = client.get("/no-such-page/").content.decode()
    assert "This page does not exist, or is not in your scope" in html


@pytest.mark.django_db
def test_a_stale_form_token_gets_a_chinese_page_with_a_way_back(caseworker_a):
    """The CSRF refusal is the product's page, not Django's English "403 Forbidden"."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker_a, backend="creditportal.permissions.RoleBackend")
    response = client.post(reverse("subject_create"), {"name": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "表单已过期" in html and "Forbidden" not in html and 'href="/"' in html
