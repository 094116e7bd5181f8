"""The objection pages as people use them (R-OBJ-1 to R-OBJ-7): receive an objection or a complaint from a
subject's or a record's page, act on the case page (label, pause and resume in HL, an extension approved by a
supervisor in HN, decide with the record corrected, issue and serve the response letter), a refused act shown
again with its reason and everything typed, the scope (another department's objection is a 404, the assisting
unit sees and replies), and the "under objection" label on every page, list, filter and export that shows the
record until the decision."""

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from creditportal import deadlines
from creditportal.documents import document_render
from designations import services as designation_services
from objections import services
from objections.models import Objection
from subjects import services as subject_services
from subjects.tests.factories import OrganisationFactory, PersonFactory

from .conftest import BASIS, at

pytestmark = pytest.mark.django_db

GROUNDS = "该处罚决定已被复议机关撤销"
CORRECTED = "销售过期食品一次（经复议更正）"


# --- helpers: what a person's browser sends and reads ----------------------------------------------------------


def _act(client, objection, act, follow=False, **data):
    """POST one act's form from the case page (its fields carry the act's prefix, with the version it was
    opened at)."""
    fields = {"expected_version": Objection.objects.get(pk=objection.pk).version, **data}
    return client.post(
        reverse("objection_act", args=[objection.pk, act]),
        {f"{act}-{name}": value for name, value in fields.items()},
        follow=follow,
    )


def _page(client, objection) -> str:
    response = client.get(reverse("objection_detail", args=[objection.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _acts(response) -> dict[str, str | None]:
    """The acts the case page offers: name → the reason it cannot be taken now (None: it can)."""
    return {act.name: act.refusal for act in response.context["acts"]}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv_rows(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(_body(response).decode("utf-8-sig"))))


def _xlsx_rows(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(_body(response)), read_only=True).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, row, strict=False)) for row in rows]


def _input(html: str, name: str) -> str:
    """The <input> of ``name`` on the page (its attributes in whatever order the widget writes them)."""
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match, f"no input {name}"
    return match.group(0)


def _pdf_text(client, document) -> str:
    response = client.get(reverse("document_download", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(_body(response))).pages
    return "".join(page.extract_text() for page in pages).replace("\n", "").replace(" ", "")


@pytest.fixture
def other_record(organisation, caseworker_a, catalog):
    """A second record of the same company, never objected to: lists and filters must leave it unlabelled."""
    return subject_services.record_create(
        actor=caseworker_a,
        subject=organisation,
        catalog_item=catalog[0],
        summary="未按期公示年度报告",
        determined_on=datetime.date(2026, 4, 1),
        basis={**BASIS, "number": "海口市监罚〔2026〕99号"},
        reason="Recorded",
    )


@pytest.fixture
def labelled(receive):
    return receive(label_now=True)


# --- R-OBJ-1, R-OBJ-7: the receive page -------------------------------------------------------------------------


def test_r_obj_1_the_receive_page_receives_an_objection_to_the_record_it_was_opened_from(
    client, caseworker_a, record, organisation
):
    client.force_login(caseworker_a)
    # The record's page links to the receive page, pre-set on the record.
    url = f"{reverse('objection_receive')}?subject={organisation.pk}&record={record.pk}"
    assert url.replace("&", "&amp;") in client.get(reverse("record_detail", args=[record.pk])).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["about"] == f"record:{record.pk}" and form.initial["applicant"] == organisation.name
    assert {"identity", "collector", f"record:{record.pk}"} <= dict(form.fields["about"].choices).keys()
    response = client.post(
        url,
        {
            "subject": organisation.pk,
            "about": f"record:{record.pk}",
            "ground": "error",
            "grounds_text": GROUNDS,
            "applicant": "海口椰风食品有限公司（委托代理人 李明）",
            "applicant_contact": "0898-66668888",
            "received_at": "2026-09-25T10:00",
            "label_now": "yes",
            "reason": "Written objection received at the front desk",
            "evidence": SimpleUploadedFile("异议申请书.pdf", b"%PDF-1.4 written objection", "application/pdf"),
        },
    )
    objection = Objection.objects.get()
    assert response.status_code == 302 and response.url == reverse("objection_detail", args=[objection.pk])
    assert (objection.kind, objection.target, objection.record, objection.state) == (
        "objection",
        "record",
        record,
        "verifying",
    )
    # HN 30: 7 WD counted from Friday 25 September across National Day.
    assert objection.due_date == datetime.date(2026, 10, 12)
    page = client.get(response.url, follow=True).content.decode()
    assert GROUNDS in page and "2026-10-12" in page and "under-objection" in page
    # The written objection, downloaded through the case page's link (scoped and logged).
    evidence = reverse("objection_evidence", args=[objection.pk])
    assert evidence in page and _body(client.get(evidence)) == b"%PDF-1.4 written objection"


def test_an_executable_named_pdf_is_refused_as_evidence_and_nothing_is_stored(
    client, caseworker_a, organisation, record
):
    """Issue 18: uploads are what they say; the refused form keeps what was typed and no objection is created."""
    client.force_login(caseworker_a)
    response = client.post(
        f"{reverse('objection_receive')}?subject={organisation.pk}",
        {
            "subject": organisation.pk,
            "about": f"record:{record.pk}",
            "ground": "error",
            "grounds_text": GROUNDS,
            "applicant": "海口椰风食品有限公司",
            "received_at": "2026-09-25T10:00",
            "reason": "Written objection received at the front desk",
            "evidence": SimpleUploadedFile("异议申请书.pdf", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf"),
        },
    )
    assert response.status_code == 200 and "not a PDF, JPEG or PNG document" in response.content.decode()
    assert GROUNDS in response.content.decode()
    assert not Objection.objects.exists()


def test_r_obj_7_the_receive_page_receives_a_complaint_about_a_collector(
    client, caseworker_a, credit_caseworker, organisation, settings
):
    """HL 41: a complaint about a non-public information collector is answered within 20 WD by the credit authority
    it is routed to; it is not labelled."""
    settings.CREDIT_JURISDICTION = "HL"
    client.force_login(caseworker_a)
    url = f"{reverse('objection_receive')}?subject={organisation.pk}"
    response = client.post(
        url,
        {
            "subject": organisation.pk,
            "about": "collector",
            "ground": "rights_violation",
            "grounds_text": "未经同意采集本公司经营数据",
            "collector": "某征信服务有限公司",
            "applicant": organisation.name,
            "received_at": "2026-09-25T10:00",
            "label_now": "yes",
            "reason": "Complaint received",
        },
    )
    complaint = Objection.objects.get()
    assert response.status_code == 302
    assert (complaint.kind, complaint.collector, complaint.state) == ("complaint", "某征信服务有限公司", "received")
    assert services.answer_deadline(complaint).rule_id == "R-OBJ-7"
    organisation.refresh_from_db()
    assert organisation.under_objection_since is None
    client.force_login(credit_caseworker)
    page = client.get(reverse("objection_detail", args=[complaint.pk]))
    acts = _acts(page)
    assert acts["accept"] is None and "label" not in acts  # a complaint is accepted, never labelled
    assert "act-accept" in page.content.decode() and "act-label" not in page.content.decode()


def test_r_obj_1_a_refused_receipt_shows_the_page_again_with_the_reason_and_what_was_typed(
    client, caseworker_a, record, organisation
):
    """A receipt dated in the future is refused beside the date; a complaint without its collector likewise;
    nothing is saved and nothing typed is lost."""
    client.force_login(caseworker_a)
    url = f"{reverse('objection_receive')}?subject={organisation.pk}"
    later = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "subject": organisation.pk,
        "about": f"record:{record.pk}",
        "ground": "omission",
        "grounds_text": "遗漏了整改完成的信息",
        "applicant": "李明",
        "received_at": later,
        "label_now": "yes",
        "reason": "Received",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "cannot be in the future" in html
    assert "遗漏了整改完成的信息" in html and f'value="{later}"' in _input(html, "received_at")
    response = client.post(url, {**data, "about": "collector", "received_at": "2026-09-25T10:00", "collector": ""})
    assert response.status_code == 200 and "Name the information collector" in response.content.decode()
    assert not Objection.objects.exists()


def test_the_receive_page_is_scoped_to_the_users_department(
    client, caseworker_a, caseworker_b, auditor_a, dept_b, record
):
    other = OrganisationFactory(department=dept_b)
    client.force_login(caseworker_a)
    assert client.get(reverse("objection_receive")).status_code == 404
    assert client.get(f"{reverse('objection_receive')}?subject={other.pk}").status_code == 404
    assert client.get(f"{reverse('objection_receive')}?subject=x").status_code == 404
    # Sanya's caseworker cannot receive an objection to Haikou's record, not even by naming it.
    client.force_login(caseworker_b)
    url = f"{reverse('objection_receive')}?subject={record.subject_id}&record={record.pk}"
    assert client.get(url).status_code == 404
    client.force_login(auditor_a)
    assert client.get(url).status_code == 403


# --- the case page: the acts offered, and why others cannot be taken now --------------------------------------------


def test_r_obj_2_the_case_page_offers_the_acts_the_user_may_take_and_says_why_others_cannot(
    client, receive, caseworker_a, supervisor_a, auditor_a, on
):
    on(2026, 9, 28)  # the Monday after the objection was received
    objection = receive()
    client.force_login(caseworker_a)
    response = client.get(reverse("objection_detail", args=[objection.pk]))
    acts = _acts(response)
    assert acts["label"] is None and acts["decide"] is None and acts["refer"] is None and acts["withdraw"] is None
    # HN 30 does not stop the clock for appraisals: offered with the reason, without a form.
    assert "does not stop the answer deadline" in acts["pause"]
    assert "extend" not in acts  # a supervisor's act
    html = response.content.decode()
    assert 'action="{}"'.format(reverse("objection_act", args=[objection.pk, "label"])) in html
    assert reverse("objection_act", args=[objection.pk, "pause"]) not in html
    # Not listed: a complaint's act on an objection, and resuming a clock that is not paused.
    assert "act-accept" not in html and "act-resume" not in html and "act-label" in html
    assert "R-OBJ" not in html  # the regulation's article, never the rule id
    client.force_login(supervisor_a)
    acts = _acts(client.get(reverse("objection_detail", args=[objection.pk])))
    assert acts["request_extension"] is None and "extend" not in acts  # nothing to approve until requested
    client.force_login(auditor_a)
    assert _acts(client.get(reverse("objection_detail", args=[objection.pk]))) == {}


def test_r_obj_3_another_departments_objection_is_a_404_on_every_page(client, labelled, caseworker_b):
    client.force_login(caseworker_b)
    assert client.get(reverse("objection_detail", args=[labelled.pk])).status_code == 404
    assert _act(client, labelled, "decide", sustained="no", reasons="x", reason="x").status_code == 404
    assert client.get(reverse("objection_list")).context["page"].rows == []
    labelled.refresh_from_db()
    assert labelled.state == "verifying"


# --- the acts, posted from the case page ------------------------------------------------------------------------


def test_r_obj_3_the_caseworker_requests_an_extension_and_a_supervisor_approves_it_within_the_cap(
    client, labelled, caseworker_a, supervisor_a, on
):
    """HN 30: 7 WD by law, extended on the approval of the person responsible, never more than 15 WD in all. The
    caseworker requests (shown on the case page), the supervisor approves; beyond the cap the request is refused
    with nothing lost."""
    on(2026, 9, 28)  # the Monday after the objection was received
    client.force_login(caseworker_a)
    assert "extend" not in _acts(client.get(reverse("objection_detail", args=[labelled.pk])))  # a supervisor's act
    response = _act(client, labelled, "extend", reason="More time")
    assert response.status_code == 200 and "Only a supervisor" in response.content.decode()
    html = _act(
        client, labelled, "request_extension", follow=True, days=5, grounds="卷宗需从档案室调取", reason="申请延期"
    ).content.decode()
    assert "Done: Request an extension." in html
    assert "Extension of 5 working days requested by" in html and "卷宗需从档案室调取" in html
    client.force_login(supervisor_a)
    acts = _acts(client.get(reverse("objection_detail", args=[labelled.pk])))
    assert acts["extend"] is None and acts["refuse_extension"] is None
    html = _act(client, labelled, "extend", follow=True, reason="同意延期").content.decode()
    assert "Done: Approve an extension." in html and "2026-10-19" in html
    labelled.refresh_from_db()
    assert labelled.due_date == datetime.date(2026, 10, 19) and labelled.extension_requested_at is None
    client.force_login(caseworker_a)
    response = _act(client, labelled, "request_extension", days=4, grounds="仍需补充材料", reason="再次延期")
    html = response.content.decode()
    assert response.status_code == 200 and "at most 3 more can be approved" in html
    assert 'value="4"' in _input(html, "request_extension-days") and "仍需补充材料" in html
    assert '<details class="mb-2 act-request_extension" open>' in html  # the refused form is open where it was
    assert services.answer_deadline(labelled).extensions.count() == 1
    labelled.refresh_from_db()
    assert labelled.due_date == datetime.date(2026, 10, 19) and labelled.extension_requested_at is None


def test_r_obj_3_a_supervisor_refuses_the_extension_requested_and_the_caseworker_reads_why(
    client, labelled, caseworker_a, supervisor_a, on
):
    on(2026, 9, 28)  # the Monday after the objection was received
    services.objection_request_extension(
        objection=labelled, actor=caseworker_a, days=5, grounds="卷宗需从档案室调取", reason="申请延期"
    )
    client.force_login(supervisor_a)
    response = _act(client, labelled, "refuse_extension", refusal="", reason="不同意")
    assert response.status_code == 200 and Objection.objects.get(pk=labelled.pk).extension_requested_at is not None
    html = _act(
        client, labelled, "refuse_extension", follow=True, refusal="材料已齐备，应按期答复", reason="不同意"
    ).content.decode()
    assert "Done: Refuse the extension." in html
    client.force_login(caseworker_a)
    html = _page(client, labelled)
    assert "材料已齐备，应按期答复" in html and "requested by" not in html
    labelled.refresh_from_db()
    assert labelled.due_date == datetime.date(2026, 10, 12)


def test_r_obj_4_heilongjiang_pauses_for_an_expert_appraisal_and_resumes_the_due_date_moves(
    client, receive, caseworker_a, settings, on
):
    """HL 39: the days of an expert appraisal do not count; the pause is recorded and the due date explained."""
    on(2026, 9, 29)  # the day the handwriting is sent for appraisal
    settings.CREDIT_JURISDICTION = "HL"
    objection = receive(label_now=True)
    client.force_login(caseworker_a)
    assert "2026-09-30" in _page(client, objection)  # HL 39: 3 WD
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = _act(client, objection, "pause", pause_reason="appraisal", paused_from=tomorrow, reason="送鉴定")
    html = response.content.decode()
    assert response.status_code == 200 and "cannot be later than today" in html
    assert f'value="{tomorrow}"' in _input(html, "pause-paused_from")
    assert services.open_pause(objection) is None
    html = _act(
        client, objection, "pause", follow=True, pause_reason="appraisal", paused_from="2026-09-29", reason="笔迹鉴定"
    ).content.decode()
    assert "Done: Pause the clock." in html and services.answer_deadline(objection).status == "paused"
    acts = _acts(client.get(reverse("objection_detail", args=[objection.pk])))
    assert "resume it first" in acts["decide"] and acts["resume"] is None
    on(2026, 10, 9)  # the appraisal report comes in (a new day: the caseworker signs in again)
    client.force_login(caseworker_a)
    html = _act(
        client, objection, "resume", follow=True, paused_until="2026-10-09", reason="鉴定意见已出"
    ).content.decode()
    assert "Done: Resume the clock." in html
    objection.refresh_from_db()
    assert objection.due_date == datetime.date(2026, 10, 12)
    assert "2026-10-12" in html and "2026-09-29" in html and "2026-10-09" in html  # the pause, explained


def test_r_obj_3_the_assisting_department_sees_the_request_and_replies(
    client, receive, caseworker_a, caseworker_b, caseworker_c, dept_b, settings, on
):
    """HL 39: another unit helps verify within its own deadline; it sees the objection (and only it may reply);
    a third department sees nothing."""
    on(2026, 9, 28)  # the Monday after the objection was received
    settings.CREDIT_JURISDICTION = "HL"
    objection = receive(label_now=True)
    client.force_login(caseworker_a)
    html = _act(
        client,
        objection,
        "request_assistance",
        follow=True,
        assisting_department=dept_b.pk,
        request="请核实该处罚决定是否已被撤销",
        reason="处罚由三亚作出",
    ).content.decode()
    assert "Done: Ask another unit to help verify." in html and "2026-10-12" in html  # HL 39: 7 WD when assisted
    assert "reply_assistance" not in _acts(client.get(reverse("objection_detail", args=[objection.pk])))
    client.force_login(caseworker_b)
    assert [o.pk for o in client.get(reverse("objection_list")).context["page"].rows] == [objection.pk]  # its list
    response = client.get(reverse("objection_detail", args=[objection.pk]))
    assert response.status_code == 200 and _acts(response)["reply_assistance"] is None
    assert "请核实该处罚决定是否已被撤销" in response.content.decode()
    response = _act(
        client, objection, "reply_assistance", follow=True, reply="经核实，已于2026年9月20日撤销", reason="核实"
    )
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("my_work")
    html = response.content.decode()
    assert "Done: Reply to the request for verification." in html
    objection.refresh_from_db()
    assert objection.state == "verifying" and objection.assistance_reply.startswith("经核实")
    # issue 21: with its reply the assisting unit's access ends (the applicant's contact details with it); it is
    # taken to its work, not to a page it may no longer open
    assert client.get(reverse("objection_detail", args=[objection.pk])).status_code == 404
    assert client.get(reverse("objection_list")).context["page"].rows == []
    client.force_login(caseworker_c)
    assert client.get(reverse("objection_detail", args=[objection.pk])).status_code == 404
    assert client.get(reverse("objection_list")).context["page"].rows == []


def test_r_obj_6_a_decision_without_reasons_is_refused_with_what_was_typed_kept(client, labelled, caseworker_a):
    client.force_login(caseworker_a)
    response = _act(client, labelled, "decide", sustained="no", reasons="  ", reason="异议不成立的决定")
    html = response.content.decode()
    assert response.status_code == 200 and "This field is required." in html  # the reasons, beside the field
    assert "异议不成立的决定" in html and 'act-decide" open' in html
    response = _act(client, labelled, "decide", sustained="yes", reasons="记载有误", summary=CORRECTED, reason="更正")
    html = response.content.decode()
    assert "Not done." in html and "Say what happens to the record" in html
    assert CORRECTED in html and "记载有误" in html
    labelled.refresh_from_db()
    assert labelled.state == "verifying" and labelled.record.summary == "多次销售过期食品"


def test_r_obj_6_sustained_with_a_correction_the_designation_withdrawn_the_letter_issued_and_served(
    client, labelled, record, caseworker_a, supervisor_a, catalog, dept_a
):
    """The whole outcome from the case page: the decision corrects the record (with history); the designation
    resting on it falls — a caseworker may not withdraw it, so the page refuses and a supervisor decides; the
    response letter is issued, rendered as the worker would, read back, and served."""
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
    decision = {
        "sustained": "yes",
        "remedy": "correct",
        "summary": CORRECTED,
        "designations_fall": "yes",
        "reasons": "经核实，违法次数记载有误",
    }
    client.force_login(caseworker_a)
    response = _act(client, labelled, "decide", reason="异议成立", **decision)
    html = response.content.decode()
    assert response.status_code == 200 and "cannot be ended now" in html and CORRECTED in html
    record.refresh_from_db()
    assert record.summary == "多次销售过期食品" and record.under_objection_since is not None  # nothing half done

    client.force_login(supervisor_a)
    html = _act(client, labelled, "decide", follow=True, reason="异议成立", **decision).content.decode()
    assert "Done: Decide." in html
    record.refresh_from_db()
    designation.refresh_from_db()
    assert record.summary == CORRECTED and record.history.filter(summary="多次销售过期食品").exists()
    assert record.under_objection_since is None and designation.state == "withdrawn"

    client.force_login(caseworker_a)
    today = timezone.localdate().isoformat()
    acts = _acts(client.get(reverse("objection_detail", args=[labelled.pk])))
    assert "Issue the response letter first" in acts["serve_answer"] and acts["issue_answer"] is None
    assert (
        "Done: Issue the response letter."
        in _act(client, labelled, "issue_answer", follow=True, english="no", reason="书面答复").content.decode()
    )
    letter = services.response_letter(labelled)
    assert "being prepared" in _acts(client.get(reverse("objection_detail", args=[labelled.pk])))["serve_answer"]
    letter = document_render(document=letter)  # as the worker does once the act has committed
    html = _page(client, labelled)
    assert letter.number in html and reverse("document_download", args=[letter.pk]) in html
    text = _pdf_text(client, letter)
    assert "异议成立" in text and CORRECTED in text and "违法次数记载有误" in text and "行政复议" in text
    # The information as objected to, and what the correction changed: before and after.
    assert "行政处罚信息：多次销售过期食品" in text and f"更正前：多次销售过期食品更正后：{CORRECTED}" in text, text
    assert "R-OBJ" not in text

    # Served "tomorrow": refused beside the date, what was typed kept; then today: answered.
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    served = {"method": "in_person", "recipient": "李明", "reason": "当面送达"}
    html = _act(client, labelled, "serve_answer", served_on=tomorrow, **served).content.decode()
    assert "cannot be later than today" in html and f'value="{tomorrow}"' in _input(html, "serve_answer-served_on")
    assert 'value="李明"' in _input(html, "serve_answer-recipient")
    labelled.refresh_from_db()
    assert labelled.state == "decided"
    html = _act(client, labelled, "serve_answer", follow=True, served_on=today, **served).content.decode()
    assert "Done: Record service of the response letter." in html and f"{today} · 李明" in html
    labelled.refresh_from_db()
    assert labelled.state == "answered"


def test_the_applicant_withdraws_the_objection_and_the_label_comes_off(client, labelled, record, caseworker_a):
    client.force_login(caseworker_a)
    refused = _act(client, labelled, "withdraw", reason="申请人电话撤回").content.decode()
    assert "Attach the withdrawal the applicant signed" in refused or "This field is required" in refused
    labelled.refresh_from_db()
    assert labelled.state != "withdrawn"  # the caseworker's word alone withdraws nothing (issue 18)
    signed = SimpleUploadedFile("撤回申请书.pdf", b"%PDF-1.4 signed withdrawal", content_type="application/pdf")
    written = {
        "withdrawal_received_on": timezone.localdate(labelled.received_at).isoformat(),
        "withdrawal_document": signed,
    }
    assert (
        "Done: Withdrawn by the applicant."
        in _act(client, labelled, "withdraw", follow=True, reason="申请人书面撤回异议", **written).content.decode()
    )
    record.refresh_from_db()
    labelled.refresh_from_db()
    assert labelled.state == "withdrawn" and record.under_objection_since is None
    clocks = deadlines.deadlines_of(labelled)
    assert clocks.get(rule_id="R-OBJ-3").status == "cancelled" and clocks.get(rule_id="R-OBJ-2").status == "met"


# --- R-OBJ-2: the label on every page, list, filter and export that shows the record ------------------------------


def _labelled_everywhere(client, record, other_record) -> dict[str, bool]:
    """Where ``record`` shows the label; ``other_record`` must never show it."""
    subject = client.get(reverse("subject_detail", args=[record.subject_id])).content.decode()
    detail = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    listing = client.get(reverse("record_list")).content.decode()
    labelled_rows = {row.pk for row in client.get(reverse("record_list") + "?under_objection=yes").context["page"].rows}
    csv_rows = {int(r["ID"]): r["Under objection"] for r in _csv_rows(client, reverse("record_export", args=["csv"]))}
    xlsx_rows = {
        int(r["ID"]): r["Under objection"] for r in _xlsx_rows(client, reverse("record_export", args=["xlsx"]))
    }
    other_detail = client.get(reverse("record_detail", args=[other_record.pk])).content.decode()
    assert "under-objection" not in other_detail and not csv_rows[other_record.pk] and not xlsx_rows[other_record.pk]
    assert other_record.pk not in labelled_rows
    return {
        "subject page": subject.count("under-objection") == 1,  # on the record's row, not on the company
        "record page": "under-objection" in detail,
        "record list": listing.count("Under objection since") == 1,
        "filter": labelled_rows == {record.pk},
        "csv": (csv_rows[record.pk] or "").startswith("Under objection since"),
        "xlsx": (xlsx_rows[record.pk] or "").startswith("Under objection since"),
    }


def test_r_obj_2_the_label_shows_on_every_page_list_filter_and_export_until_the_decision(
    client, receive, record, other_record, caseworker_a
):
    client.force_login(caseworker_a)
    objection = receive()
    assert not any(_labelled_everywhere(client, record, other_record).values())  # received, not yet labelled
    _act(client, objection, "label", reason="收到书面异议，标注")
    assert all(_labelled_everywhere(client, record, other_record).values())
    today = timezone.localdate().isoformat()
    rows = _csv_rows(client, reverse("record_export", args=["csv"]))
    assert {r["ID"]: r["Under objection"] for r in rows}[str(record.pk)] == f"Under objection since {today}"
    assert (
        _act(client, objection, "decide", sustained="no", reasons="处罚决定合法有效", reason="不成立").status_code
        == 302
    )
    labels = _labelled_everywhere(client, record, other_record)
    assert not any(labels.values()), labels
    assert client.get(reverse("record_list") + "?under_objection=yes").context["page"].rows == []


@pytest.fixture
def noticed(record, caseworker_a, catalog, dept_a):
    """A designation resting on the record, its prior notice issued on 1 September 2026: it can be objected to."""
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
    subject_services.related_person_add(  # R-REC-2: the notice names the legal representative
        organisation=record.subject,
        person=PersonFactory(department=dept_a, name="王建国"),
        role="legal_representative",
        actor=caseworker_a,
        reason="工商登记信息",
    )
    designation_services.designation_issue_notice(
        designation=designation, actor=caseworker_a, statement_period_wd=5, reason="Notice", now=at(2026, 9, 1)
    )
    designation.refresh_from_db()
    return designation


def test_r_obj_2_an_objection_to_a_designation_labels_it_on_its_page_list_filter_and_export_until_decided(
    client, record, caseworker_a, supervisor_a, noticed
):
    """Received on the receive page (``?designation=``), decided on the objection's case page by whoever the
    designation's workflow allows (a supervisor, R-DES-2); the label goes with the decision."""
    designation = noticed
    client.force_login(caseworker_a)
    url = f"{reverse('objection_receive')}?subject={record.subject_id}&designation={designation.pk}"
    assert client.get(url).context["form"].initial["about"] == f"designation:{designation.pk}"
    response = client.post(
        url,
        {
            "subject": record.subject_id,
            "about": f"designation:{designation.pk}",
            "ground": "rights_violation",
            "grounds_text": "认定所依据的处罚决定已被撤销",
            "applicant": "李明",
            "received_at": "2026-09-25T10:00",
            "label_now": "yes",
            "reason": "Objection to the designation received",
        },
    )
    objection = Objection.objects.get()
    assert response.status_code == 302 and objection.target == "designation"

    def labelled() -> dict[str, bool]:
        page = client.get(reverse("designation_detail", args=[designation.pk])).content.decode()
        listing = client.get(reverse("designation_list")).content.decode()
        rows = client.get(reverse("designation_list") + "?under_objection=yes").context["page"].rows
        exported = _csv_rows(client, reverse("designation_export", args=["csv"]))
        return {
            "page": "under-objection" in page,
            "list": "Under objection since" in listing,
            "filter": [row.pk for row in rows] == [designation.pk],
            "csv": exported[0]["Under objection"].startswith("Under objection since"),
        }

    assert all(labelled().values())
    decision = {"sustained": "no", "reasons": "处罚决定仍然有效", "reason": "Not adopted"}
    response = _act(client, objection, "decide", **decision)
    assert response.status_code == 200 and "Not done." in response.content.decode()  # a supervisor decides
    assert all(labelled().values())
    client.force_login(supervisor_a)
    assert "Done: Decide." in _act(client, objection, "decide", follow=True, **decision).content.decode()
    assert not any(labelled().values())
    designation.refresh_from_db()
    assert designation.state == "pending_notice" and designation.under_objection_since is None


def test_r_obj_6_a_sustained_objection_to_a_designation_withdraws_it_and_the_letter_says_so(
    client, record, caseworker_a, supervisor_a, noticed
):
    """R-DES-2 (adopted) and R-OBJ-6: the designation is withdrawn through its workflow, and the response letter
    tells the applicant exactly that (withdrawn, not "withdrawn or removed")."""
    objection = services.designation_objection_receive(
        designation=noticed,
        actor=caseworker_a,
        ground="rights_violation",
        grounds_text="认定所依据的处罚决定已被撤销",
        received_at=at(2026, 9, 25),
        reason="Received",
    )
    client.force_login(supervisor_a)
    decision = {"sustained": "yes", "reasons": "处罚决定已被撤销，认定失去依据", "reason": "Adopted"}
    assert "Done: Decide." in _act(client, objection, "decide", follow=True, **decision).content.decode()
    noticed.refresh_from_db()
    assert noticed.state == "withdrawn"
    _act(client, objection, "issue_answer", english="no", reason="书面答复")
    letter = document_render(document=services.response_letter(objection))
    text = _pdf_text(client, letter)
    assert f"已撤销将{record.subject.name}列入严重失信主体名单的认定" in text and "移出" not in text


def test_r_des_2_the_answer_clock_of_an_objection_to_a_designation_runs_until_its_letter_is_served(
    client, caseworker_a, supervisor_a, noticed
):
    """R-DES-2 with R-OBJ-3: decided on the designation's page, the objection is not yet answered: its clock runs
    on (and is in the caseworker's queue) until the response letter is served."""
    objection = services.designation_objection_receive(
        designation=noticed,
        actor=caseworker_a,
        ground="error",
        grounds_text="认定所依据的处罚决定已被撤销",
        received_at=at(2026, 9, 25),
        reason="Received",
    )
    services.designation_objection_decide(
        objection=objection, actor=supervisor_a, sustained=False, reasons="认定事实清楚", reason="Not adopted"
    )
    answer = services.answer_deadline(objection)
    assert answer.status == "open"
    services.objection_issue_answer(objection=objection, actor=caseworker_a, reason="Answer")
    document_render(document=services.response_letter(objection))
    services.objection_serve_answer(
        objection=objection,
        actor=caseworker_a,
        method="in_person",
        served_on=timezone.localdate(),
        recipient="李明",
        reason="Handed over",
    )
    answer.refresh_from_db()
    assert answer.status == "met" and timezone.localdate(answer.met_at) == timezone.localdate()
