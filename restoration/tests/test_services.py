"""Restoration applications through their services (R-RES-1 to R-RES-5): received, accepted within the law,
reviewed, decided by a supervisor; granted → off the list, measures stopped, records archived, notice issued."""

import datetime
import io
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from creditportal import deadlines, documents
from creditportal.choices import Role
from creditportal.tests.factories import user_with_role
from designations.choices import DesignationState, MeasureStatus, RemovalReason
from designations.tests.helpers import render_pending
from restoration import services
from restoration.choices import RestorationMethod, RestorationState
from restoration.models import RestorationApplication
from restoration.tests.conftest import promise
from subjects.choices import ArchiveReason, RecordStatus, SharingFlag

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=SHANGHAI)


def _text(document) -> str:
    document.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(document.file.read()))
    finally:
        document.file.close()
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def reviewer_supervisor(dept_a):
    return user_with_role(Role.SUPERVISOR, dept_a, username="restoration-decider")


NOV_2 = at(2026, 11, 2)


def _to_review(application, caseworker, *, now=NOV_2):
    application = services.restoration_accept(application=application, actor=caseworker, reason="Accepted", now=now)
    return services.restoration_review(
        application=application, actor=caseworker, reason="Reviewed", opinion="整改到位，证据充分", now=now
    )


def test_r_res_4_r_nat_5_granted_designation_leaves_the_list_measures_stop_records_archived_notice_issued(
    listed, caseworker_a, reviewer_supervisor, django_capture_on_commit_callbacks
):
    """R-RES-4, R-RES-5 and R-NAT-5: in one act publication ends (the designation off the list), the measures stop and
    sharing stops (the records archived, their shared copies flagged for withdrawal: the one place the exchange feed
    will read, issue 23); the notice PDF read back."""
    record = listed.records.get()
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="Application",
        designation=listed,
        method=RestorationMethod.RECTIFICATION,
        evidence="整改报告及验收意见",
        now=at(2026, 11, 2),
    )
    assert application.state == RestorationState.RECEIVED and application.department == listed.department
    application = _to_review(application, caseworker_a)
    assert application.promised_by == datetime.date(2026, 11, 16)  # 10 WD after Monday 2 November
    with django_capture_on_commit_callbacks(execute=True):
        application = services.restoration_grant(
            application=application, actor=reviewer_supervisor, reason="Granted", now=at(2026, 11, 5)
        )
    assert application.state == RestorationState.GRANTED
    listed.refresh_from_db()
    record.refresh_from_db()
    assert listed.state == DesignationState.REMOVED and listed.removal_reason == RemovalReason.RESTORATION
    assert not listed.designation_measures.filter(status=MeasureStatus.ACTIVE).exists()
    assert record.status == RecordStatus.ARCHIVED and record.archive_reason == ArchiveReason.RESTORED
    assert record.sharing_flag == SharingFlag.WITHDRAW
    assert not deadlines.deadlines_of(application).filter(status="open").exists()  # met within the promise
    render_pending(application)
    notice = application.notice()
    assert notice.number.startswith(listed.department.document_prefix or listed.department.code)
    assert "修" in notice.number
    text = _text(notice)
    for expected in (
        "信用修复通知书",
        listed.subject.name,
        "移出严重失信主体名单",
        "惩戒措施同时停止",
        "不收取任何费用",
    ):
        assert expected in text, expected
    assert "R-RES" not in text  # the deployment's article, never an internal id
    assert "第三十二条" in text  # HN 32
    services.restoration_serve_notice(
        application=application,
        actor=caseworker_a,
        reason="Served",
        method="in_person",
        served_on=datetime.date(2026, 11, 6),
        recipient="王建国",
        now=at(2026, 11, 6, 15),
    )
    assert application.notice().services.count() == 1


def test_r_res_4_a_record_granted_is_archived_and_its_listed_designation_removed(
    listed, caseworker_a, reviewer_supervisor
):
    record = listed.records.get()
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="Application",
        record=record,
        method="pledge",
        evidence="信用承诺书",
    )
    application = _to_review(application, caseworker_a)
    services.restoration_grant(application=application, actor=reviewer_supervisor, reason="Granted")
    record.refresh_from_db()
    listed.refresh_from_db()
    assert record.status == RecordStatus.ARCHIVED
    assert listed.state == DesignationState.REMOVED


def test_r_res_1_refused_with_reasons_and_not_granted_with_reasons(listed, caseworker_a, reviewer_supervisor):
    """R-RES-1: a refusal and a "not granted" carry reasons; nothing about the designation changes."""
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="A",
        designation=listed,
        method="training",
        evidence="培训证明",
    )
    with pytest.raises(ValidationError, match="reasons"):
        services.restoration_refuse(application=application, actor=caseworker_a, reason="No", reasons=" ")
    services.restoration_refuse(application=application, actor=caseworker_a, reason="No", reasons="材料不全")
    again = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="B",
        designation=listed,
        method="training",
        evidence="补充材料",
    )
    again = _to_review(again, caseworker_a)
    with pytest.raises(ValidationError, match="reasons"):
        services.restoration_not_grant(application=again, actor=reviewer_supervisor, reason="No", reasons="")
    again = services.restoration_not_grant(
        application=again, actor=reviewer_supervisor, reason="No", reasons="整改尚未完成"
    )
    assert again.state == RestorationState.NOT_GRANTED and again.notice() is not None
    listed.refresh_from_db()
    assert listed.state == DesignationState.LISTED


def test_the_reviewer_does_not_decide_and_a_caseworker_cannot_grant(listed, caseworker_a, supervisor_a):
    """Four eyes on the decision; deciding is a supervisor's act."""
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="A",
        designation=listed,
        method="rectification",
        evidence="整改报告",
    )
    application = services.restoration_accept(application=application, actor=supervisor_a, reason="A")
    application = services.restoration_review(application=application, actor=supervisor_a, reason="R", opinion="可")
    with pytest.raises(ValidationError, match="another supervisor"):
        services.restoration_grant(application=application, actor=supervisor_a, reason="G")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.restoration_grant(application=application, actor=caseworker_a, reason="G")


def test_r_res_5_no_fee_field_anywhere():
    """R-RES-5 (NDRC 12): restoration is free: no field of the application or its forms asks for a fee."""
    from restoration import forms

    words = ("fee", "charge", "cost", "price", "payment", "amount")
    names = [f.name for f in RestorationApplication._meta.get_fields()]
    for form in (forms.RestorationStartForm, forms.AcceptForm, forms.DecideForm):
        names += list(form.base_fields)
    assert not [n for n in names if any(w in n.lower() for w in words)]


def test_r_res_5_the_promised_period_is_a_working_day_deadline_explained(listed, caseworker_a):
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="A",
        designation=listed,
        method="rectification",
        evidence="整改报告",
    )
    promise(None)
    with pytest.raises(ValidationError, match="promised period"):
        services.restoration_accept(application=application, actor=caseworker_a, reason="A")
    promise(5)
    application = services.restoration_accept(
        application=application, actor=caseworker_a, reason="A", now=at(2026, 9, 28)
    )
    clock = deadlines.deadlines_of(application).get()
    assert clock.rule_id == "R-RES-5" and clock.unit == "wd"
    # 5 WD from Monday 28 September 2026: 29, 30 September, then the National Day holiday (1–7 October) is
    # skipped, 8, 9 October and the make-up working Saturday 10 October count.
    assert application.promised_by == clock.due_date == datetime.date(2026, 10, 10)
    explained = deadlines.deadline_explain(deadline=clock)
    assert explained.result.skipped


def test_a_notice_is_served_only_once_rendered(listed, caseworker_a, reviewer_supervisor):
    application = _to_review(
        services.restoration_receive(
            commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
            actor=caseworker_a,
            reason="A",
            designation=listed,
            method="rectification",
            evidence="整改报告",
        ),
        caseworker_a,
    )
    application = services.restoration_grant(application=application, actor=reviewer_supervisor, reason="G")
    assert documents.ready_refusal(application.notice())
    with pytest.raises(ValidationError):
        services.restoration_serve_notice(
            application=application,
            actor=caseworker_a,
            reason="S",
            method="in_person",
            served_on=datetime.date.today(),
            recipient="王建国",
        )
