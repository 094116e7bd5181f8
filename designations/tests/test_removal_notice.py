"""Issue 19: the subject is told when a designation ends, whatever ended it (R-DIS-3, R-RES-6, R-DES-2).

A listing that expires, a designation that falls with its record (expiry, revocation, an objection sustained)
and a designation withdrawn before it came into force because its basis ended each give the subject a numbered
notice with the cause, the deployment's article and the measures that stopped; read back from the real PDF.
"""

import datetime
import io
import re

from pypdf import PdfReader

from creditportal import deadlines
from creditportal.documents import document_render
from creditportal.models import IssuedDocument
from designations import services
from designations.models import Designation
from subjects import services as subject_services
from subjects.disclosure import records_expire

from .helpers import draft, to_state

RULE_ID = re.compile(r"R-[A-Z]{2,4}-\d+")


def _notice_text(designation) -> tuple[IssuedDocument, str]:
    notice = IssuedDocument.objects.get(object_id=designation.pk, kind="removal_notice")
    document_render(document=notice)
    notice.refresh_from_db()
    notice.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(notice.file.read()))
    finally:
        notice.file.close()
    return notice, re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_r_dis_3_a_listing_that_expires_tells_the_subject_it_left_the_list(
    caseworker_a, supervisor_a, dept_a, record, catalog, on
):
    on(2026, 9, 1)
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    on(2026, 10, 20)
    designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    assert not IssuedDocument.objects.filter(kind="removal_notice").exists()
    expired = designation.listed_until + datetime.timedelta(days=1)
    on(expired.year, expired.month, expired.day, hour=1)
    deadlines.deadline_sweep(today=expired)
    designation = Designation.objects.get(pk=designation.pk)
    assert designation.state == "removed" and designation.removal_reason == "expiry"
    notice, text = _notice_text(designation)
    assert notice.number == f"测市监移〔{expired.year}〕1号" and notice.number in text
    assert "移出严重失信主体名单告知书" in text and designation.subject.name in text
    assert "因列入期限届满，依照《海南自由贸易港社会信用条例》第二十七条的规定" in text
    assert "限制参加政府采购" in text and "停止实施" in text and "你单位" in text
    assert designation.decision_document().number in text
    assert not RULE_ID.search(text)


def test_r_res_6_a_designation_falling_with_a_revoked_record_tells_the_subject(
    caseworker_a, supervisor_a, dept_a, record, catalog, on
):
    on(2026, 9, 1)
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    on(2026, 10, 20)
    designation = to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)
    subject_services.revocation_receive(
        record=record,
        actor=caseworker_a,
        reason="复议决定书已送达",
        ground="revoked",
        legal_document="海南省人民政府行政复议决定书琼府复〔2026〕9号",
        effective_on=datetime.date(2026, 10, 19),
        received_on=datetime.date(2026, 10, 20),
    )
    subject_services.revocation_complete(record=record, actor=supervisor_a, reason="依复议决定撤销")
    designation = Designation.objects.get(pk=designation.pk)
    assert designation.state == "removed" and designation.removal_reason == "revocation"
    _notice, text = _notice_text(designation)
    assert "因所依据的法律文书已被依法撤销" in text and "第三十一条" in text  # HN 31
    assert not RULE_ID.search(text)


def test_r_dis_3_a_pending_designation_whose_record_expires_tells_the_subject_the_procedure_ended(
    caseworker_a, supervisor_a, dept_a, record, catalog, on
):
    """Notified, not yet decided, when its record's disclosure period ends: withdrawn, and the subject, who had
    been notified, is told no decision will follow."""
    on(2029, 2, 1)
    designation = draft(
        caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, proposed_listing_months=1
    )
    notice = services.designation_issue_notice(
        designation=designation, actor=caseworker_a, statement_period_wd=5, reason="制发告知书"
    )
    assert notice.state == "pending_notice"
    on(2029, 3, 2, hour=1)
    records_expire(today=datetime.date(2029, 3, 2))
    designation = Designation.objects.get(pk=designation.pk)
    assert designation.state == "withdrawn" and designation.removal_reason == "basis_expired"
    _notice, text = _notice_text(designation)
    assert "终止严重失信主体认定程序告知书" in text and "不再作出列入严重失信主体名单的决定" in text
    assert "因所依据信用信息的公示期限届满" in text and designation.notice_document().number in text
    assert not RULE_ID.search(text)


def test_a_draft_nobody_was_told_of_ends_without_a_notice(caseworker_a, dept_a, record, catalog, on):
    on(2029, 2, 1)
    designation = draft(
        caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog, proposed_listing_months=1
    )
    on(2029, 3, 2, hour=1)
    records_expire(today=datetime.date(2029, 3, 2))
    assert Designation.objects.get(pk=designation.pk).state == "withdrawn"
    assert not IssuedDocument.objects.filter(kind="removal_notice").exists()
