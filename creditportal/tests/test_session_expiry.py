"""R-SEC-6, issue 21 (GB/T 22239-2019 8.1.4.1 c: a session ends after it is left idle): a session left alone for
``PORTAL_IDLE_MINUTES`` is signed out at its next request, told why, and sent to sign in again; one in use goes on.
(A sign-in also ends ``SESSION_COOKIE_AGE`` after it began, which Django's session expiry enforces.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def idle_limit(settings):
    settings.PORTAL_IDLE_MINUTES = 30
    return 30


def _later(time_machine, minutes: int) -> None:
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=minutes), tick=True)


def test_r_sec_6_a_session_left_idle_is_signed_out_and_told_why(client, caseworker_a, idle_limit, time_machine):
    client.force_login(caseworker_a)
    assert client.get(reverse("dashboard")).status_code == 200
    _later(time_machine, 20)
    assert client.get(reverse("subject_list")).status_code == 200  # in use: goes on
    _later(time_machine, 29)
    assert client.get(reverse("dashboard")).status_code == 200  # 29 minutes after the last request
    _later(time_machine, 31)
    response = client.get(reverse("subject_list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "without activity" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302  # signed out
