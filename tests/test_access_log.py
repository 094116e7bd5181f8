"""The purpose-bound access log (R-SEC-2, R-SEC-3; issue 21; ``creditportal.access``). Every view of the URL
resolver and what it registers: tests/test_access_matrix.py.

- Opening asks why, once per subject and session; a list or an export registers each subject it showed, without
  asking; the department's auditors see who looked; entries are copied into the audit ledger and purged, with a
  signed count, after the profile's years.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from creditportal import access, ledger
from creditportal.choices import AccessKind, AccessPurpose, Role, SystemRole
from creditportal.models import AccessEntry, AuditEvent
from creditportal.tests.factories import DepartmentFactory, UserFactory, user_with_role
from subjects.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

OPENED, DOCUMENT, LISTED, EXPORTED = (AccessKind.OPENED, AccessKind.DOCUMENT, AccessKind.LISTED, AccessKind.EXPORTED)


@pytest.fixture
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def looker(dept_a):
    return user_with_role(Role.CASEWORKER, dept_a, username="looker", first_name="明", last_name="李")


def _question(response) -> bool:
    return response.status_code == 200 and response.has_header(access.PURPOSE_HEADER)


def test_r_sec_2_opening_a_subject_asks_why_once_per_subject_and_session(chinese, client, looker, dept_a):
    """R-SEC-2: the person says why before anything non-public is shown; the answer holds for that subject until
    the session ends; nothing is registered or shown while the question is unanswered."""
    client.purpose = None
    person = PersonFactory(department=dept_a, name="王建国", id_number="460100199001011234")
    other = PersonFactory(department=dept_a, name="陈美玲")
    client.force_login(looker)
    page = reverse("subject_detail", args=[person.pk])

    asked = client.get(page)
    assert _question(asked)
    text = asked.content.decode()
    assert "查阅目的" in text and "王建国" in text and "460100199001011234" not in text
    assert not AccessEntry.objects.exists()

    # "Other" without saying what: refused, says why, nothing declared
    refused = client.post(
        reverse("access_purpose"), {"purpose": AccessPurpose.OTHER, "text": "", "ticket": _ticket(asked)}
    )
    assert refused.status_code == 200 and "请说明" in refused.content.decode()
    assert _question(client.get(page))

    answered = client.post(
        reverse("access_purpose"),
        {"purpose": AccessPurpose.OTHER, "text": "核对举报线索 2026-17", "ticket": _ticket(asked)},
    )
    assert answered.status_code == 302 and answered["Location"] == page
    shown = client.get(page, HTTP_X_REQUEST_ID="req-123")
    assert shown.status_code == 200 and not shown.has_header(access.PURPOSE_HEADER)
    assert "460100199001011234" in shown.content.decode()
    entry = AccessEntry.objects.get()
    assert (entry.user, entry.subject_id, entry.kind, entry.purpose, entry.purpose_text) == (
        looker,
        person.pk,
        OPENED,
        AccessPurpose.OTHER,
        "核对举报线索 2026-17",
    )
    assert (entry.department, entry.user_department, entry.roles) == (dept_a, dept_a, "caseworker")
    assert entry.address == "127.0.0.1" and entry.request_id == "req-123"
    assert "identity" in entry.fields

    # the same subject again: not asked, registered again; another subject: asked
    assert not _question(client.get(page))
    assert AccessEntry.objects.count() == 2
    assert _question(client.get(reverse("subject_detail", args=[other.pk])))

    # a new session asks again
    client.logout()
    client.force_login(looker)
    assert _question(client.get(page))


def _ticket(response) -> str:
    return re.search(r'name="ticket" value="([^"]+)"', response.content.decode()).group(1)


def test_r_sec_2_a_ticket_is_the_askers_own_and_never_leads_away(chinese, client, looker, dept_a):
    """R-SEC-2: another person's question cannot be answered for him, a forged ticket is refused, and the answer
    never sends anyone off the portal."""
    client.purpose = None
    person = PersonFactory(department=dept_a)
    client.force_login(looker)
    ticket = _ticket(client.get(reverse("subject_detail", args=[person.pk])))
    colleague = user_with_role(Role.CASEWORKER, dept_a, username="colleague")
    client.force_login(colleague)
    stolen = client.post(reverse("access_purpose"), {"purpose": AccessPurpose.CASE, "ticket": ticket})
    assert stolen.status_code == 200 and "已失效" in stolen.content.decode()
    forged = client.post(reverse("access_purpose"), {"purpose": AccessPurpose.CASE, "ticket": ticket + "x"})
    assert forged.status_code == 200 and "已失效" in forged.content.decode()
    assert access.SESSION_KEY not in client.session

    import hashlib

    from django.core import signing

    mark = hashlib.sha256(client.session.session_key.encode()).hexdigest()[:16]
    away = signing.dumps(
        {"subject": person.pk, "name": "x", "next": "https://evil.example/", "user": colleague.pk, "session": mark},
        salt=access.TICKET_SALT,
    )
    answered = client.post(reverse("access_purpose"), {"purpose": AccessPurpose.CASE, "ticket": away})
    assert answered["Location"] == reverse("dashboard")

    # the asker's own ticket, kept from an earlier session, answers nothing in the next one
    client.force_login(looker)
    old = client.post(reverse("access_purpose"), {"purpose": AccessPurpose.CASE, "ticket": ticket})
    assert old.status_code == 200 and "已失效" in old.content.decode()


def test_r_sec_2_another_departments_subject_is_a_404_before_any_question(client, looker, dept_a):
    """Scoped by default: the question is asked only about a subject the person may open."""
    client.purpose = None
    elsewhere = PersonFactory(department=DepartmentFactory(code="SY-SAMR"))
    client.force_login(looker)
    assert client.get(reverse("subject_detail", args=[elsewhere.pk])).status_code == 404
    assert not AccessEntry.objects.exists()


def test_r_sec_3_a_list_and_an_export_register_each_subject_they_showed(client, looker, dept_a):
    """R-SEC-3: a search result registers each subject shown on the page as "appeared in a search result", an export
    each exported subject (set-based), and neither asks for a purpose (lists show masked numbers, R-DIS-4)."""
    client.purpose = None
    shown = [OrganisationFactory(department=dept_a, name=f"椰风公司{i}") for i in range(3)]
    client.force_login(looker)
    response = client.get(reverse("subject_list"), {"name": "椰风"})
    assert response.status_code == 200 and not response.has_header(access.PURPOSE_HEADER)
    listed = AccessEntry.objects.filter(kind=LISTED)
    assert sorted(listed.values_list("subject_id", flat=True)) == sorted(s.pk for s in shown)
    assert {e.purpose for e in listed} == {""}

    export = client.get(reverse("subject_export", args=["csv"]), {"name": "椰风"})
    b"".join(export.streaming_content)
    exported = AccessEntry.objects.filter(kind=EXPORTED)
    assert sorted(exported.values_list("subject_id", flat=True)) == sorted(s.pk for s in shown)
    entry = exported.first()
    assert entry.user == looker and entry.department == dept_a and entry.page == "subject_export"
    assert entry.shown == [f"subjects.creditsubject:{entry.subject_id}"] and "masked_id_number" in entry.fields


def test_r_sec_3_the_auditor_sees_who_looked_and_why(chinese, client, looker, dept_a):
    """R-SEC-3: the subject page shows the department's auditors who opened it, when and why; the access log page
    finds it by subject and exports it; a caseworker sees neither, and another department's auditor nothing."""
    person = PersonFactory(department=dept_a, name="王建国")
    client.force_login(looker)
    client.get(reverse("subject_detail", args=[person.pk]))

    auditor = user_with_role(Role.AUDITOR, dept_a, username="auditor_a")
    client.force_login(auditor)
    page = client.get(reverse("subject_detail", args=[person.pk])).content.decode()
    assert "谁查阅过" in page and "李明" in page and "办理该主体的案件" in page

    log = client.get(reverse("access_log"), {"subject": person.pk}).content.decode()
    assert "王建国" in log and "李明" in log and "经办人" in log and "caseworker" not in log
    export = client.get(reverse("access_log_export", args=["csv"]), {"subject": person.pk})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "王建国" in body and "办理该主体的案件" in body

    client.force_login(looker)
    assert "谁查阅过" not in client.get(reverse("subject_detail", args=[person.pk])).content.decode()
    assert client.get(reverse("access_log")).status_code == 403

    other_auditor = user_with_role(Role.AUDITOR, DepartmentFactory(code="SY-SAMR"), username="auditor_b")
    client.force_login(other_auditor)
    assert "王建国" not in client.get(reverse("access_log")).content.decode()


def test_r_sec_3_the_archive_registers_what_it_shows(client, dept_a, dept_b, caseworker_a):
    """R-SEC-3: the auditor's archive lists and opens archived records; both are registered."""
    from creditportal.audit import tracked_save
    from tests.case_data import make_cases

    record = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["record"]
    record.status, record.archived_at = "archived", timezone.now()
    tracked_save(record, actor=caseworker_a, reason="此测试中公示期已满", validate=False)
    auditor = user_with_role(Role.AUDITOR, dept_a, username="auditor_arch")
    client.force_login(auditor)
    assert client.get(reverse("archive_list")).status_code == 200
    assert AccessEntry.objects.filter(kind=LISTED, subject_id=record.subject_id, page="archive_list").exists()
    assert client.get(reverse("archive_detail", args=[record.pk])).status_code == 200
    entry = AccessEntry.objects.get(kind=OPENED)
    assert (entry.subject_id, entry.page, entry.purpose) == (record.subject_id, "archive_detail", AccessPurpose.CASE)


def test_r_sec_3_entries_are_kept_for_the_profiles_years_then_purged_with_a_signed_count(client, looker, dept_a):
    """R-SEC-3 (HB 19: kept three years): the sweep removes what is older than the profile's ``inquiry_record_years``
    and nothing younger, leaves a signed count that verifies (and a forged one does not), and the audit ledger,
    which holds a copy of every entry, accepts exactly those gaps."""
    from creditportal.profiles import current_profile

    # the deployment's profile keeps them three years, as Hubei's regulation does (HB 19)
    _keep_inquiries(3, looker)
    years = current_profile().inquiry_record_years
    assert years == 3
    person = PersonFactory(department=dept_a)
    now = timezone.now()
    since = ledger.first_position_after_now()
    old, young = (
        AccessEntry.objects.create(
            at=now - datetime.timedelta(days=days),
            user=looker,
            department=dept_a,
            subject_id=person.pk,
            kind=OPENED,
            page="subject_detail",
            purpose=AccessPurpose.CASE,
        )
        for days in (365 * years + 2, 365 * years - 2)
    )

    summary = access.purge_expired(now=now)
    assert summary["count"] == 1
    assert list(AccessEntry.objects.values_list("pk", flat=True)) == [young.pk]
    event = AuditEvent.objects.get(action=access.PURGE_ACTION)
    assert access.verify_purge(event.data)
    assert not access.verify_purge({**event.data, "count": 0})
    assert access.purge_expired(now=now)["count"] == 0  # nothing more to remove

    ledger.seal_all()
    assert ledger.verify(since=since).intact, "the ledger accepts the purged entry's missing row"
    # ...but not the young one removed behind the sweep's back
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM creditportal_accessentry WHERE id = %s", [young.pk])
    assert not ledger.verify(since=since).intact


def test_r_sec_4_the_ledger_copies_each_entry_and_finds_one_deleted(client, looker, dept_a):
    """R-SEC-4: an access entry is in the audit ledger; one removed directly in the database (not by the signed
    purge) is found by the verification."""
    from django.db import connection

    person = PersonFactory(department=dept_a)
    since = ledger.first_position_after_now()
    client.force_login(looker)
    client.get(reverse("subject_detail", args=[person.pk]))
    entry = AccessEntry.objects.get()
    ledger.seal_all()
    assert ledger.verify(since=since).intact
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM creditportal_accessentry WHERE id = %s", [entry.pk])
    report = ledger.verify(since=since)
    assert not report.intact
    assert any("creditportal_accessentry" in str(f) or "访问" in str(f) for f in report.findings)


def _keep_inquiries(years, actor):
    from django.conf import settings

    from creditportal.audit import tracked_save
    from creditportal.models import JurisdictionProfile
    from creditportal.profiles import forget_profiles

    profile = JurisdictionProfile.objects.get(code=settings.CREDIT_JURISDICTION)
    profile.inquiry_record_years = years
    tracked_save(profile, actor=actor, reason="测试：查询记录保存期限", validate=False)
    forget_profiles()


def test_r_sec_3_no_purge_when_the_profile_keeps_inquiries_without_limit(dept_a):

    _keep_inquiries(None, UserFactory(username="someone"))
    assert access.purge_expired() is None
    assert not AuditEvent.objects.filter(action=access.PURGE_ACTION).exists()


def test_the_audit_administrator_reads_the_access_log_in_the_admin(client, looker, dept_a):
    person = PersonFactory(department=dept_a)
    client.force_login(looker)
    client.get(reverse("subject_detail", args=[person.pk]))
    auditadmin = UserFactory(username="auditadmin", system_role=SystemRole.AUDIT_ADMIN, is_staff=True)
    client.force_login(auditadmin)
    page = client.get(reverse("admin:creditportal_accessentry_changelist"))
    assert page.status_code == 200 and "looker" in page.content.decode()
    security = UserFactory(username="secadmin", system_role=SystemRole.SECURITY_ADMIN, is_staff=True)
    client.force_login(security)
    assert client.get(reverse("admin:creditportal_accessentry_changelist")).status_code == 403


def test_r_sec_2_a_refused_act_shows_the_case_page_only_after_the_purpose(client, dept_a, dept_b, caseworker_a):
    """R-SEC-2, R-SEC-3: posting an act straight to a case (no page opened before) and being refused shows the case
    page again: it asks why first (then back to the case page), and the look is registered like its GET."""
    from tests.case_data import make_cases

    designation = make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)["designation"]
    client.purpose = None
    client.force_login(caseworker_a)
    refused = client.post(reverse("designation_statement", args=[designation.pk]), {})
    assert _question(refused) and not AccessEntry.objects.exists()
    client.post(
        reverse("access_purpose"), {"purpose": AccessPurpose.CASE, "ticket": _ticket(refused)}
    )  # back to the case page
    assert client.session[access.SESSION_KEY]
    again = client.post(reverse("designation_statement", args=[designation.pk]), {})
    assert again.status_code in (200, 400) and not again.has_header(access.PURPOSE_HEADER)
    entry = AccessEntry.objects.get()
    assert (entry.subject_id, entry.page, entry.purpose) == (designation.subject_id, "designation_detail", "case")


def test_r_sec_3_starting_a_restoration_asks_why_and_registers(client, caseworker_a, dept_a):
    """The restoration start page shows the subject's restorable designations and records (R-SEC-3)."""
    person = PersonFactory(department=dept_a)
    client.purpose = None
    client.force_login(caseworker_a)
    url = reverse("restoration_start") + f"?subject={person.pk}"
    asked = client.get(url)
    assert _question(asked)
    client.post(reverse("access_purpose"), {"purpose": AccessPurpose.RESTORATION, "ticket": _ticket(asked)})
    assert client.get(url).status_code == 200
    entry = AccessEntry.objects.get()
    assert (entry.subject_id, entry.page, entry.purpose) == (person.pk, "restoration_start", "restoration")
