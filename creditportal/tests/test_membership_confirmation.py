"""R-SEC-6 (issue 21): a department role the security administrator gives counts only once a head of the department
confirms it; nobody confirms his own role; another department's head cannot see it; a refusal says why; a role changed
or given again waits again; a department without a head has its first head confirmed at the console."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from creditportal import accounts
from creditportal.choices import Role, SystemRole
from creditportal.models import AuditEvent, Membership
from creditportal.tests.factories import DepartmentFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def secadmin(db):
    return UserFactory(username="secadmin", system_role=SystemRole.SECURITY_ADMIN, is_staff=True)


@pytest.fixture
def head_a(dept_a):
    return user_with_role(Role.HEAD, dept_a, username="head_a")


def _give(secadmin, user, department, role=Role.CASEWORKER) -> Membership:
    """What the security administrator does in the admin (the user page's roles, or the role page)."""
    return accounts.membership_save(
        membership=Membership(user=user, department=department, role=role), actor=secadmin, reason="新入职"
    )


def test_r_sec_6_a_role_given_in_the_admin_counts_only_once_the_head_confirms_it(client, secadmin, head_a, dept_a):
    newcomer = UserFactory(username="newcomer", first_name="李新")
    membership = _give(secadmin, newcomer, dept_a)
    assert membership.awaits_confirmation
    client.force_login(newcomer)
    assert client.get(reverse("subject_list")).status_code == 403
    assert "待部门负责人确认" in client.get(reverse("dashboard")).content.decode()

    client.force_login(head_a)
    assert "1 个岗位待您确认" in client.get(reverse("dashboard")).content.decode()
    page = client.get(reverse("membership_awaiting")).content.decode()
    assert "李新" in page and "secadmin" in page and "新入职" in page
    done = client.post(
        reverse("membership_awaiting"), {"membership": membership.pk, "decision": "confirm", "reason": "已核实"}
    )
    assert done.status_code == 302
    membership.refresh_from_db()
    assert membership.confirmed_by == head_a and membership.confirmed_at is not None
    event = AuditEvent.objects.get(action="creditportal.membership.confirmed")
    assert (event.actor, event.object_id, event.reason) == (head_a, str(newcomer.pk), "已核实")
    assert membership.history.first().history_change_reason == "已核实"

    client.force_login(newcomer)
    assert client.get(reverse("subject_list")).status_code == 200


def test_r_sec_6_nobody_confirms_his_own_role(client, secadmin, head_a, dept_a):
    membership = _give(secadmin, head_a, dept_a, role=Role.AUDITOR)
    client.force_login(head_a)
    assert "head_a" not in client.get(reverse("membership_awaiting")).content.decode().split("<main", 1)[-1]
    refused = client.post(reverse("membership_awaiting"), {"membership": membership.pk, "decision": "confirm"})
    assert refused.status_code == 200 and "本人" in refused.content.decode()
    membership.refresh_from_db()
    assert membership.awaits_confirmation


def test_r_sec_6_only_a_head_of_the_department_decides(client, secadmin, dept_a, dept_b, caseworker_a):
    membership = _give(secadmin, UserFactory(username="newcomer"), dept_a)
    head_b = user_with_role(Role.HEAD, dept_b, username="head_b")
    client.force_login(head_b)
    assert "newcomer" not in client.get(reverse("membership_awaiting")).content.decode()
    answer = client.post(reverse("membership_awaiting"), {"membership": membership.pk, "decision": "confirm"})
    assert answer.status_code == 404
    client.force_login(caseworker_a)
    assert (
        client.post(reverse("membership_awaiting"), {"membership": membership.pk, "decision": "confirm"}).status_code
        == 403
    )
    membership.refresh_from_db()
    assert membership.awaits_confirmation


def test_r_sec_6_a_refusal_says_why_and_ends_the_role(client, secadmin, head_a, dept_a):
    membership = _give(secadmin, UserFactory(username="stranger"), dept_a)
    client.force_login(head_a)
    refused = client.post(reverse("membership_awaiting"), {"membership": membership.pk, "decision": "refuse"})
    assert refused.status_code == 200 and "请说明拒绝的理由" in refused.content.decode()
    membership.refresh_from_db()
    assert membership.is_active and membership.awaits_confirmation
    client.post(
        reverse("membership_awaiting"), {"membership": membership.pk, "decision": "refuse", "reason": "并非本部门人员"}
    )
    membership.refresh_from_db()
    assert not membership.is_active and membership.confirmed_at is None
    assert AuditEvent.objects.get(action="creditportal.membership.refused").reason == "并非本部门人员"


def test_r_sec_6_a_role_changed_or_given_again_waits_again(client, secadmin, head_a, dept_a, caseworker_a):
    membership = Membership.objects.get(user=caseworker_a)
    membership.role = Role.SUPERVISOR
    accounts.membership_save(membership=membership, actor=secadmin, reason="升任")
    client.force_login(caseworker_a)
    assert client.get(reverse("subject_list")).status_code == 403
    accounts.membership_confirm(membership=membership, actor=head_a)
    membership.is_active = False
    accounts.membership_save(membership=membership, actor=secadmin, reason="调离")
    membership.refresh_from_db()
    assert membership.confirmed_at is not None  # ending a role takes effect at once, nothing to confirm
    membership.is_active = True
    accounts.membership_save(membership=membership, actor=secadmin, reason="调回")
    membership.refresh_from_db()
    assert membership.awaits_confirmation


def test_r_sec_6_a_departments_first_head_is_confirmed_at_the_console(secadmin, dept_a, head_a):
    lonely = DepartmentFactory(code="NEW-DEPT", name="新设局")
    first_head = UserFactory(username="first_head")
    _give(secadmin, first_head, lonely, role=Role.HEAD)
    call_command("confirm_role", "first_head", "NEW-DEPT", "head", reason="任命文件", operator="王工")
    assert Membership.objects.get(user=first_head).confirmed_at is not None
    # where the department has a head, the head confirms, not the console
    _give(secadmin, UserFactory(username="second"), dept_a)
    with pytest.raises(CommandError, match="负责人"):
        call_command("confirm_role", "second", dept_a.code, "caseworker", reason="x", operator="王工")
