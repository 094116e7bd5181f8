"""A subject may apply for restoration "to the designating unit or the credit authority" (R-RES-1; HN 32, HL 40;
issue 19): Hainan's provincial credit authority receives an application for a Haikou designation, which goes at
once to Haikou's department, the one that decides on it; the receiver is told where it went and cannot open it.
The designating department receives as before; a third department that is no credit authority is refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from creditportal.choices import DepartmentKind, DepartmentLevel, Role
from creditportal.deadlines import deadlines_of
from creditportal.models import AuditEvent
from creditportal.tests.factories import DepartmentFactory, user_with_role
from restoration import services
from restoration.models import RestorationApplication

pytestmark = pytest.mark.django_db

ROUTED = "restoration.application.routed"


@pytest.fixture
def authority(db):
    return DepartmentFactory(
        code="HN-DRC",
        name="海南省发展和改革委员会",
        name_en="Hainan Development and Reform Commission",
        kind=DepartmentKind.CREDIT_AUTHORITY,
        level=DepartmentLevel.PROVINCE,
    )


@pytest.fixture
def authority_caseworker(authority):
    return user_with_role(Role.CASEWORKER, authority, username="hn_credit")


def _form(listed) -> dict:
    return {
        "target": f"d:{listed.pk}",
        "method": "rectification",
        "evidence": "已完成整改并通过验收",
        "commitment": "本单位承诺所提交材料真实有效。",
        "received_on": timezone.localdate().isoformat(),
        "reason": "当事人向省信用主管部门申请",
    }


def _receive_page(client, listed) -> str:
    """The receiving page with the subject found: the identifier is posted and kept in the session, never in the
    address (issue 21)."""
    answer = client.post(reverse("restoration_receive"), {"identifier": listed.subject.identifier, "find": "1"})
    if answer.status_code != 302:
        return reverse("restoration_receive")
    assert listed.subject.identifier not in answer["Location"]
    return answer["Location"]


def test_r_res_1_credit_authority_receives_and_the_application_goes_to_the_designating_department(
    client, listed, authority, authority_caseworker, caseworker_a, dept_a
):
    """Found by the subject's identifier, received in the provincial credit authority, routed to Haikou: Haikou's
    department, list, "My work" and promised-period clock; the timeline says who received it, where, and why."""
    client.force_login(authority_caseworker)
    page = client.get(_receive_page(client, listed))
    assert page.status_code == 200 and (f"d:{listed.pk}", f"{listed} · {dept_a.display_name}") in list(
        page.context["form"].fields["target"].choices
    )

    response = client.post(_receive_page(client, listed), _form(listed))

    application = RestorationApplication.objects.get()
    assert response.status_code == 302 and response.url == f"{reverse('restoration_receive')}?routed={application.pk}"
    assert application.department == dept_a
    told = client.get(response.url).content.decode()
    assert f"#{application.pk}" in told and dept_a.display_name in told and "cannot open it" in told

    routed = AuditEvent.objects.get(action=ROUTED, object_id=str(application.pk))
    assert (routed.actor, routed.department, routed.data["routed_to"]) == (authority_caseworker, authority, dept_a.pk)
    assert routed.data["rule"] == "R-RES-1" and authority.name in routed.reason and dept_a.name in routed.reason

    client.force_login(caseworker_a)
    assert reverse("restoration_detail", args=[application.pk]) in client.get(reverse("my_work")).content.decode()
    detail = client.get(reverse("restoration_detail", args=[application.pk])).content.decode()
    assert authority.name in detail  # the timeline names the receiving department
    accepted = services.restoration_accept(application=application, actor=caseworker_a, reason="受理")
    assert [d.department for d in deadlines_of(accepted)] == [dept_a]


def test_r_res_1_the_routed_application_is_not_found_for_its_receiver(client, listed, authority_caseworker):
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=authority_caseworker,
        reason="A",
        designation=listed,
        method="rectification",
        evidence="整改报告",
    )
    client.force_login(authority_caseworker)
    assert client.get(reverse("restoration_detail", args=[application.pk])).status_code == 404
    listing = client.get(reverse("restoration_list")).content.decode()
    assert reverse("restoration_detail", args=[application.pk]) not in listing


def test_r_res_1_the_designating_department_receives_as_before(client, listed, caseworker_a, dept_a):
    client.force_login(caseworker_a)
    response = client.post(f"{reverse('restoration_start')}?designation={listed.pk}", _form(listed))

    application = RestorationApplication.objects.get()
    assert response.url == reverse("restoration_detail", args=[application.pk])
    assert application.department == dept_a
    assert not AuditEvent.objects.filter(action=ROUTED).exists()


def test_r_res_1_a_department_that_is_no_credit_authority_is_refused(client, listed, caseworker_b):
    with pytest.raises(PermissionDenied, match="credit authority"):
        services.restoration_receive(
            commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
            actor=caseworker_b,
            reason="A",
            designation=listed,
            method="rectification",
            evidence="整改报告",
        )
    client.force_login(caseworker_b)
    assert client.get(_receive_page(client, listed)).status_code == 403
    assert client.post(_receive_page(client, listed), _form(listed)).status_code == 403
    assert client.get(f"{reverse('restoration_start')}?designation={listed.pk}").status_code == 404
    assert not RestorationApplication.objects.exists()


def test_r_sec_3_what_the_authoritys_lookup_shows_is_registered_for_the_department_that_holds_it(
    client, listed, authority_caseworker, dept_a
):
    """R-SEC-3 (issue 21): the authority's caseworker sees another department's designation in the lookup: the
    access log of that department (its auditors read it) says who saw it."""
    from creditportal.models import AccessEntry

    client.force_login(authority_caseworker)
    client.get(_receive_page(client, listed))
    entry = AccessEntry.objects.get(shown=[f"designations.designation:{listed.pk}"])
    assert (entry.user, entry.department, entry.subject_id, entry.kind, entry.page) == (
        authority_caseworker,
        dept_a,
        listed.subject_id,
        "listed",
        "restoration_receive",
    )
