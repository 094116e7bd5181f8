"""The objection's due process through its services (R-OBJ-1 to R-OBJ-7), in each jurisdiction profile."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from creditportal import deadlines
from creditportal.choices import DepartmentKind, DepartmentLevel
from creditportal.documents import document_render
from creditportal.models import AuditEvent, Deadline
from creditportal.profiles import current_profile
from creditportal.tests.factories import DepartmentFactory
from designations import services as designation_services
from objections import services
from objections.models import Objection
from subjects.models import CreditRecord

from .conftest import RECEIVED, at


def _answer(objection):
    return services.answer_deadline(objection)


def _render(objection):
    letter = services.response_letter(objection)
    return document_render(document=letter)


def _pdf_text(document) -> str:
    document.file.open("rb")
    try:
        pages = PdfReader(io.BytesIO(document.file.read())).pages
        return "".join(page.extract_text() for page in pages).replace("\n", "")  # lines wrap mid-phrase
    finally:
        document.file.close()


# --- R-OBJ-1, R-OBJ-2: received, labelled, the answer due date counted across National Day -----------------------


def test_r_obj_1_and_r_obj_3_an_objection_to_a_record_starts_its_clocks_on_receipt(receive, record):
    """HN 30: 7 working days from the day after receipt (Fri 25 Sep): 28, 29, 30 Sep; 1–7 Oct off (National Day);
    8, 9 Oct; Sat 10 Oct is a make-up working day; Mon 12 Oct is the seventh."""
    objection = receive()
    assert objection.state == "received" and objection.department_id == record.department_id
    answer = _answer(objection)
    assert (answer.rule_id, answer.days, answer.unit) == ("R-OBJ-3", 7, "wd")
    assert objection.due_date == answer.due_date == datetime.date(2026, 10, 12)
    explained = deadlines.deadline_explain(deadline=answer).result
    assert datetime.date(2026, 10, 1) in dict(explained.skipped)
    assert datetime.date(2026, 10, 10) in explained.counted  # the make-up Saturday counts
    label = deadlines.deadlines_of(objection).get(rule_id="R-OBJ-2")
    assert label.due_date == datetime.date(2026, 9, 28)  # HN 30: labelled within 1 working day


def test_r_obj_2_labelling_marks_the_record_until_the_objection_is_decided(receive, record, caseworker_a):
    objection = receive()
    record.refresh_from_db()
    assert record.under_objection_since is None  # not yet labelled
    objection = services.objection_label(objection=objection, actor=caseworker_a, reason="Labelled")
    record.refresh_from_db()
    assert objection.state == "verifying" and record.under_objection_since == objection.labelled_at
    assert deadlines.deadlines_of(objection).get(rule_id="R-OBJ-2").status == "met"
    services.objection_decide(
        objection=objection, actor=caseworker_a, sustained=False, reasons="处罚决定合法有效", reason="Decided"
    )
    record.refresh_from_db()
    assert record.under_objection_since is None


def test_r_obj_2_a_second_objection_keeps_the_label_on_when_the_first_is_decided(receive, record, caseworker_a):
    first = receive(label_now=True)
    second = receive(label_now=True, grounds_text="金额有误")
    services.objection_decide(objection=first, actor=caseworker_a, sustained=False, reasons="无误", reason="x")
    record.refresh_from_db()
    assert record.under_objection_since is not None
    services.objection_withdraw(
        objection=second,
        actor=caseworker_a,
        reason="The applicant withdrew in writing",
        withdrawal_received_on=RECEIVED.date(),
        withdrawal_document=ContentFile(b"%PDF-1.4 signed", name="withdrawal.pdf"),
        now=RECEIVED,
    )
    record.refresh_from_db()
    assert record.under_objection_since is None


def test_r_obj_2_a_record_under_objection_cannot_ground_a_designation(receive, record):
    from designations.workflow import record_refusal

    receive(label_now=True)
    record.refresh_from_db()
    assert "under objection" in record_refusal(record, today=timezone.localdate())


def test_dates_received_in_the_future_or_before_the_information_are_refused(receive):
    for received_at, message in (
        (timezone.now() + datetime.timedelta(hours=2), "cannot be in the future"),
        (at(2026, 2, 1), "before"),
    ):
        with pytest.raises(ValidationError, match=message):
            receive(received_at=received_at)
    assert not Objection.objects.exists()


def test_only_the_department_holding_the_information_receives_it(receive, caseworker_b):
    with pytest.raises(PermissionDenied):
        receive(actor=caseworker_b)


# --- R-OBJ-3: extension (HN), assistance and referral (HL) ------------------------------------------------------


def _request(objection, actor, days, grounds="卷宗需从档案室调取"):
    return services.objection_request_extension(
        objection=objection, actor=actor, days=days, grounds=grounds, reason="Extension requested"
    )


def test_r_obj_3_hainan_extension_requested_by_the_caseworker_approved_by_the_person_responsible_capped_at_15_wd(
    receive, caseworker_a, supervisor_a, on
):
    """HN 30: 7 WD by law, extendable on the approval of the person responsible, never more than 15 WD in all. The
    caseworker asks (days and why); only a supervisor approves; the cap holds at the request and at the approval."""
    on(2026, 9, 28)  # the Monday after the objection was received
    objection = receive(label_now=True)
    with pytest.raises(ValidationError, match="No extension has been requested"):
        services.objection_extend(objection=objection, actor=supervisor_a, reason="Approved")
    with pytest.raises(ValidationError, match="Say why more time is needed"):
        _request(objection, caseworker_a, 5, grounds=" ")
    objection = _request(objection, caseworker_a, 5)
    assert (objection.extension_requested_days, objection.extension_requested_by) == (5, caseworker_a)
    with pytest.raises(ValidationError, match="already requested"):
        _request(objection, caseworker_a, 2)
    with pytest.raises(PermissionDenied, match="supervisor"):
        services.objection_extend(objection=objection, actor=caseworker_a, reason="More time")
    deadline = services.objection_extend(objection=objection, actor=supervisor_a, reason="Approved")
    assert deadline.due_date == datetime.date(2026, 10, 19)  # 12 Oct + 13, 14, 15, 16, 19 Oct
    (extension,) = deadline.extensions.all()
    assert (extension.days, extension.approved_by, extension.reason) == (5, supervisor_a, "卷宗需从档案室调取")
    objection.refresh_from_db()
    assert objection.due_date == datetime.date(2026, 10, 19) and objection.extension_requested_at is None
    with pytest.raises(ValidationError, match="At most 15 working days in all") as refused:
        _request(objection, caseworker_a, 4)
    assert "at most 3 more" in str(refused.value)
    _request(objection, caseworker_a, 3)
    services.objection_extend(objection=objection, actor=supervisor_a, reason="Last extension")
    assert _answer(objection).due_date == datetime.date(2026, 10, 22)


def test_r_obj_3_the_cap_holds_again_at_the_approval(receive, caseworker_a, supervisor_a, settings, on):
    """Two requests may not together pass the cap: a request made within it is refused at the approval if the
    total changed meanwhile (here the profile's cap was lowered by the system administrator)."""
    on(2026, 9, 28)  # the Monday after the objection was received
    from creditportal.models import JurisdictionProfile
    from creditportal.profiles import forget_profiles

    objection = receive(label_now=True)
    _request(objection, caseworker_a, 8)
    JurisdictionProfile.objects.filter(code="HN").unguarded().update(objection_extension_total_wd=14)
    forget_profiles()
    with pytest.raises(ValidationError, match="at most 7 more"):
        services.objection_extend(objection=objection, actor=supervisor_a, reason="Approved")
    assert not _answer(objection).extensions.exists()


def test_r_obj_3_a_supervisor_refuses_the_extension_with_reasons_and_the_deadline_stands(
    receive, caseworker_a, supervisor_a, on
):
    on(2026, 9, 28)  # the Monday after the objection was received
    objection = receive(label_now=True)
    _request(objection, caseworker_a, 5)
    with pytest.raises(PermissionDenied):
        services.objection_refuse_extension(objection=objection, actor=caseworker_a, refusal="不予延长", reason="x")
    with pytest.raises(ValidationError, match="Say why the extension is refused"):
        services.objection_refuse_extension(objection=objection, actor=supervisor_a, refusal=" ", reason="x")
    services.objection_refuse_extension(
        objection=objection, actor=supervisor_a, refusal="材料已齐备，应按期答复", reason="Refused"
    )
    objection.refresh_from_db()
    assert objection.extension_requested_at is None and objection.due_date == datetime.date(2026, 10, 12)
    event = AuditEvent.objects.get(action="objections.objection.refuse_extension")
    assert event.reason == "材料已齐备，应按期答复" and event.actor == supervisor_a
    _request(objection, caseworker_a, 2)  # a new request may follow
    services.objection_decide(objection=objection, actor=caseworker_a, sustained=False, reasons="无误", reason="x")
    objection.refresh_from_db()
    assert objection.extension_requested_at is None  # it lapsed with the decision: nobody is asked any more


def test_r_obj_3_no_extension_where_the_regulation_provides_none(receive, caseworker_a, settings, on):
    on(2026, 9, 28)  # the Monday after the objection was received
    settings.CREDIT_JURISDICTION = "XJ"
    objection = receive(label_now=True)
    assert objection.due_date == datetime.date(2026, 10, 12)  # XJ 45: 7 WD too
    with pytest.raises(ValidationError, match="provides no extension"):
        _request(objection, caseworker_a, 2)


def test_r_obj_3_heilongjiang_another_unit_helps_verify_within_its_own_deadline(
    receive, caseworker_a, caseworker_b, caseworker_c, dept_b, settings, on
):
    on(2026, 9, 28)  # the Monday after the objection was received
    settings.CREDIT_JURISDICTION = "HL"
    objection = receive(label_now=True)
    assert objection.due_date == datetime.date(2026, 9, 30)  # HL 39: 3 WD: 28, 29, 30 Sep
    objection = services.objection_request_assistance(
        objection=objection,
        actor=caseworker_a,
        assisting_department=dept_b,
        request="请核实该处罚决定是否已被撤销",
        reason="The basis was issued by Sanya",
    )
    objection.refresh_from_db()
    assert objection.state == "awaiting_assistance"
    assert objection.due_date == datetime.date(2026, 10, 12)  # 7 WD: 28–30 Sep, 8, 9, 10 (make-up Sat), 12 Oct
    assisting = deadlines.deadlines_of(objection).get(department=dept_b)
    assert (assisting.rule_id, assisting.days) == ("R-OBJ-3", 2)
    # the assisting unit sees it (its queue) and replies; a third unit sees nothing
    from creditportal.permissions import scope_queryset

    assert scope_queryset(caseworker_b, Objection.objects.all()).filter(pk=objection.pk).exists()
    assert not scope_queryset(caseworker_c, Objection.objects.all()).filter(pk=objection.pk).exists()
    with pytest.raises(PermissionDenied):
        services.objection_reply_assistance(objection=objection, actor=caseworker_a, reply="x", reason="x")
    services.objection_reply_assistance(
        objection=objection, actor=caseworker_b, reply="经核实，该决定已于2026年9月20日被撤销", reason="Verified"
    )
    objection.refresh_from_db()
    assisting.refresh_from_db()
    assert objection.state == "verifying" and assisting.status == "met"


def test_r_obj_3_referral_names_the_competent_unit_to_the_applicant(receive, caseworker_a, record, settings):
    settings.CREDIT_JURISDICTION = "HL"
    objection = receive(label_now=True)
    with pytest.raises(ValidationError, match="Name the competent unit"):
        services.objection_refer(objection=objection, actor=caseworker_a, referred_to=" ", reasons="x", reason="x")
    services.objection_refer(
        objection=objection,
        actor=caseworker_a,
        referred_to="海南省税务局",
        reasons="涉税信息由税务机关认定",
        reason="Outside our scope",
    )
    record.refresh_from_db()
    assert record.under_objection_since is None
    services.objection_issue_answer(objection=objection, actor=caseworker_a, reason="Answer")
    text = _pdf_text(_render(objection))
    assert "海南省税务局" in text and "移送" in text


# --- R-OBJ-4: the clock pauses (HL) ------------------------------------------------------------------------------


def test_r_obj_4_an_expert_appraisal_stops_the_clock_and_the_due_date_moves(receive, caseworker_a, settings, on):
    on(2026, 9, 29)  # the day the sample is sent for appraisal
    settings.CREDIT_JURISDICTION = "HL"
    objection = receive(label_now=True)
    assert objection.due_date == datetime.date(2026, 9, 30)
    with pytest.raises(ValidationError, match="first day of the pause"):
        services.objection_pause(
            objection=objection,
            actor=caseworker_a,
            pause_reason="appraisal",
            paused_from=datetime.date(2026, 9, 1),
            reason="x",
        )
    services.objection_pause(
        objection=objection,
        actor=caseworker_a,
        pause_reason="appraisal",
        paused_from=datetime.date(2026, 9, 29),
        reason="Handwriting sent for expert appraisal",
    )
    assert _answer(objection).status == "paused"
    with pytest.raises(ValidationError, match="paused"):
        services.objection_decide(objection=objection, actor=caseworker_a, sustained=False, reasons="x", reason="x")
    on(2026, 10, 9)  # the appraisal report comes in
    with pytest.raises(ValidationError, match="last day of the pause"):
        services.objection_resume(
            objection=objection, actor=caseworker_a, paused_until=datetime.date(2026, 9, 28), reason="x"
        )
    deadline = services.objection_resume(
        objection=objection, actor=caseworker_a, paused_until=datetime.date(2026, 10, 9), reason="Appraisal report in"
    )
    # counted: 28 Sep; paused 29 Sep – 9 Oct; then Sat 10 Oct (make-up), Mon 12 Oct
    assert deadline.status == "open" and deadline.due_date == datetime.date(2026, 10, 12)
    objection.refresh_from_db()
    assert objection.due_date == datetime.date(2026, 10, 12)
    pause = deadline.pauses.get()
    assert (pause.reason, pause.paused_from, pause.paused_until) == (
        "appraisal",
        datetime.date(2026, 9, 29),
        datetime.date(2026, 10, 9),
    )


def test_r_obj_4_hainan_does_not_stop_the_clock(receive, caseworker_a):
    objection = receive(label_now=True)
    with pytest.raises(ValidationError, match="does not stop the answer deadline"):
        services.objection_pause(
            objection=objection,
            actor=caseworker_a,
            pause_reason="testing",
            paused_from=datetime.date(2026, 9, 28),
            reason="x",
        )


# --- R-OBJ-5: HB suspends disclosure when the provider is late ---------------------------------------------------


def test_r_obj_5_hebei_suspends_disclosure_when_the_providing_unit_is_late_and_resumes_on_its_report(
    receive, record, caseworker_a, settings
):
    settings.CREDIT_JURISDICTION = "HB"
    objection = receive(label_now=True)
    late = deadlines.deadlines_of(objection).get(rule_id="R-OBJ-5")
    # HB 29: 15 calendar days end on Sat 10 Oct, a make-up working day, so the period ends that day
    assert late.due_date == objection.due_date == datetime.date(2026, 10, 10)
    deadlines.deadline_sweep(today=datetime.date(2026, 10, 10))  # not late yet
    record.refresh_from_db()
    assert record.status == "active"
    assert deadlines.deadline_sweep(today=datetime.date(2026, 10, 11))["processed"] == 1
    record.refresh_from_db()
    assert record.status == "suspended"
    assert deadlines.deadline_sweep(today=datetime.date(2026, 10, 12))["processed"] == 0  # once
    services.objection_decide(
        objection=objection, actor=caseworker_a, sustained=False, reasons="经复核信息无误", reason="Reported"
    )
    record.refresh_from_db()
    assert record.status == "active"


def test_r_obj_5_other_profiles_do_not_suspend(receive, record):
    objection = receive(label_now=True)
    assert not deadlines.deadlines_of(objection).filter(rule_id="R-OBJ-5").exists()
    deadlines.deadline_sweep(today=datetime.date(2026, 11, 2))
    record.refresh_from_db()
    assert record.status == "active"


# --- R-OBJ-6: outcomes and the response letter ---------------------------------------------------------------


def test_r_obj_6_not_sustained_needs_reasons(receive, caseworker_a):
    objection = receive(label_now=True)
    with pytest.raises(ValidationError, match="reasons for not correcting"):
        services.objection_decide(objection=objection, actor=caseworker_a, sustained=False, reasons=" ", reason="x")
    objection.refresh_from_db()
    assert objection.state == "verifying"


def test_r_obj_6_sustained_correction_keeps_history_and_flags_shared_copies(receive, record, caseworker_a, settings):
    settings.CREDIT_JURISDICTION = "HL"
    objection = receive(label_now=True)
    with pytest.raises(ValidationError, match="what happens to the record"):
        services.objection_decide(objection=objection, actor=caseworker_a, sustained=True, reasons="x", reason="x")
    services.objection_decide(
        objection=objection,
        actor=caseworker_a,
        sustained=True,
        remedy="correct",
        corrections={"summary": "销售过期食品一次"},
        reasons="经核实，违法次数记载有误",
        reason="Sustained",
        now=at(2026, 9, 28, 15),
    )
    record.refresh_from_db()
    assert record.summary == "销售过期食品一次" and record.status == "active"
    assert record.history.filter(summary="多次销售过期食品").exists()  # the old value is kept
    assert record.sharing_flag == "change" and record.sharing_due == datetime.date(
        2026, 10, 8
    )  # HL 39: 3 WD: 29, 30 Sep, 8 Oct
    services.objection_issue_answer(objection=objection, actor=caseworker_a, reason="Answer")
    text = _pdf_text(_render(objection))
    assert "异议成立" in text and "销售过期食品一次" in text and "行政复议" in text
    assert "R-OBJ" not in text


def test_r_obj_6_sustained_deletion_withdraws_the_designation_resting_on_the_record_and_is_answered(
    receive, record, caseworker_a, supervisor_a, catalog, dept_a
):
    designation = designation_services.designation_create(
        actor=caseworker_a,
        department=dept_a,
        subject=record.subject,
        standard=catalog[1],
        records=[record],
        measures=list(catalog[1].allowed_measures.all()),
        facts="多次销售过期食品",
        reasons="严重危害人民群众身体健康",
        proportionality_statement="相当",
        proposed_listing_months=12,
        reason="Prepared",
    )
    from subjects import services as subject_services
    from subjects.tests.factories import PersonFactory

    subject_services.related_person_add(  # R-REC-2: the notice names the legal representative
        organisation=record.subject,
        person=PersonFactory(department=dept_a, name="王建国"),
        role="legal_representative",
        actor=caseworker_a,
        reason="工商登记信息",
    )
    designation = designation_services.designation_issue_notice(
        designation=designation, actor=caseworker_a, statement_period_wd=5, reason="Notice"
    )
    objection = receive(label_now=True)
    decision = {"sustained": True, "remedy": "withdraw", "reasons": "该处罚决定已被复议机关撤销", "reason": "Sustained"}
    with pytest.raises(PermissionDenied, match="cannot be ended now"):  # a caseworker may not withdraw the designation
        services.objection_decide(objection=objection, actor=caseworker_a, **decision)
    record.refresh_from_db()
    assert record.status == "active" and record.under_objection_since is not None  # nothing half done
    services.objection_decide(objection=objection, actor=supervisor_a, **decision)
    record.refresh_from_db()
    designation.refresh_from_db()
    assert record.status == "withdrawn" and record.sharing_flag == "withdraw"
    assert designation.state == "withdrawn"
    assert CreditRecord.objects.filter(pk=record.pk).exists()  # soft: never deleted
    with pytest.raises(ValidationError, match="Issue the response letter first"):
        services.objection_serve_answer(
            objection=objection,
            actor=caseworker_a,
            method="in_person",
            served_on=timezone.localdate(),
            recipient="李明",
            reason="x",
        )
    letter = services.objection_issue_answer(objection=objection, actor=caseworker_a, reason="Answer")
    assert letter.number.startswith(f"{dept_a.document_prefix or dept_a.code}复〔")
    with pytest.raises(ValidationError, match="being prepared"):
        services.objection_serve_answer(
            objection=objection,
            actor=caseworker_a,
            method="in_person",
            served_on=timezone.localdate(),
            recipient="李明",
            reason="x",
        )
    text = _pdf_text(_render(objection))
    assert "已删除该信用信息" in text and "该处罚决定已被复议机关撤销" in text
    # the applicant learns the designation it had been notified of fell, named by its notice (never "Designation #N")
    assert f"严重失信主体认定（{designation.notice_document().number}）已撤销" in text
    services.objection_serve_answer(
        objection=objection,
        actor=caseworker_a,
        method="in_person",
        served_on=timezone.localdate(),
        recipient="李明",
        reason="Handed over",
    )
    objection.refresh_from_db()
    assert objection.state == "answered"
    assert AuditEvent.objects.filter(action="objections.objection.serve_answer").exists()


# --- R-OBJ-7: complaints -------------------------------------------------------------------------------------------


def test_r_obj_7_a_complaint_about_a_collector_is_answered_within_20_working_days(
    receive, credit_caseworker, credit_authority, organisation, settings
):
    """HL 41: answered in writing within 20 WD by the credit authority it is routed to (here from Haikou's market
    regulator to Haikou's credit authority), which accepts, decides and answers it."""
    settings.CREDIT_JURISDICTION = "HL"
    caseworker_a = credit_caseworker
    complaint = receive(target="collector", record=None, collector="某征信服务公司", ground="rights_violation")
    assert complaint.department_id == credit_authority.pk
    assert complaint.kind == "complaint" and str(complaint).startswith("Complaint")
    answer = _answer(complaint)
    assert (answer.rule_id, answer.days) == ("R-OBJ-7", 20)
    assert not deadlines.deadlines_of(complaint).filter(rule_id="R-OBJ-2").exists()  # a complaint is not labelled
    with pytest.raises(ValidationError, match="not labelled"):
        services.objection_label(objection=complaint, actor=caseworker_a, reason="x")
    services.objection_accept(objection=complaint, actor=caseworker_a, reason="Accepted")
    services.objection_decide(
        objection=complaint, actor=caseworker_a, sustained=True, reasons="已责令其停止采集", reason="Sustained"
    )
    services.objection_issue_answer(objection=complaint, actor=caseworker_a, reason="Answer")
    text = _pdf_text(_render(complaint))
    assert "投诉处理答复书" in text and "某征信服务公司" in text


@pytest.mark.parametrize("collector", ["", "   "])
def test_r_obj_7_a_complaint_needs_the_collector_named(receive, settings, dept_a, collector):
    """In HL, which receives complaints (HL 41: answered within 20 WD) and here has the Haikou credit authority to
    route them to, a complaint naming no collector is refused for that reason, on the collector, and nothing is
    written; the same complaint naming the collector is received. (In HN every complaint is refused for want of a
    complaint deadline, which would hide a missing collector guard.)"""
    settings.CREDIT_JURISDICTION = "HL"
    assert current_profile().complaint_answer_wd == 20  # the profile does not refuse complaints itself
    dept_a.government = "海口市人民政府"
    dept_a.save(update_fields=["government"])
    DepartmentFactory(
        code="HK-DRC",
        name="海口市发展和改革委员会",
        kind=DepartmentKind.CREDIT_AUTHORITY,
        level=DepartmentLevel.PREFECTURE,
        government="海口市人民政府",
        parent=DepartmentFactory(code="HN-DRC", name="海南省发展和改革委员会", kind=DepartmentKind.CREDIT_AUTHORITY),
    )
    with pytest.raises(ValidationError, match="Name the information collector") as refused:
        receive(target="collector", record=None, collector=collector)
    assert list(refused.value.message_dict) == ["collector"]
    assert not Objection.objects.exists()
    assert receive(target="collector", record=None, collector="某征信服务公司").kind == "complaint"


def test_r_obj_7_hainan_has_no_complaint_deadline_and_says_so(receive):
    with pytest.raises(ValidationError, match="complaint"):
        receive(target="collector", record=None, collector="某征信服务公司")


def test_objection_to_identifying_data_labels_the_subject(receive, organisation, caseworker_a):
    objection = receive(target="identity", record=None, label_now=True)
    organisation.refresh_from_db()
    assert objection.target == "identity" and organisation.under_objection_since is not None
    services.objection_decide(
        objection=objection, actor=caseworker_a, sustained=True, reasons="地址已更正", reason="Sustained"
    )
    organisation.refresh_from_db()
    assert organisation.under_objection_since is None


def test_a_late_label_is_an_overdue_deadline(receive):
    objection = receive()
    label = Deadline.objects.get(object_id=objection.pk, rule_id="R-OBJ-2")
    assert label.status == "open" and label.due_date < timezone.localdate()


def test_r_obj_4_a_new_pause_starts_after_the_last_one_ended(receive, caseworker_a, settings, on):
    on(2026, 9, 29)  # the day the sample is sent for appraisal
    settings.CREDIT_JURISDICTION = "HL"
    objection = receive(label_now=True)
    pause = {"objection": objection, "actor": caseworker_a, "pause_reason": "testing", "reason": "Sample sent"}
    services.objection_pause(paused_from=datetime.date(2026, 9, 29), **pause)
    on(2026, 10, 9)
    services.objection_resume(
        objection=objection, actor=caseworker_a, paused_until=datetime.date(2026, 10, 9), reason="Result in"
    )
    with pytest.raises(ValidationError, match="previous pause ended"):
        services.objection_pause(paused_from=datetime.date(2026, 9, 30), **pause)
    assert _answer(objection).pauses.count() == 1


def test_only_the_answer_clock_is_copied_to_the_objection(receive, caseworker_a, dept_b, settings, on):
    """The label clock, HB's provider clock and the assisting unit's clock never overwrite the answer due date; a
    paused answer clock has no due date to show."""
    on(2026, 9, 28)  # the Monday after the objection was received
    settings.CREDIT_JURISDICTION = "HL"
    objection = receive()
    label = deadlines.deadlines_of(objection).get(rule_id="R-OBJ-2")
    deadlines.deadline_recompute(deadline=label, actor=caseworker_a, reason="Calendar reloaded")
    objection.refresh_from_db()
    assert objection.due_date == _answer(objection).due_date == datetime.date(2026, 9, 30)
    objection = services.objection_label(objection=objection, actor=caseworker_a, reason="Labelled")
    services.objection_request_assistance(
        objection=objection, actor=caseworker_a, assisting_department=dept_b, request="核实", reason="x"
    )
    assisting = deadlines.deadlines_of(objection).get(department=dept_b)
    deadlines.deadline_recompute(deadline=assisting, actor=caseworker_a, reason="Calendar reloaded")
    objection.refresh_from_db()
    assert objection.due_date == datetime.date(2026, 10, 12)
    services.objection_reply_assistance(
        objection=objection, actor=dept_b_caseworker(dept_b), reply="已核实", reason="x"
    )
    on(2026, 9, 29)
    services.objection_pause(
        objection=objection,
        actor=caseworker_a,
        pause_reason="appraisal",
        paused_from=datetime.date(2026, 9, 29),
        reason="Appraisal",
    )
    objection.refresh_from_db()
    assert objection.due_date is None


def dept_b_caseworker(dept_b):
    from creditportal.choices import Role
    from creditportal.tests.factories import user_with_role

    return user_with_role(Role.CASEWORKER, dept_b, username="assisting_caseworker")


# --- R-OBJ-3: the answer clock is met when the answer reaches the applicant (issue 16) ----------------------------


def _decide_and_serve(objection, actor, *, decided, served_on, refer=False):
    if refer:
        services.objection_refer(
            objection=objection, actor=actor, referred_to="海南省税务局", reasons="涉税", reason="x", now=decided
        )
    else:
        services.objection_decide(
            objection=objection, actor=actor, sustained=False, reasons="处罚决定合法有效", reason="x", now=decided
        )
    answer = _answer(objection)
    assert answer.status == "open", "decided, but the applicant has not been answered yet"
    services.objection_issue_answer(objection=objection, actor=actor, reason="Answer", now=decided)
    _render(objection)
    answer.refresh_from_db()
    assert answer.status == "open", "a letter issued is not yet a letter served"
    served_at = datetime.datetime.combine(served_on, datetime.time(16), tzinfo=decided.tzinfo)
    services.objection_serve_answer(
        objection=objection,
        actor=actor,
        method="in_person",
        served_on=served_on,
        recipient="李明",
        reason="Handed over",
        now=served_at + datetime.timedelta(days=1),  # recorded the next morning
    )
    answer.refresh_from_db()
    return answer


@pytest.mark.parametrize("refer", [False, True], ids=["decided", "referred"])
def test_r_obj_3_the_answer_clock_is_met_by_the_served_letter_so_a_late_letter_is_late(receive, caseworker_a, refer):
    """R-OBJ-3 (HN 30: answer the applicant within 7 WD, due Mon 12 Oct 2026): deciding on Fri 9 Oct is on time,
    but the answer is the letter; served on Wed 14 Oct, the clock is met on the 14th, late."""
    objection = receive(label_now=True)
    answer = _decide_and_serve(objection, caseworker_a, decided=at(2026, 10, 9), served_on=datetime.date(2026, 10, 14))
    assert answer.status == "met"
    assert timezone.localdate(answer.met_at) == datetime.date(2026, 10, 14) > answer.due_date


def test_r_obj_3_a_letter_served_on_time_meets_the_answer_clock_on_time(receive, caseworker_a):
    objection = receive(label_now=True)
    answer = _decide_and_serve(objection, caseworker_a, decided=at(2026, 10, 8), served_on=datetime.date(2026, 10, 9))
    assert answer.status == "met" and timezone.localdate(answer.met_at) == datetime.date(2026, 10, 9)
    # the label clock and the other clocks ended with the decision, as before
    assert not deadlines.deadlines_of(objection).filter(status__in=["open", "paused"]).exists()
