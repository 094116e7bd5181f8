"""Log in, log out, and the lockout after repeated failures (django-axes)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_with_password_and_logout(client, caseworker_a):
    response = client.post(reverse("login"), {"username": "caseworker_a", "password": "correct-horse-battery-staple"})
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_wrong_password_says_so(client, caseworker_a):
    response = client.post(reverse("login"), {"username": "caseworker_a", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_five_failures_lock_the_account_with_an_explanation(client, caseworker_a):
    for _ in range(5):
        client.post(reverse("login"), {"username": "caseworker_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "caseworker_a", "password": "correct-horse-battery-staple"})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


PROXY = "10.0.1.5"


def _fail(client, address: str, *, spoofed: str = "") -> None:
    """A wrong password sent through the proxy from ``address`` (the client may have put its own header first)."""
    forwarded = f"{spoofed}, {address}" if spoofed else address
    client.post(
        reverse("login"),
        {"username": "caseworker_a", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def _locked(client, address: str) -> bool:
    response = client.post(
        reverse("login"),
        {"username": "caseworker_a", "password": "correct-horse-battery-staple"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )
    return response.status_code == 429


def test_r_sec_6_behind_the_trusted_proxy_the_lockout_is_keyed_on_the_clients_address(client, caseworker_a, settings):
    """Issue 21: behind the proxy, five wrong passwords from one address lock that address, not the user's own (the
    proxy's address is every request's socket address); a header the client forged is not read."""
    settings.TRUSTED_PROXIES = [PROXY]
    for _ in range(5):
        _fail(client, "203.0.113.9", spoofed="198.51.100.7")
    assert _locked(client, "203.0.113.9")
    assert not _locked(client, "192.0.2.44")  # the user at his own desk still logs in


def test_r_sec_6_without_a_trusted_proxy_the_header_is_not_believed(client, caseworker_a, settings):
    """Not behind a trusted proxy, X-Forwarded-For is anyone's to write: a guesser who changes it each time is
    still locked by his socket's address."""
    settings.TRUSTED_PROXIES = []
    for n in range(5):
        _fail(client, f"203.0.113.{n}")
    assert _locked(client, "192.0.2.44")


def test_dashboard_shows_the_users_department_counts(client, caseworker_a, dept_a):
    from subjects.tests.factories import PersonFactory

    for _ in range(3):
        PersonFactory(department=dept_a)
    client.force_login(caseworker_a)
    html = client.get(reverse("dashboard")).content.decode()
    assert dept_a.name_en in html
    assert "Credit subjects" in html and ">3<" in html.replace(" ", "")


@pytest.mark.parametrize("guessable", ["aaaaaaaaaaaa", "qwertyuiop12", "abcdefghijkl", "caseworker_a2026"])
def test_r_sec_6_a_guessable_password_is_refused_whatever_its_length(client, caseworker_a, settings, guessable):
    """Issue 21: "aaaaaaaaaaaa" was accepted. A password is judged by how hard it is to guess (zxcvbn), the user's
    own name included; refused in the user's language, and the old password stays."""
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(caseworker_a)
    old = "correct-horse-battery-staple"
    response = client.post(
        reverse("password_change"), {"old_password": old, "new_password1": guessable, "new_password2": guessable}
    )
    assert response.status_code == 200 and "太容易被猜到" in response.content.decode()
    caseworker_a.refresh_from_db()
    assert caseworker_a.check_password(old)
    strong = "Harbour-kite-7-Quince"
    done = client.post(
        reverse("password_change"), {"old_password": old, "new_password1": strong, "new_password2": strong}
    )
    assert done.status_code == 302
