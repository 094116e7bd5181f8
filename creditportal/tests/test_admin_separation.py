"""R-SEC-6, issue 21: the three administrators are separated. Accounts are administered, never taken over: no
administrator sets another administrator's password, deactivates, demotes or edits him (nor his own account), or
makes an administrator; login records and audit events are read-only for everyone; a password the security
administrator sets is changed by its user at the next login; every admin change is an audit event with its reason.
"""

import datetime
import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from creditportal import accounts
from creditportal.audit import record_event, system_user
from creditportal.choices import SystemRole
from creditportal.models import AuditEvent, CalendarDay, CalendarYear, Department, JurisdictionProfile, User
from creditportal.tests.admin_pages import says_why
from creditportal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
NEW_PASSWORD = "Tide-lantern-Orchid-2026"
ADMIN_ROLES = [SystemRole.SYSTEM_ADMIN, SystemRole.SECURITY_ADMIN, SystemRole.AUDIT_ADMIN]


@pytest.fixture
def administrators(db):
    """One account of each system role, by role."""
    return {role: UserFactory(username=str(role), system_role=role, is_staff=True) for role in ADMIN_ROLES}


def _accounts():
    """Everything an act on an account could change, and the trail it would leave."""
    return (
        sorted(User.objects.values_list("username", "system_role", "is_active", "is_staff", "password")),
        User.history.count(),
        AuditEvent.objects.filter(action__startswith="creditportal.user.").count(),
    )


def _change_form(user, **changes):
    """The user change page's POST, as the page shows the account, with ``changes``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "system_role": user.system_role,
        "change_reason": "Account review",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def _password_form(reason="Forgot it, called the help desk"):
    return {
        "usable_password": "true",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "change_reason": reason,
        "set-password": "1",
    }


ACTS = {
    "password": lambda target: (reverse("admin:auth_user_password_change", args=[target.pk]), _password_form()),
    "deactivate": lambda target: (
        reverse("admin:creditportal_user_change", args=[target.pk]),
        _change_form(target, is_active=""),
    ),
    "demote": lambda target: (
        reverse("admin:creditportal_user_change", args=[target.pk]),
        _change_form(target, system_role=""),
    ),
    "unstaff": lambda target: (
        reverse("admin:creditportal_user_change", args=[target.pk]),
        _change_form(target, is_staff=""),
    ),
    "rename": lambda target: (
        reverse("admin:creditportal_user_change", args=[target.pk]),
        _change_form(target, first_name="Mallory"),
    ),
}


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("target_role", ADMIN_ROLES)
@pytest.mark.parametrize("actor_role", ADMIN_ROLES)
def test_r_sec_6_no_administrator_acts_on_an_administrators_account(
    client, administrators, actor_role, target_role, act
):
    """The matrix: each of the three administrators, on each one's account (his own included), through the admin's
    pages. The security administrator, who runs accounts, is refused with the reason; the other two may not change
    accounts at all. Nothing is saved either way."""
    actor, target = administrators[actor_role], administrators[target_role]
    client.force_login(actor)
    before = _accounts()
    url, data = ACTS[act](target)
    response = client.post(url, data, follow=True)
    assert _accounts() == before
    assert check_password(PASSWORD, User.objects.get(pk=target.pk).password)
    if actor_role == SystemRole.SECURITY_ADMIN:
        assert response.status_code == 200
        assert says_why(response.content.decode())
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ADMIN_ROLES)
@pytest.mark.parametrize("actor_role", ADMIN_ROLES)
def test_r_sec_6_no_administrator_creates_an_administrator(client, administrators, actor_role, role):
    """Administrator accounts are made by the operator at the console (``manage.py set_system_role``), never in
    the admin: not with a new account, not by promoting a case user's."""
    plain = UserFactory(username="plain")
    client.force_login(administrators[actor_role])
    before = _accounts()
    created = client.post(
        reverse("admin:creditportal_user_add"),
        {
            "username": "newadmin",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "system_role": role,
            "is_staff": "on",
            "change_reason": "New administrator",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    promoted = client.post(
        reverse("admin:creditportal_user_change", args=[plain.pk]), _change_form(plain, system_role=role)
    )
    assert _accounts() == before
    assert not User.objects.filter(username="newadmin").exists()
    for response in (created, promoted):
        if actor_role == SystemRole.SECURITY_ADMIN:
            assert response.status_code == 200 and says_why(response.content.decode())
        else:
            assert response.status_code == 403


def test_r_sec_6_the_system_account_is_nobodys_to_take_over(client, administrators):
    """The account sweeps act as has no password: nobody gives it one in the admin and logs in as it."""
    system = system_user()
    client.force_login(administrators[SystemRole.SECURITY_ADMIN])
    response = client.post(reverse("admin:auth_user_password_change", args=[system.pk]), _password_form(), follow=True)
    assert says_why(response.content.decode())
    assert not User.objects.get(pk=system.pk).has_usable_password()


def test_r_sec_6_an_administrators_account_reads_without_inputs(client, administrators):
    """Before anyone types: the audit administrator's account is shown read-only, with the reason."""
    client.force_login(administrators[SystemRole.SECURITY_ADMIN])
    target = administrators[SystemRole.AUDIT_ADMIN]
    html = client.get(reverse("admin:creditportal_user_change", args=[target.pk])).content.decode()
    assert says_why(html)
    for field in ("is_active", "is_staff", "system_role", "first_name"):
        assert f'name="{field}"' not in html


def test_r_sec_6_the_services_refuse_without_any_form(administrators):
    """The admin only shows the refusal: the services refuse on their own."""
    secadmin, auditadmin = administrators[SystemRole.SECURITY_ADMIN], administrators[SystemRole.AUDIT_ADMIN]
    with pytest.raises(PermissionDenied, match="R-SEC-6"):
        accounts.user_password_reset(user=auditadmin, raw_password=NEW_PASSWORD, actor=secadmin, reason="x")
    auditadmin.is_active = False
    with pytest.raises(PermissionDenied, match="R-SEC-6"):
        accounts.user_save(user=auditadmin, actor=secadmin, reason="x", changed=["is_active"])
    with pytest.raises(PermissionDenied, match="R-SEC-6"):
        accounts.user_save(user=User(username="x", system_role=SystemRole.AUDIT_ADMIN), actor=secadmin, reason="x")
    stored = User.objects.get(pk=auditadmin.pk)
    assert stored.is_active and check_password(PASSWORD, stored.password)


# --- A password set by the security administrator is changed at the next login ----------------------------------


def test_r_sec_6_a_password_reset_forces_a_change_at_the_next_login(client, administrators, caseworker_a):
    secadmin = administrators[SystemRole.SECURITY_ADMIN]
    client.force_login(secadmin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[caseworker_a.pk]), _password_form("Locked out, phoned in")
    )
    assert response.status_code == 302
    caseworker_a.refresh_from_db()
    assert caseworker_a.must_change_password and check_password(NEW_PASSWORD, caseworker_a.password)
    event = AuditEvent.objects.get(action="creditportal.user.password_reset")
    assert (event.actor, event.object_id, event.reason) == (secadmin, str(caseworker_a.pk), "Locked out, phoned in")

    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "caseworker_a", "password": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_change")
    assert "The security administrator set your password" in response.content.decode()
    assert client.get(reverse("subject_list")).url == reverse("password_change")  # nothing else until changed

    response = client.post(
        reverse("password_change"),
        {
            "old_password": NEW_PASSWORD,
            "new_password1": "Harbour-kite-7-Quince",
            "new_password2": "Harbour-kite-7-Quince",
        },
    )
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    caseworker_a.refresh_from_db()
    assert not caseworker_a.must_change_password and check_password("Harbour-kite-7-Quince", caseworker_a.password)
    assert AuditEvent.objects.filter(action="creditportal.user.password_changed", actor=caseworker_a).exists()
    assert client.get(reverse("subject_list")).status_code == 200


def test_r_sec_6_a_new_account_changes_its_first_password(client, administrators):
    secadmin = administrators[SystemRole.SECURITY_ADMIN]
    client.force_login(secadmin)
    response = client.post(
        reverse("admin:creditportal_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "system_role": "",
            "change_reason": "Joined the bureau",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.must_change_password and not newcomer.system_role
    event = AuditEvent.objects.get(action="creditportal.user.created")
    assert (event.actor, event.object_id, event.reason) == (secadmin, str(newcomer.pk), "Joined the bureau")


def test_r_sec_6_the_admins_password_page_is_the_one_that_records(client, administrators):
    """An administrator changes his own password on the portal's page (recorded), not the admin's own."""
    client.force_login(administrators[SystemRole.AUDIT_ADMIN])
    assert client.get(reverse("admin:password_change")).url == reverse("password_change")


# --- Login records and audit events: read, never changed -------------------------------------------------------


@pytest.fixture
def records(caseworker_a):
    now = timezone.now()
    attempt = AccessAttempt.objects.create(
        username="secadmin", ip_address="10.0.0.9", user_agent="x", path_info="/accounts/login/",
        failures_since_start=5, attempt_time=now, get_data="", post_data="", http_accept="*/*",
    )  # fmt: skip
    log = AccessLog.objects.create(
        username="secadmin", ip_address="10.0.0.9", user_agent="x", path_info="/accounts/login/", attempt_time=now
    )
    failure = AccessFailureLog.objects.create(
        username="secadmin", ip_address="10.0.0.9", user_agent="x", path_info="/accounts/login/", attempt_time=now
    )
    event = record_event(action="creditportal.user.changed", actor=caseworker_a, target=caseworker_a, reason="x")
    return [attempt, log, failure, event]


def _present(records) -> bool:
    return all(type(row).objects.filter(pk=row.pk).exists() for row in records)


@pytest.mark.parametrize("actor_role", ADMIN_ROLES)
def test_r_sec_6_login_records_and_audit_events_are_read_only_for_everyone(client, administrators, records, actor_role):
    actor = administrators[actor_role]
    client.force_login(actor)
    request = RequestFactory().get("/admin/")
    request.user = actor
    for row in records:
        model_admin = admin.site._registry[type(row)]
        opts = row._meta
        assert not model_admin.has_change_permission(request, row)
        assert not model_admin.has_delete_permission(request, row)
        assert not set(model_admin.get_actions(request)), opts.label  # no "delete selected", no "clean up"
        client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk]), {"post": "yes"})
        client.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
        )
        client.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            {"action": "cleanup_expired_attempts", "_selected_action": [row.pk]},
        )
    assert _present(records)
    # The audit administrator reads them all; the security administrator his login records but not the audit log.
    readable = {
        SystemRole.AUDIT_ADMIN: [True, True, True, True],
        SystemRole.SECURITY_ADMIN: [True, True, True, False],
        SystemRole.SYSTEM_ADMIN: [False, False, False, False],
    }[actor_role]
    for row, expected in zip(records, readable, strict=True):
        opts = row._meta
        status = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code
        assert (status == 200) == expected, (actor_role, opts.label, status)


def test_r_sec_6_an_old_version_is_restored_only_by_who_may_change_it(client, administrators, caseworker_a):
    """simple-history's "revert" page saves what it is sent: the audit administrator, who reads accounts, cannot
    post it; the security administrator cannot put an administrator's account back to an old version either."""
    auditadmin = administrators[SystemRole.AUDIT_ADMIN]
    version = caseworker_a.history.earliest("history_date")
    client.force_login(auditadmin)
    before = _accounts()
    url = reverse("admin:creditportal_user_simple_history", args=[caseworker_a.pk, version.history_id])
    assert client.post(url, _change_form(caseworker_a, is_active="")).status_code == 403
    assert _accounts() == before
    client.force_login(administrators[SystemRole.SECURITY_ADMIN])
    before = _accounts()
    old = auditadmin.history.earliest("history_date")
    url = reverse("admin:creditportal_user_simple_history", args=[auditadmin.pk, old.history_id])
    response = client.post(url, _change_form(auditadmin, is_active=""))
    assert response.status_code == 200 and says_why(response.content.decode())
    assert _accounts() == before


# --- Every admin change is an audit event with its reason --------------------------------------------------------


def _form_data(model_admin, obj, request, **changes):
    """The change page's POST for ``obj`` as the page shows it, with ``changes`` and a reason."""
    form = model_admin.get_form(request, obj, change=obj is not None)(instance=obj)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            value = "on" if value else ""
        elif isinstance(value, (dict, list)):
            value = json.dumps(value)
        elif value is None:
            value = ""
        data[name] = str(value)
    data.update(changes, change_reason="Correcting the register")
    return {key: value for key, value in data.items() if value != ""}


CHANGES = {
    "department": lambda: (Department, Department.objects.get(code="HK-SAMR"), {"name_en": "Haikou Market Bureau"}),
    "department@add": lambda: (
        Department,
        None,
        {"code": "HN-TAX", "name": "国家税务总局海南省税务局", "level": "province", "kind": "industry_regulator"},
    ),
    "jurisdictionprofile": lambda: (
        JurisdictionProfile,
        JurisdictionProfile.objects.get(code="HN"),
        {"name": "海南省 (corrected)"},
    ),
    "calendaryear@add": lambda: (CalendarYear, None, {"year": "2099", "source": "State Council notice"}),
    "calendarday@add": lambda: (CalendarDay, None, {"date": "2099-10-08", "kind": "off", "name": "National Day"}),
    "calendarday": lambda: (
        CalendarDay,
        CalendarDay.objects.create(date=datetime.date(2099, 10, 9), kind="off", name="National Day"),
        {"kind": "makeup"},
    ),
}


@pytest.mark.parametrize("case", CHANGES)
def test_r_sec_6_every_admin_change_of_reference_data_is_an_audit_event(client, sysadmin, dept_a, case):
    model, obj, changes = CHANGES[case]()
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = sysadmin
    opts = model._meta
    url = (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        if obj is not None
        else reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    )
    client.force_login(sysadmin)
    response = client.post(url, _form_data(model_admin, obj, request, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action__startswith="creditportal.admin.")
    saved = obj or model.objects.latest("pk")
    assert event.action == ("creditportal.admin.changed" if obj else "creditportal.admin.added")
    assert (event.actor, event.object_id, event.reason) == (sysadmin, str(saved.pk), "Correcting the register")
    assert set(changes) <= set(event.data["fields"])


def test_r_sec_6_a_change_to_a_case_users_account_is_an_audit_event(client, administrators, caseworker_a):
    secadmin = administrators[SystemRole.SECURITY_ADMIN]
    client.force_login(secadmin)
    response = client.post(
        reverse("admin:creditportal_user_change", args=[caseworker_a.pk]),
        {**_change_form(caseworker_a, is_active=""), "change_reason": "Left the bureau"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not User.objects.get(pk=caseworker_a.pk).is_active
    event = AuditEvent.objects.get(action="creditportal.user.changed")
    assert (event.actor, event.reason, event.data["fields"]) == (secadmin, "Left the bureau", ["is_active"])
