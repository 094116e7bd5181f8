"""A case user's second factor is reset four-eyed (issue 21; GB/T 22239-2019 8.1.4.1 d; R-SEC-6): one security
administrator asks in the admin with the reason, another confirms; only then are the authenticator and recovery
codes removed, the session verified with them is no longer, and the next sign-in sets up a new factor. Nobody
confirms his own request, and no administrator's factor is reset here (the operator does, at the console)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from creditportal.choices import SystemRole
from creditportal.models import AuditEvent, SecondFactorReset
from creditportal.tests.factories import UserFactory, authenticator_code

pytestmark = pytest.mark.django_db

ADD = "admin:creditportal_secondfactorreset_add"
LIST = "admin:creditportal_secondfactorreset_changelist"


@pytest.fixture
def security_admins():
    return [
        UserFactory(username=name, system_role=SystemRole.SECURITY_ADMIN, is_staff=True)
        for name in ("secadmin", "secadmin2")
    ]


def _confirm(client, reset):
    return client.post(reverse(LIST), {"action": "confirm", "_selected_action": [reset.pk]}, follow=True)


def test_r_sec_6_a_lost_phone_is_reset_by_two_security_administrators(client, supervisor_a, security_admins):
    first, second = security_admins
    authenticator_code(supervisor_a.username)  # his phone, now lost
    StaticDevice.objects.create(user=supervisor_a, name="recovery", confirmed=True)

    client.force_login(first)
    asked = client.post(reverse(ADD), {"user": supervisor_a.pk, "reason": "手机遗失，本人书面申请"})
    assert asked.status_code == 302
    reset = SecondFactorReset.objects.get()
    assert (reset.user, reset.requested_by, reset.confirmed_at) == (supervisor_a, first, None)
    assert TOTPDevice.objects.filter(user=supervisor_a).exists()  # nothing happens on one administrator's word

    page = _confirm(client, reset).content.decode()
    assert "other than the one who asked" in page
    assert TOTPDevice.objects.filter(user=supervisor_a).exists()

    client.force_login(second)
    _confirm(client, reset)
    reset.refresh_from_db()
    assert (reset.confirmed_by, reset.confirmed_at is not None) == (second, True)
    assert not TOTPDevice.objects.filter(user=supervisor_a).exists()
    assert not StaticDevice.objects.filter(user=supervisor_a).exists()
    assert {e.action for e in AuditEvent.objects.filter(object_id=str(supervisor_a.pk))} >= {
        "creditportal.second_factor.reset_requested",
        "creditportal.second_factor.reset",
    }


def test_r_sec_6_the_next_sign_in_sets_up_a_new_factor(client, supervisor_a, security_admins):
    """After the reset, the password leads to setting up a new authenticator (the old phone's codes are gone)."""
    from django.test import Client

    from creditportal.tests.factories import PASSWORD

    first, second = security_admins
    authenticator_code(supervisor_a.username)
    client.force_login(first)
    client.post(reverse(ADD), {"user": supervisor_a.pk, "reason": "手机遗失"})
    client.force_login(second)
    _confirm(client, SecondFactorReset.objects.get())
    browser = Client()
    answer = browser.post(reverse("login"), {"username": supervisor_a.username, "password": PASSWORD})
    assert answer.status_code == 302
    assert reverse("second_factor_setup") in browser.get(answer["Location"])["Location"]


def test_r_sec_6_no_reset_for_an_administrator_or_without_a_factor_and_one_at_a_time(
    client, caseworker_a, supervisor_a, security_admins
):
    first, _second = security_admins
    auditadmin = UserFactory(username="auditadmin", system_role=SystemRole.AUDIT_ADMIN, is_staff=True)
    authenticator_code(auditadmin.username)
    authenticator_code(supervisor_a.username)
    client.force_login(first)
    form = client.get(reverse(ADD)).context["adminform"].form
    offered = set(form.fields["user"].queryset)
    assert supervisor_a in offered and auditadmin not in offered and caseworker_a not in offered

    refused = client.post(reverse(ADD), {"user": caseworker_a.pk, "reason": "x"})
    assert refused.status_code == 200 and not SecondFactorReset.objects.exists()

    client.post(reverse(ADD), {"user": supervisor_a.pk, "reason": "手机遗失"})
    again = client.post(reverse(ADD), {"user": supervisor_a.pk, "reason": "再次"})
    assert again.status_code == 200 and "already waits" in again.content.decode()
    assert SecondFactorReset.objects.count() == 1


def test_r_sec_6_only_security_administrators_reset(client, security_admins):
    for role in (SystemRole.SYSTEM_ADMIN, SystemRole.AUDIT_ADMIN):
        user = UserFactory(username=f"x-{role}", system_role=role, is_staff=True)
        client.force_login(user)
        assert client.get(reverse(ADD)).status_code == 403


def test_r_sec_6_a_request_is_withdrawn_or_goes_stale_and_then_cannot_be_confirmed(
    client, supervisor_a, security_admins, time_machine
):
    import datetime

    from django.utils import timezone

    first, second = security_admins
    authenticator_code(supervisor_a.username)
    client.force_login(first)
    client.post(reverse(ADD), {"user": supervisor_a.pk, "reason": "误提交"})
    mistaken = SecondFactorReset.objects.get()
    client.post(reverse(LIST), {"action": "withdraw", "_selected_action": [mistaken.pk]})
    mistaken.refresh_from_db()
    assert mistaken.withdrawn_by == first
    client.force_login(second)
    assert "already confirmed or withdrawn" in _confirm(client, mistaken).content.decode()
    assert TOTPDevice.objects.filter(user=supervisor_a).exists()

    client.force_login(first)
    client.post(reverse(ADD), {"user": supervisor_a.pk, "reason": "手机遗失"})  # another may be asked now
    late = SecondFactorReset.objects.get(withdrawn_at__isnull=True)
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=73))
    client.force_login(second)
    assert "older than 72 hours" in _confirm(client, late).content.decode()
    assert TOTPDevice.objects.filter(user=supervisor_a).exists()
