"""Due process that cannot be defeated (issue 7): dates, provisional clocks, guards at every step, documents.

Each test failed on the code before the fix it names.
"""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from catalog.models import DesignationStandard, MeasureList
from creditportal import deadlines, workdays
from creditportal.audit import system_user
from creditportal.choices import DayCount
from creditportal.models import IssuedDocument, JurisdictionProfile
from creditportal.profiles import forget_profiles
from designations import services
from designations.models import Designation
from designations.tests.helpers import (
    DECISION_SERVED,
    NOTICE_ISSUED,
    NOTICE_SERVED,
    at,
    draft,
    render_pending,
    to_state,
)
from subjects import services as subject_services
from subjects.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def designation(caseworker_a, dept_a, record, catalog):
    return draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)


def _text(document) -> str:
    document.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(document.file.read()))
    finally:
        document.file.close()
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


# --- Dates: nothing in the future, nothing before its cause ------------------------------------------------


@pytest.mark.parametrize(
    ("served_on", "message"),
    [
        (datetime.date(2026, 12, 5), "cannot be later than today"),
        (datetime.date(2026, 9, 23), "cannot be before the day the document was issued"),
    ],
)
def test_r_des_1_the_notice_is_never_served_in_the_future_or_before_it_was_issued(
    designation, caseworker_a, supervisor_a, served_on, message
):
    designation = to_state(designation, "pending_notice", caseworker=caseworker_a, supervisor=supervisor_a)
    with pytest.raises(ValidationError, match=message):
        services.designation_serve_notice(
            designation=designation,
            actor=caseworker_a,
            reason="x",
            method="in_person",
            served_on=served_on,
            recipient="王建国",
            now=at(2026, 11, 23),
        )
    assert Designation.objects.get(pk=designation.pk).state == "pending_notice"


def test_r_des_5_a_decision_served_in_the_future_lists_nobody(designation, caseworker_a, supervisor_a):
    designation = to_state(designation, "decision_issued", caseworker=caseworker_a, supervisor=supervisor_a)
    with pytest.raises(ValidationError, match="cannot be later than today"):
        services.designation_serve_decision(
            designation=designation,
            actor=caseworker_a,
            reason="x",
            method="in_person",
            served_on=datetime.date(2026, 12, 5),
            recipient="x",
            now=at(2026, 11, 23),
        )
    designation.refresh_from_db()
    assert designation.state == "decision_issued" and designation.listed_from is None
    assert not designation.designation_measures.filter(status="active").exists()


@pytest.mark.parametrize(
    ("kind", "received_on", "message"),
    [
        ("defence", datetime.date(2026, 12, 1), "later than today"),
        ("defence", datetime.date(2026, 9, 24), "before the notice was served"),
        ("waiver", datetime.date(2026, 9, 20), "The date the waiver was signed cannot be before"),
    ],
)
def test_r_des_1_statements_and_waivers_are_dated_between_service_and_today(
    designation, caseworker_a, supervisor_a, kind, received_on, message
):
    designation = to_state(designation, "notified", caseworker=caseworker_a, supervisor=supervisor_a)
    with pytest.raises(ValidationError, match=message):
        services.designation_record_statement(
            designation=designation,
            actor=caseworker_a,
            kind=kind,
            received_on=received_on,
            text="x",
            reason="x",
            file=ContentFile(b"%PDF", "w.pdf"),
            now=at(2026, 11, 23),
        )
    assert not designation.statements.exists()


def test_r_des_3_minutes_only_after_the_hearing_and_nothing_changes_after_approval(
    designation, caseworker_a, supervisor_a
):
    designation = to_state(designation, "under_review", caseworker=caseworker_a, supervisor=supervisor_a)
    hearing = services.designation_schedule_hearing(
        designation=designation,
        actor=caseworker_a,
        scheduled_at=at(2026, 11, 20, 9),
        place="第一听证室",
        chaired_by=supervisor_a,
        reason="Requested",
    )
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.designation_record_hearing(
            hearing=hearing,
            actor=caseworker_a,
            held_at=at(2026, 12, 3, 9),
            minutes="x",
            reason="x",
            now=at(2026, 11, 23),
        )
    with pytest.raises(ValidationError, match="before the day it was scheduled for"):
        services.designation_record_hearing(
            hearing=hearing,
            actor=caseworker_a,
            held_at=at(2026, 11, 19, 9),
            minutes="x",
            reason="x",
            now=at(2026, 11, 23),
        )
    services.designation_record_hearing(
        hearing=hearing,
        actor=caseworker_a,
        held_at=at(2026, 11, 20, 9),
        minutes="当事人到场",
        reason="Minutes",
        now=at(2026, 11, 23),
    )
    designation = to_state(designation, "approved", caseworker=caseworker_a, supervisor=supervisor_a)
    with pytest.raises(ValidationError, match="not possible while the state is"):
        services.designation_record_hearing(
            hearing=hearing,
            actor=caseworker_a,
            held_at=at(2026, 11, 20, 9),
            minutes="改写",
            reason="x",
            now=at(2026, 11, 23),
        )
    hearing.refresh_from_db()
    assert hearing.minutes == "当事人到场"


def test_r_des_2_objections_are_received_only_on_a_standing_case_and_never_dated_ahead(
    designation, caseworker_a, supervisor_a
):
    from objections import services as objection_services

    designation = to_state(designation, "notified", caseworker=caseworker_a, supervisor=supervisor_a)
    from django.utils import timezone

    for received_at, message in (
        (timezone.now() + datetime.timedelta(days=2), "cannot be in the future"),
        (at(2026, 9, 1), "before the notice was issued"),
    ):
        with pytest.raises(ValidationError, match=message):
            objection_services.designation_objection_receive(
                designation=designation,
                actor=caseworker_a,
                ground="error",
                grounds_text="x",
                received_at=received_at,
                reason="x",
            )
    services.designation_withdraw(designation=designation, actor=supervisor_a, reason="Withdrawn")
    with pytest.raises(ValidationError, match="not possible while the state is"):
        objection_services.designation_objection_receive(
            designation=designation,
            actor=caseworker_a,
            ground="error",
            grounds_text="x",
            received_at=at(2026, 11, 2),
            reason="x",
        )
    assert not designation.objections.exists()


def test_r_rec_1_no_determination_or_basis_in_the_future(organisation, caseworker_a, catalog):
    from subjects.models import CreditRecord

    for determined_on, effective_on, field in (
        (datetime.date.today() + datetime.timedelta(days=10), datetime.date(2026, 3, 2), "determined_on"),
        (datetime.date(2026, 3, 2), datetime.date.today() + datetime.timedelta(days=30), "effective_on"),
    ):
        with pytest.raises(ValidationError) as refused:
            subject_services.record_create(
                actor=caseworker_a,
                subject=organisation,
                catalog_item=catalog[0],
                summary="x",
                determined_on=determined_on,
                reason="x",
                basis={
                    "basis_type": "punishment_decision",
                    "number": "未来〔2026〕1号",
                    "issuing_authority": "海口市市场监督管理局",
                    "effective_on": effective_on,
                },
            )
        assert field in refused.value.message_dict
    assert not CreditRecord.objects.filter(summary="x").exists()


# --- Provisional deadlines never end a period ---------------------------------------------------------------


def _notified_into_2027(designation, caseworker_a):
    services.designation_issue_notice(
        designation=designation, actor=caseworker_a, reason="Notice", statement_period_wd=30, now=at(2026, 11, 19)
    )
    render_pending(designation)
    return services.designation_serve_notice(
        designation=designation,
        actor=caseworker_a,
        reason="Served",
        method="in_person",
        served_on=datetime.date(2026, 11, 20),
        recipient="王建国",
        now=at(2026, 11, 20, 16),
    )


def test_r_des_1_a_provisional_due_date_never_closes_the_statement_period(client, designation, caseworker_a, tmp_path):
    designation = _notified_into_2027(designation, caseworker_a)
    deadline = designation.statement_deadline()
    assert deadline.provisional and deadline.due_date.year == 2027
    # a person cannot close on it, even after the date...
    with pytest.raises(ValidationError, match="provisional"):
        services.designation_close_statements(
            designation=designation, actor=caseworker_a, reason="x", now=at(2027, 3, 1)
        )
    # ...nor can the sweep (its handler exists: it is the provisional flag that stops it)
    assert deadline_sweep_result(datetime.date(2027, 3, 1)) == {"processed": 0, "failed": 0}
    assert Designation.objects.get(pk=designation.pk).state == "notified"
    # the caseworker sees why, on the case page and in the work queue
    client.force_login(caseworker_a)
    page = client.get(reverse("designation_detail", args=[designation.pk])).content.decode()
    assert "is provisional" in page and "2027" in page
    queue = client.get(reverse("my_work")).content.decode()
    assert "provisional" in queue
    # loading the 2027 schedule (one command) makes it final; then the sweep closes the period
    schedule = tmp_path / "2027.csv"
    schedule.write_text("date,kind,name\n2027-01-01,off,New Year's Day\n", encoding="utf-8")
    call_command("load_calendar", year=2027, file=str(schedule), stdout=io.StringIO())
    deadline.refresh_from_db()
    assert not deadline.provisional
    assert deadline_sweep_result(deadline.due_date + datetime.timedelta(days=1)) == {"processed": 1, "failed": 0}
    assert Designation.objects.get(pk=designation.pk).state == "under_review"


def deadline_sweep_result(today):
    return deadlines.deadline_sweep(today=today)


def test_r_obj_3_loading_a_year_recomputes_every_copy_of_a_due_date(designation, caseworker_a, supervisor_a, tmp_path):
    """R-OBJ-3: the objection keeps a copy of its answer deadline; a calendar load updates both."""
    from objections import services as objection_services

    JurisdictionProfile.objects.filter(code="HN").unguarded().update(objection_answer_days=60)
    forget_profiles()  # as the admin does after an edit
    designation = to_state(designation, "notified", caseworker=caseworker_a, supervisor=supervisor_a)
    objection = objection_services.designation_objection_receive(
        designation=designation,
        actor=caseworker_a,
        ground="error",
        grounds_text="x",
        received_at=at(2026, 11, 20),
        reason="Received",
    )
    deadline = deadlines.deadlines_of(objection).get(rule_id="R-DES-2")
    assert deadline.provisional and objection.due_date == deadline.due_date
    schedule = tmp_path / "2027.csv"
    schedule.write_text(
        "\n".join(["date,kind,name"] + [f"2027-02-{d:02d},off,Spring Festival" for d in range(8, 13)]), encoding="utf-8"
    )
    call_command("load_calendar", year=2027, file=str(schedule), stdout=io.StringIO())
    deadline.refresh_from_db()
    objection.refresh_from_db()
    assert not deadline.provisional
    assert objection.due_date == deadline.due_date
    assert objection.history.latest().history_change_reason  # the copy's change is in its history


@pytest.mark.parametrize(
    ("anchor", "due"),
    [
        (datetime.date(2026, 10, 17), datetime.date(2026, 11, 2)),  # day 15 is Sunday 1 Nov → Monday
        (datetime.date(2026, 9, 16), datetime.date(2026, 10, 8)),  # day 15 is 1 Oct, National Day → first working day
        (datetime.date(2026, 11, 2), datetime.date(2026, 11, 17)),  # a working day: unchanged
    ],
)
def test_r_obj_3_hubei_calendar_days_ending_on_a_day_off_end_on_the_next_working_day(anchor, due):
    result = deadlines.compute(
        anchor_date=anchor, days=15, unit=DayCount.CALENDAR_DAYS, calendar=workdays.load_calendar(use_cache=False)
    )
    assert result.due == due and not result.provisional
    # a fixed period (a listing) never moves
    fixed = deadlines.compute(anchor_date=anchor, days=15, unit=DayCount.PERIOD_DAYS)
    assert fixed.due == anchor + datetime.timedelta(days=15)


# --- Guards at every step -----------------------------------------------------------------------------------


def test_r_cat_6_a_standard_withdrawn_mid_way_stops_the_approval(designation, caseworker_a, supervisor_a):
    designation = to_state(designation, "awaiting_approval", caseworker=caseworker_a, supervisor=supervisor_a)
    DesignationStandard.objects.filter(pk=designation.standard_id).unguarded().update(status="withdrawn")
    with pytest.raises(ValidationError, match="R-CAT-6"):
        services.designation_approve(designation=designation, actor=supervisor_a, reason="x")
    assert Designation.objects.get(pk=designation.pk).state == "awaiting_approval"


def test_r_cat_7_a_measures_list_superseded_mid_way_stops_the_decision(designation, caseworker_a, supervisor_a):
    designation = to_state(designation, "approved", caseworker=caseworker_a, supervisor=supervisor_a)
    MeasureList.objects.unguarded().update(status="superseded")
    with pytest.raises(ValidationError, match="R-CAT-7"):
        services.designation_issue_decision(designation=designation, actor=caseworker_a, reason="x")
    assert not IssuedDocument.objects.filter(kind="decision").exists()


def test_r_dis_3_an_archived_record_grounds_nothing(designation, caseworker_a, supervisor_a, record):
    designation = to_state(designation, "under_review", caseworker=caseworker_a, supervisor=supervisor_a)
    type(record).objects.filter(pk=record.pk).unguarded().update(status="archived")
    with pytest.raises(ValidationError, match="R-DIS-3"):
        services.designation_submit(designation=designation, actor=caseworker_a, reason="x")


def test_r_dis_1_a_record_whose_disclosure_ended_grounds_nothing(caseworker_a, dept_a, record, catalog):
    type(record).objects.filter(pk=record.pk).unguarded().update(
        disclosure_from=datetime.date(2023, 2, 1), disclosure_until=datetime.date(2026, 1, 31)
    )
    record.refresh_from_db()
    with pytest.raises(ValidationError, match="R-DIS-1"):
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    assert not Designation.objects.exists()


@pytest.mark.parametrize(
    ("blank", "refusal"),
    [("facts", "State the facts found"), ("reasons", "State the reasons")],
)
def test_r_des_1_the_notice_states_facts_and_reasons(blank, refusal, caseworker_a, dept_a, record, catalog):
    """A draft without its facts, or without its reasons, gets no notice: each is refused by its own guard, named
    (a blank of spaces is blank)."""
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, **{blank: "  "})
    with pytest.raises(ValidationError, match=refusal):
        services.designation_issue_notice(
            designation=designation, actor=caseworker_a, reason="x", statement_period_wd=5
        )
    designation.refresh_from_db()
    assert designation.state == "draft" and not IssuedDocument.objects.exists()


def test_r_rec_2_an_organisation_needs_its_legal_representative_before_notice(
    client, caseworker_a, caseworker_b, dept_a, catalog
):
    organisation = OrganisationFactory(department=dept_a, name="海口无代表人有限公司")
    record = subject_services.record_create(
        actor=caseworker_a,
        subject=organisation,
        catalog_item=catalog[0],
        summary="销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        reason="x",
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕77号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 3, 2),
        },
    )
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    with pytest.raises(ValidationError, match="R-REC-2"):
        services.designation_issue_notice(
            designation=designation, actor=caseworker_a, reason="x", statement_period_wd=5
        )
    # another department's caseworker cannot add one (scoped like every service)...
    with pytest.raises(PermissionDenied):
        subject_services.related_person_register(
            organisation=organisation,
            name="李四",
            id_type="ric",
            id_number="11010519491231002X",
            role="legal_representative",
            actor=caseworker_b,
            reason="x",
        )
    # ...the department's caseworker adds the legal representative from the subject's page
    client.force_login(caseworker_a)
    page = client.get(reverse("subject_detail", args=[organisation.pk])).content.decode()
    assert reverse("related_person_add", args=[organisation.pk]) in page
    response = client.post(
        reverse("related_person_add", args=[organisation.pk]),
        {
            "role": "legal_representative",
            "name": "李四",
            "id_type": "ric",
            "id_number": "11010519491231002X",
            "reason": "Registration",
        },
    )
    assert response.status_code == 302
    services.designation_issue_notice(designation=designation, actor=caseworker_a, reason="x", statement_period_wd=5)
    assert Designation.objects.get(pk=designation.pk).state == "pending_notice"


def test_removal_on_expiry_is_the_systems_act_after_the_period(designation, caseworker_a, supervisor_a):
    designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    with pytest.raises(ValidationError, match="done by the system"):
        services.designation_remove(designation=designation, actor=supervisor_a, reason="x", removal_reason="expiry")
    with pytest.raises(ValidationError, match="listing period runs until 2027-10-15"):
        services.designation_remove(
            designation=designation, actor=system_user(), reason="x", removal_reason="expiry", now=at(2027, 10, 15)
        )
    assert Designation.objects.get(pk=designation.pk).state == "listed"
    services.designation_remove(
        designation=designation,
        actor=system_user(),
        reason="Period over",
        removal_reason="expiry",
        now=at(2027, 10, 16),
    )
    assert Designation.objects.get(pk=designation.pk).state == "removed"


def test_four_eyes_a_supervisor_who_shaped_the_case_cannot_approve_it(
    designation, caseworker_a, supervisor_a, supervisor_b_a
):
    designation = to_state(designation, "under_review", caseworker=caseworker_a, supervisor=supervisor_a)
    services.designation_update(
        designation=designation,
        actor=supervisor_a,
        reason="Sharper reasons",
        proportionality_statement="措施与违法情节相当，期限已缩短。",
        proposed_listing_months=10,
    )
    designation = to_state(
        Designation.objects.get(pk=designation.pk),
        "awaiting_approval",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    with pytest.raises(ValidationError, match="another supervisor must approve"):
        services.designation_approve(designation=designation, actor=supervisor_a, reason="x")
    assert services.designation_approve(designation=designation, actor=supervisor_b_a, reason="ok").state == "approved"


def test_r_des_4_four_eyes_the_supervisor_who_weighed_the_defence_does_not_approve(
    designation, caseworker_a, supervisor_a, supervisor_b_a
):
    """Issue 18: the supervisor who rejected the subject's defence (weighed it: not adopted) does not approve the
    designation himself; another supervisor does."""
    designation = to_state(designation, "notified", caseworker=caseworker_a, supervisor=supervisor_a)
    statement = services.designation_record_statement(
        designation=designation,
        actor=caseworker_a,
        kind="defence",
        received_on=NOTICE_SERVED,
        text="当事人称过期食品系供应商责任。",
        reason="收到书面申辩",
        now=at(2026, 9, 28),
    )
    services.designation_consider_statement(
        statement=statement, actor=supervisor_a, adopted=False, considered="供应商责任不免除销售者义务。", reason="审查"
    )
    designation = to_state(
        Designation.objects.get(pk=designation.pk),
        "awaiting_approval",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    with pytest.raises(ValidationError, match="another supervisor must approve"):
        services.designation_approve(designation=designation, actor=supervisor_a, reason="同意")
    assert (
        services.designation_approve(designation=designation, actor=supervisor_b_a, reason="同意").state == "approved"
    )


def test_r_des_4_four_eyes_the_supervisor_who_returned_the_case_does_not_approve_it_when_sent_again(
    designation, caseworker_a, supervisor_a, supervisor_b_a
):
    """Issue 18: returning a case with what must change decides part of it; the supervisor who returned it does
    not approve the version sent back to him, another supervisor does."""
    designation = to_state(designation, "awaiting_approval", caseworker=caseworker_a, supervisor=supervisor_a)
    services.designation_return(designation=designation, actor=supervisor_a, reason="理由不充分，请补充")
    designation = services.designation_submit(
        designation=Designation.objects.get(pk=designation.pk), actor=caseworker_a, reason="已补充，再次报批"
    )
    with pytest.raises(ValidationError, match="another supervisor must approve"):
        services.designation_approve(designation=designation, actor=supervisor_a, reason="同意")
    assert Designation.objects.get(pk=designation.pk).state == "awaiting_approval"
    assert (
        services.designation_approve(designation=designation, actor=supervisor_b_a, reason="同意").state == "approved"
    )


def test_a_document_is_served_only_once_its_pdf_exists_and_verifies(designation, caseworker_a, supervisor_a):
    services.designation_issue_notice(
        designation=designation, actor=caseworker_a, reason="Notice", statement_period_wd=5, now=NOTICE_ISSUED
    )  # the worker has not rendered it
    serve = {
        "designation": designation,
        "actor": caseworker_a,
        "reason": "x",
        "method": "in_person",
        "served_on": NOTICE_SERVED,
        "recipient": "王建国",
    }
    with pytest.raises(ValidationError, match="still being prepared"):
        services.designation_serve_notice(**serve)
    render_pending(designation)
    notice = designation.notice_document()
    storage, name = notice.file.storage, notice.file.name
    storage.delete(name)
    assert storage.save(name, ContentFile(b"%PDF-1.7 altered")) == name  # the stored file changed
    with pytest.raises(ValidationError, match="does not match"):
        services.designation_serve_notice(**serve)
    assert Designation.objects.get(pk=designation.pk).state == "pending_notice"


def test_the_records_relied_on_are_part_of_the_history(designation, caseworker_a, organisation, catalog):
    other = subject_services.record_create(
        actor=caseworker_a,
        subject=organisation,
        catalog_item=catalog[0],
        summary="再次销售过期食品",
        determined_on=datetime.date(2026, 4, 1),
        reason="x",
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕31号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 4, 1),
        },
    )
    services.designation_update(
        designation=designation, actor=caseworker_a, reason="Second record", records=[*designation.records.all(), other]
    )
    reasons = list(designation.history.values_list("history_change_reason", flat=True))
    assert any(f"#{other.pk}" in (r or "") and "added" in r for r in reasons)


# --- Rule values are data -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "months", "refusal"),
    [
        ("HN", 24, None),
        ("HN", 61, "1 to 60 months"),
        ("HN", 36, "at most 35 months"),
        ("HL", 12, None),
        ("HB", 12, None),
        ("XJ", 12, None),
        ("HL", 36, "at most 35 months"),
    ],
)
def test_r_dis_1_every_profile_designates_and_no_listing_runs_past_its_record(
    settings, caseworker_a, dept_a, record, catalog, profile, months, refusal, on
):
    """Issue 19: HL, HB and XJ set no maximum, and refused every designation; now the information's own period
    bounds the listing in every profile. The record (determined 2 March 2026) is disclosed for 36 months, to
    1 March 2029: drafted on 10 March 2026, a listing can last at most 35 months; HN also caps it at 60."""
    on(2026, 3, 10)
    settings.CREDIT_JURISDICTION = profile
    assert record.disclosure_until == datetime.date(2029, 3, 1)
    if refusal is None:
        assert draft(
            caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, proposed_listing_months=months
        ).pk
    else:
        with pytest.raises(ValidationError, match=refusal):
            draft(
                caseworker=caseworker_a,
                department=dept_a,
                record=record,
                catalog=catalog,
                proposed_listing_months=months,
            )


def test_no_fallback_numbers_in_the_services():
    root = Path(__file__).resolve().parents[2]
    sources = [*root.glob("designations/**/*.py"), *root.glob("objections/**/*.py")]
    literals = [
        f"{p.relative_to(root)}: {line.strip()}"
        for p in sources
        if "tests" not in p.parts
        for line in p.read_text(encoding="utf-8").splitlines()
        if re.search(r"\bor [1-9]\d*\b", line)
    ]
    assert not literals


# --- The documents ------------------------------------------------------------------------------------------


def _decided(designation, caseworker_a, supervisor_a, *, english=False, defence=None, waiver=False):
    designation = to_state(designation, "notified", caseworker=caseworker_a, supervisor=supervisor_a)
    if waiver:
        services.designation_record_statement(
            designation=designation,
            actor=caseworker_a,
            kind="waiver",
            received_on=datetime.date(2026, 9, 28),
            text="放弃",
            reason="Waiver",
            file=ContentFile(b"%PDF signed", "waiver.pdf"),
        )
    if defence:
        statement = services.designation_record_statement(
            designation=designation,
            actor=caseworker_a,
            kind="defence",
            received_on=datetime.date(2026, 9, 28),
            text=defence,
            reason="Defence",
        )
        designation = to_state(designation, "under_review", caseworker=caseworker_a, supervisor=supervisor_a)
        with pytest.raises(ValidationError, match="adopted"):  # weighed before it goes for approval
            services.designation_submit(designation=designation, actor=caseworker_a, reason="x")
        services.designation_consider_statement(
            statement=statement,
            actor=caseworker_a,
            adopted=False,
            considered="下架召回不改变已发生的违法事实。",
            reason="Weighed",
        )
    designation = to_state(designation, "approved", caseworker=caseworker_a, supervisor=supervisor_a)
    services.designation_issue_decision(
        designation=designation,
        actor=caseworker_a,
        reason="Issue",
        languages="zh-hans,en" if english else "zh-hans",
        now=at(2026, 10, 15),
    )
    render_pending(designation)
    designation = services.designation_serve_decision(
        designation=designation,
        actor=caseworker_a,
        reason="Served",
        method="in_person",
        served_on=DECISION_SERVED,
        recipient="x",
        now=at(2026, 10, 16, 16),
    )
    return designation.decision_document()


def test_r_des_5_the_decision_of_a_waived_case(designation, caseworker_a, supervisor_a, catalog):
    DesignationStandard.objects.filter(pk=catalog[1].pk).unguarded().update(
        removal_conditions="列入名单满三年且未再发生同类违法行为的，移出名单"
    )
    text = _text(_decided(designation, caseworker_a, supervisor_a, waiver=True))
    assert "书面声明放弃陈述、申辩的权利" in text and "未提出陈述" not in text
    # the listing period of the case, and the standard's removal conditions as the standard states them (R-DES-5,
    # issue 19: the conditions are printed, not only the procedure)
    assert "期限为12个月，自本决定书送达之日起计算" in text
    assert "列入名单满三年且未再发生同类违法行为的，移出名单" in text
    # remedies from the profile's data, before the people's government at the department's level
    assert "六十日内" not in text and "60日内向海南省人民政府申请行政复议" in text and "6个月内" in text
    assert "（印章）" in text and "海口市美兰区国兴大道5号" in text
    assert not re.search(r"R-[A-Z]{3}-\d|HN\d|HL\d", text) and "Decision" not in text


@pytest.mark.parametrize(
    ("body", "named", "not_named"),
    [
        ("same_level_government", "海口市人民政府", "海南省市场监督管理局"),
        ("department_above", "海南省市场监督管理局", "海口市人民政府"),
    ],
    ids=["same_level_government", "department_above"],
)
def test_r_des_5_the_decision_names_the_reconsideration_body_the_profile_chooses(
    body, named, not_named, caseworker_a, supervisor_a, dept_a, record, catalog
):
    """The profile's remedies choose where the decision sends a reconsideration: the people's government at the
    deciding department's level (``Department.government``), or the department above. The department here has both,
    and they differ, so only the choice decides which one the decision names."""
    from creditportal.tests.factories import DepartmentFactory

    dept_a.parent = DepartmentFactory(code="HN-SAMR", name="海南省市场监督管理局")
    dept_a.government = "海口市人民政府"
    dept_a.save(update_fields=["parent", "government"])
    profile = JurisdictionProfile.objects.get(code="HN")
    JurisdictionProfile.objects.filter(pk=profile.pk).unguarded().update(
        remedies={**profile.remedies, "reconsideration_body": body}
    )
    forget_profiles()
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    text = _text(_decided(designation, caseworker_a, supervisor_a))
    assert f"60日内向{named}申请行政复议" in text
    assert f"向{not_named}申请" not in text


def test_r_des_5_the_decision_of_a_case_with_a_defence_in_both_languages(designation, caseworker_a, supervisor_a):
    text = _text(_decided(designation, caseworker_a, supervisor_a, english=True, defence="已全部下架并召回"))
    assert "提出申辩" in text and "已全部下架并召回" in text and "不予采纳" in text
    assert "下架召回不改变已发生的违法事实" in text
    assert "Decisionondesignation" in text and "notadopted" in text and "within60days" in text
    assert not re.search(r"R-[A-Z]{3}-\d", text)


def test_r_des_1_the_notice_is_numbered_and_says_where_to_send_a_statement(designation, caseworker_a, supervisor_a):
    designation = to_state(designation, "pending_notice", caseworker=caseworker_a, supervisor=supervisor_a)
    notice = designation.notice_document()
    text = _text(notice)
    assert notice.number == "测市监告〔2026〕1号" and notice.number in text
    assert "《海南自由贸易港社会信用条例》第二十一条" in text
    assert "海口市美兰区国兴大道5号" in text and "0898-65300000" in text and "（印章）" in text
    assert not re.search(r"R-[A-Z]{3}-\d", text) and "Priornotice" not in text


def test_r_des_5_a_decision_without_remedies_in_the_profile_is_not_issued(designation, caseworker_a, supervisor_a):
    JurisdictionProfile.objects.filter(code="HN").unguarded().update(remedies={})
    forget_profiles()
    designation = to_state(designation, "approved", caseworker=caseworker_a, supervisor=supervisor_a)
    with pytest.raises(ValidationError, match="does not state the remedies"):
        services.designation_issue_decision(designation=designation, actor=caseworker_a, reason="x")
