"""The admin: for the three system roles only, every model registered, nothing deleted (R-SEC-4, R-SEC-6)."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from creditportal.choices import SystemRole
from creditportal.models import Department
from creditportal.tests.admin_pages import says_why
from creditportal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = settings.PROJECT_APPS


def _models():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def test_every_model_is_in_the_admin():
    missing = [m._meta.label for m in _models() if not admin.site.is_registered(m)]
    assert not missing


@pytest.mark.parametrize("model", list(_models()), ids=lambda m: m._meta.label_lower)
def test_the_system_administrator_opens_every_model_and_deletes_nothing(client, sysadmin, model, rf):
    client.force_login(sysadmin)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    expected = (
        403
        if model._meta.label_lower
        in {
            "creditportal.auditevent",
            "creditportal.ledgerentry",
            "creditportal.accessentry",
            "creditportal.secondfactorreset",  # the security administrators' (issue 21)
            "portal.signincode",  # the subject portal's credentials: the security administrators' (issue 22)
        }
        else 200
    )
    assert response.status_code == expected
    request = rf.get(url)
    request.user = sysadmin
    assert not admin.site._registry[model].has_delete_permission(request)


def test_a_caseworker_cannot_enter_the_admin_even_as_staff(client, caseworker_a):
    caseworker_a.is_staff = True
    caseworker_a.save()
    client.force_login(caseworker_a)
    assert client.get(reverse("admin:index")).status_code == 302


def test_system_roles_do_not_do_each_others_work(client):
    secadmin = UserFactory(username="secadmin", system_role=SystemRole.SECURITY_ADMIN, is_staff=True)
    auditadmin = UserFactory(username="auditadmin", system_role=SystemRole.AUDIT_ADMIN, is_staff=True)
    client.force_login(secadmin)
    assert client.get(reverse("admin:creditportal_user_add")).status_code == 200
    assert client.get(reverse("admin:catalog_catalogitem_changelist")).status_code == 403
    client.force_login(auditadmin)
    assert client.get(reverse("admin:creditportal_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:creditportal_user_add")).status_code == 403
    assert client.get(reverse("admin:creditportal_department_add")).status_code == 403


def test_an_admin_change_records_the_reason(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:creditportal_department_add"),
        {
            "code": "HN-TAX",
            "name": "国家税务总局海南省税务局",
            "name_en": "Hainan Tax Service",
            "document_prefix": "琼税",
            "level": "province",
            "kind": "industry_regulator",
            "is_active": "on",
            "change_reason": "New provider",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Department.objects.get(code="HN-TAX").history.get()
    assert (entry.history_user, entry.history_change_reason) == (sysadmin, "New provider")


def test_no_administrator_can_grant_superuser_or_per_user_permissions(client):
    secadmin = UserFactory(username="secadmin", system_role=SystemRole.SECURITY_ADMIN, is_staff=True)
    plain = UserFactory(username="plain")
    client.force_login(secadmin)
    html = client.get(reverse("admin:creditportal_user_change", args=[plain.pk])).content.decode()
    assert 'name="first_name"' in html  # a case user's account is edited here
    for field in ("is_superuser", "user_permissions", "groups"):
        assert f'name="{field}"' not in html


def test_the_catalog_is_read_only_in_the_admin(client, sysadmin):
    """Publication goes through the catalog pages and their four-eyes workflow (R-CAT-1)."""
    client.force_login(sysadmin)
    assert client.get(reverse("admin:catalog_catalogversion_add")).status_code == 403


# --- R-SEC-6: who may hold which role, through every admin page ---------------------------------------------

from django.core.management import call_command  # noqa: E402
from django.core.management.base import CommandError  # noqa: E402

from creditportal import accounts  # noqa: E402
from creditportal.choices import Role  # noqa: E402
from creditportal.models import AuditEvent, Membership, User  # noqa: E402


@pytest.fixture
def secadmin(db):
    return UserFactory(username="secadmin", system_role=SystemRole.SECURITY_ADMIN, is_staff=True)


@pytest.fixture
def auditadmin(db):
    return UserFactory(username="auditadmin", system_role=SystemRole.AUDIT_ADMIN, is_staff=True)


def _inline(memberships=(), new=()):
    """The membership inline's POST data: existing rows (unchanged or changed) and new rows."""
    rows = [*memberships, *new]
    data = {
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"memberships-{index}-{key}": value for key, value in row.items()})
    return data


def _user_form(user, *, system_role=None, new_memberships=()):
    existing = [
        {
            "id": str(m.pk),
            "user": str(user.pk),
            "department": str(m.department_id),
            "role": m.role,
            "is_active": "on" if m.is_active else "",
        }
        for m in user.memberships.order_by("pk")
    ]
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "system_role": user.system_role if system_role is None else system_role,
        "change_reason": "Account review",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(_inline(existing, [{"user": str(user.pk), **m} for m in new_memberships]))
    return data


def _snapshot():
    return (
        sorted(User.objects.values_list("username", "system_role")),
        sorted(Membership.objects.values_list("user__username", "department_id", "role", "is_active")),
        User.history.count(),
        Membership.history.count(),
    )


@pytest.mark.parametrize(
    ("who", "role"),
    [
        ("secadmin", SystemRole.SYSTEM_ADMIN),  # their own role
        ("secadmin", SystemRole.AUDIT_ADMIN),
        ("secadmin", ""),
        ("auditadmin", SystemRole.SYSTEM_ADMIN),  # another administrator's role
        ("auditadmin", SystemRole.SECURITY_ADMIN),
        ("auditadmin", ""),  # removing the administrator who checks their work
        ("plain", SystemRole.SECURITY_ADMIN),  # a second security administrator
    ],
)
def test_r_sec_6_the_user_page_refuses_system_roles_beyond_the_rule(client, secadmin, auditadmin, who, role):
    plain = UserFactory(username="plain")
    target = {"secadmin": secadmin, "auditadmin": auditadmin, "plain": plain}[who]
    client.force_login(secadmin)
    before = _snapshot()
    response = client.post(
        reverse("admin:creditportal_user_change", args=[target.pk]), _user_form(target, system_role=role)
    )
    assert response.status_code == 200, "refused on the form, not saved"
    assert says_why(response.content.decode())
    assert _snapshot() == before


def test_r_sec_6_the_security_administrator_promotes_no_account_to_administrator(client, secadmin):
    """Issue 21: were he to promote a plain account, he could make one and make it the audit administrator; an
    administrator's role is given at the server console only (``manage.py set_system_role``)."""
    plain = UserFactory(username="plain", is_staff=True)
    client.force_login(secadmin)
    before = _snapshot()
    response = client.post(
        reverse("admin:creditportal_user_change", args=[plain.pk]),
        _user_form(plain, system_role=SystemRole.AUDIT_ADMIN),
    )
    assert response.status_code == 200 and says_why(response.content.decode())
    assert _snapshot() == before
    plain.refresh_from_db()
    assert plain.system_role == ""


@pytest.mark.parametrize("who", ["secadmin", "auditadmin", "sysadmin"])
def test_r_sec_6_the_inline_refuses_a_department_role_for_an_administrator(
    client, secadmin, auditadmin, sysadmin, dept_a, who
):
    target = {"secadmin": secadmin, "auditadmin": auditadmin, "sysadmin": sysadmin}[who]
    client.force_login(secadmin)
    before = _snapshot()
    response = client.post(
        reverse("admin:creditportal_user_change", args=[target.pk]),
        _user_form(
            target, new_memberships=[{"department": str(dept_a.pk), "role": Role.SUPERVISOR, "is_active": "on"}]
        ),
    )
    assert response.status_code == 200 and says_why(response.content.decode())
    assert _snapshot() == before and not Membership.objects.exists()


def test_r_sec_6_a_role_and_a_membership_in_one_post_are_refused(client, secadmin, dept_a):
    """The inline is checked against the system role the same POST gives."""
    plain = UserFactory(username="plain")
    client.force_login(secadmin)
    before = _snapshot()
    response = client.post(
        reverse("admin:creditportal_user_change", args=[plain.pk]),
        _user_form(
            plain,
            system_role=SystemRole.SYSTEM_ADMIN,
            new_memberships=[{"department": str(dept_a.pk), "role": Role.HEAD, "is_active": "on"}],
        ),
    )
    assert response.status_code == 200 and says_why(response.content.decode())
    assert _snapshot() == before


def test_r_sec_6_a_caseworker_is_given_no_system_role(client, secadmin, caseworker_a):
    client.force_login(secadmin)
    before = _snapshot()
    response = client.post(
        reverse("admin:creditportal_user_change", args=[caseworker_a.pk]),
        _user_form(caseworker_a, system_role=SystemRole.SYSTEM_ADMIN),
    )
    assert response.status_code == 200 and says_why(response.content.decode())
    assert _snapshot() == before


def test_r_sec_6_the_inline_gives_a_plain_account_a_department_role(client, secadmin, dept_a):
    plain = UserFactory(username="plain")
    client.force_login(secadmin)
    response = client.post(
        reverse("admin:creditportal_user_change", args=[plain.pk]),
        _user_form(plain, new_memberships=[{"department": str(dept_a.pk), "role": Role.CASEWORKER, "is_active": "on"}]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(user=plain)
    assert membership.history.get().history_user == secadmin
    assert AuditEvent.objects.filter(action="creditportal.membership.added", actor=secadmin).exists()


def _add_form(username, role, new_memberships=()):
    return {
        "username": username,
        "usable_password": "true",
        "password1": "a-Long-pass-2026!",
        "password2": "a-Long-pass-2026!",
        "system_role": role,
        "change_reason": "New account",
        **_inline((), new_memberships),
    }


@pytest.mark.parametrize(
    ("role", "memberships", "kept"),
    [
        (SystemRole.SECURITY_ADMIN, (), False),
        (SystemRole.AUDIT_ADMIN, ({"department": "DEPT", "role": Role.CASEWORKER, "is_active": "on"},), False),
        (SystemRole.AUDIT_ADMIN, (), False),  # issue 21: administrators are made at the console only
        ("", ({"department": "DEPT", "role": Role.CASEWORKER, "is_active": "on"},), True),
    ],
)
def test_r_sec_6_the_user_add_page_obeys_the_rule(client, secadmin, dept_a, role, memberships, kept):
    client.force_login(secadmin)
    memberships = [{**m, "department": str(dept_a.pk)} for m in memberships]
    response = client.post(reverse("admin:creditportal_user_add"), _add_form("newadmin", role, memberships))
    assert User.objects.filter(username="newadmin").exists() == kept, response.content.decode()[:3000]
    if kept:
        assert User.objects.get(username="newadmin").system_role == role
        assert Membership.objects.get().user.username == "newadmin"
    else:
        assert response.status_code == 200 and says_why(response.content.decode())


@pytest.mark.parametrize("who", ["secadmin", "auditadmin"])
def test_r_sec_6_the_membership_admin_refuses_an_administrators_department_role(
    client, secadmin, auditadmin, dept_a, who
):
    target = {"secadmin": secadmin, "auditadmin": auditadmin}[who]
    client.force_login(secadmin)
    response = client.post(
        reverse("admin:creditportal_membership_add"),
        {"user": target.pk, "department": dept_a.pk, "role": Role.HEAD, "is_active": "on", "change_reason": "x"},
    )
    assert response.status_code == 200 and says_why(response.content.decode())
    assert not Membership.objects.exists()


def test_r_sec_6_the_membership_admin_cannot_move_a_role_to_an_administrator(client, secadmin, caseworker_a, dept_a):
    membership = caseworker_a.memberships.get()
    client.force_login(secadmin)
    before = _snapshot()
    response = client.post(
        reverse("admin:creditportal_membership_change", args=[membership.pk]),
        {
            "user": secadmin.pk,
            "department": dept_a.pk,
            "role": Role.SUPERVISOR,
            "is_active": "on",
            "change_reason": "x",
        },
    )
    assert response.status_code == 200 and says_why(response.content.decode())
    assert _snapshot() == before


def test_r_sec_6_the_service_enforces_the_rule_without_any_form(secadmin, auditadmin, dept_a):
    """The admin forms only show the refusal: the service refuses on its own."""
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        accounts.user_set_system_role(user=secadmin, system_role=SystemRole.SYSTEM_ADMIN, actor=secadmin, reason="x")
    with pytest.raises(PermissionDenied):
        accounts.user_set_system_role(user=auditadmin, system_role="", actor=secadmin, reason="x")
    with pytest.raises(ValidationError):
        accounts.membership_save(
            membership=Membership(user=auditadmin, department=dept_a, role=Role.HEAD), actor=secadmin, reason="x"
        )
    assert not Membership.objects.exists()
    assert User.objects.get(pk=auditadmin.pk).system_role == SystemRole.AUDIT_ADMIN


def test_r_sec_6_the_operator_changes_administrators_at_the_console(secadmin, auditadmin, caseworker_a):
    plain = UserFactory(username="plain")
    call_command("set_system_role", "plain", "security_admin", reason="Second security administrator", operator="王工")
    plain.refresh_from_db()
    assert plain.system_role == SystemRole.SECURITY_ADMIN
    assert "王工" in plain.history.order_by("-history_date").first().history_change_reason
    call_command("set_system_role", "auditadmin", "none", reason="Left the unit", operator="王工")
    assert User.objects.get(pk=auditadmin.pk).system_role == ""
    with pytest.raises(CommandError, match="R-SEC-6"):  # rule 1 holds at the console too
        call_command("set_system_role", "caseworker_a", "system_admin", reason="x", operator="王工")
