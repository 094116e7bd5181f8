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


def test_dashboard_shows_the_users_department_counts(client, caseworker_a, dept_a):
    from subjects.tests.factories import PersonFactory

    for _ in range(3):
        PersonFactory(department=dept_a)
    client.force_login(caseworker_a)
    html = client.get(reverse("dashboard")).content.decode()
    assert dept_a.name_en in html
    assert "Credit subjects" in html and ">3<" in html.replace(" ", "")
