"""Journeys of an objection in the browser, in Chinese (issue 10, "Done when"; R-OBJ-1 to R-OBJ-6).

- HN: a Haikou caseworker receives, from the record's page, a written objection received on Friday 25 September
  2026 (the last working day before National Day) and labels it at once; the record shows "under objection" on
  the company's page, its own page and the record list (and the list's filter finds it); the answer is due on
  12 October, and the case page explains why (1–7 October not counted, the make-up Saturday counted). A
  supervisor approves an extension of 5 working days; one of 4 more, beyond the 15-WD cap, is refused with the
  reason and what was typed kept. The supervisor sustains the objection with a correction of the record: the
  designation resting on it is withdrawn. The caseworker issues the response letter (rendered, downloaded and
  read back) and records its service; the label is gone.
- HL: the clock is paused for an expert appraisal and resumed; the due date moves. Two days after it passed, the
  caseworker tries to pause it again and is told the deadline has passed and stays passed (issue 18).

Each journey happens on the days of its story (``on``, the clock of the process that serves the pages moved there),
never on the day the suite runs: what may be done to a statutory clock depends on the day it is done. Sessions end
with the browser (their cookies carry no date the browser's own clock would judge), and whoever comes back on a
later day signs in again. The journey lets each page reach ``load`` before it moves on (full runs caught it leaving
pages still loading: a race of the journey, not of the pages).

The data the journeys start from (a company with a record, a designation drafted on it) is written through the
services, as the seed does; everything after is done in the browser. Labels of the objection pages are looked up
in the catalogue (``_zh``), so the journeys read what a Chinese user reads.
"""

import datetime
import io
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from creditportal.choices import DepartmentKind, DepartmentLevel, Role
from creditportal.tests.factories import DepartmentFactory, user_with_role
from designations import services as designation_services
from designations.models import Designation
from objections import services as objection_services
from objections.choices import ObjectionState, PauseReason
from objections.forms import DecideForm
from objections.models import Objection
from objections.workflow import OBJECTION
from subjects import services as subject_services
from subjects.models import CreditRecord
from subjects.tests.factories import OrganisationFactory
from tests.case_data import make_catalog
from tests.e2e.conftest import VAR_E2E, log_in, shot

COMPANY = "海口椰风食品有限公司"
SUMMARY = "多次销售过期食品"
CORRECTED = "销售过期食品一次"
GROUNDS = "处罚决定书认定的违法次数有误，实际仅销售过期食品一次。"
APPLICANT = "海口椰风食品有限公司（委托代理人 李明）"
BASIS = {
    "basis_type": "punishment_decision",
    "number": "海口市监罚〔2026〕88号",
    "issuing_authority": "海口市市场监督管理局",
    "effective_on": datetime.date(2026, 3, 2),
}
RULE_ID = re.compile(r"\bR-[A-Z]{2,4}-\d+")


def _zh(message) -> str:
    """What a Chinese user reads for ``message`` (the catalogue's translation, or the message itself)."""
    with translation.override("zh-hans"):
        return str(message)


def _act_label(name: str) -> str:
    return _zh(OBJECTION.transitions[name].label)


def _choice(field: str, value: str) -> str:
    """The label a person picks in the decision form's ``field`` for ``value`` (objections/forms.py)."""
    return _zh(dict(DecideForm.base_fields[field].choices)[value])


# --- The people and data (written through the services; the tables are emptied after each journey). ---


@pytest.fixture
def haikou(transactional_db):
    """The Haikou market regulator as the demo has it (overrides conftest.py's): its letters are numbered
    海口市监复〔2026〕N号 and reconsidered by 海口市人民政府."""
    province = DepartmentFactory(
        code="HN-SAMR",
        name="海南省市场监督管理局",
        document_prefix="琼市监",
        level=DepartmentLevel.PROVINCE,
        kind=DepartmentKind.INDUSTRY_REGULATOR,
    )
    return DepartmentFactory(
        code="HK-SAMR",
        parent=province,
        name="海口市市场监督管理局",
        name_en="Haikou Market Regulation Bureau",
        document_prefix="海口市监",
        level=DepartmentLevel.PREFECTURE,
        kind=DepartmentKind.INDUSTRY_REGULATOR,
        address="海口市龙华区海秀中路88号",
        contact="信用监督管理科 0898-6500 0505",
        government="海口市人民政府",
    )


@pytest.fixture
def story(on, settings):
    """The days of the story, with cookies that carry no expiry date (the browser runs on today's date)."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    return on


@pytest.fixture
def hk_supervisor(haikou):
    return user_with_role(Role.SUPERVISOR, haikou, username="hk-supervisor", first_name="海燕", last_name="陈")


@pytest.fixture
def catalog(hk_caseworker, haikou):
    return make_catalog(actor=hk_caseworker, department=haikou)


@pytest.fixture
def record(hk_caseworker, haikou, catalog) -> CreditRecord:
    company = OrganisationFactory(department=haikou, name=COMPANY, address="海口市龙华区滨海大道1号")
    return subject_services.record_create(
        actor=hk_caseworker,
        subject=company,
        catalog_item=catalog[0],
        summary=SUMMARY,
        determined_on=datetime.date(2026, 3, 2),
        basis=BASIS,
        reason="录入行政处罚信息",
    )


@pytest.fixture
def designation(record, catalog, hk_caseworker) -> Designation:
    """A designation drafted on the record before the objection arrived: it rests on the record."""
    standard = catalog[1]
    return designation_services.designation_create(
        actor=hk_caseworker,
        subject=record.subject,
        standard=standard,
        records=[record],
        measures=list(standard.allowed_measures.all()),
        facts="当事人于2026年3月多次销售超过保质期的食品。",
        reasons="严重危害人民群众身体健康。",
        proportionality_statement="拟采取的措施与违法行为的性质、情节和社会危害程度相当。",
        proposed_listing_months=12,
        reason="起草认定",
    )


# --- What a person sees and does on the case page. ---


def _next_steps(page):
    return page.get_by_role("region", name="下一步操作")


def _act(page, name: str):
    """The form of one act under "Next steps", opened as a person clicks its name."""
    details = _next_steps(page).locator(f"details.act-{name}")
    expect(details.locator("summary")).to_have_text(_act_label(name))  # offered, and possible now
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator("form")
    expect(form).to_be_visible()
    return form


def _fill(form, name: str, fields: dict) -> None:
    for field, value in fields.items():
        element = form.locator(f"[name='{name}-{field}']")
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(label=value)
        else:
            element.fill(value)


def _do(page, name: str, reason: str, **fields) -> None:
    form = _act(page, name)
    _fill(form, name, {**fields, "reason": reason})
    form.get_by_role("button", name=_act_label(name)).click()
    expect(page.get_by_role("alert").filter(has_text="已完成")).to_have_text(f"已完成：{_act_label(name)}。")
    page.wait_for_load_state("load")  # the page after the act loads whole before the journey moves on


def _state(page):
    return page.locator(".objection-state")


def _answer_due(page):
    return page.get_by_role("region", name="办理期限").locator(".clock-r-obj-3").first


def _documents(page):
    return page.get_by_role("region", name="文书与送达")


def _pdf_text(page, name: str) -> str:
    """The response letter through its link on the case page (reloaded once if still being prepared), kept under
    var/e2e/ beside the screenshots, read back."""
    link = _documents(page).locator("a[href$='/pdf/']")
    if not link.count():
        page.reload()
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    VAR_E2E.mkdir(parents=True, exist_ok=True)
    (VAR_E2E / f"{name}.pdf").write_bytes(response.body())
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages))


def _label(page):
    return page.get_by_role("main").locator(".under-objection")


# --- The journeys. ---


def test_r_obj_1_to_r_obj_6_an_objection_received_before_national_day_labelled_extended_sustained_and_answered(
    browser, browser_context_args, page, hk_caseworker, hk_supervisor, record, designation, story
):
    story(2026, 9, 28, hour=9)  # Monday: the written objection came in on Friday, before the weekend
    today = timezone.localdate().isoformat()
    log_in(page, "hk-caseworker")

    # The company's page, then the record's page: "Receive an objection", pre-set on the record.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="信用主体", exact=True).click()
    page.wait_for_load_state("load")  # each page loads whole before the journey moves on (the watch checks)
    page.get_by_role("link", name=COMPANY).click()
    # the subject's page itself (the question of purpose before it names the company too), then loaded whole
    expect(page.get_by_role("region", name="信用记录")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMPANY)
    expect(_label(page)).to_have_count(0)
    page.wait_for_load_state("load")
    page.get_by_role("link", name=re.compile("行政处罚信息")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("行政处罚信息")
    page.wait_for_load_state("load")
    page.get_by_role("link", name="接收异议").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    form = page.locator("main form")
    expect(form.locator("[name=about]")).to_have_value(f"record:{record.pk}")
    expect(form.locator("[name=applicant]")).to_have_value(COMPANY)
    form.locator("[name=ground]").select_option(label="信息错误")
    form.locator("[name=grounds_text]").fill(GROUNDS)
    form.locator("[name=applicant]").fill(APPLICANT)
    form.locator("[name=applicant_contact]").fill("0898-6666 8888")
    form.locator("[name=received_at]").fill("2026-09-25T10:00")  # Friday, the last working day before 1 October
    form.locator("[name=reason]").fill("前台收到书面异议申请")
    shot(page, "70-objection-receive")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")

    # The case page: labelled at once, the answer due on 12 October, and how that date was counted.
    expect(_state(page)).to_have_text(_zh(ObjectionState.VERIFYING.label))
    objection = Objection.objects.get()
    due = _answer_due(page)
    expect(due).to_contain_text("2026-10-12")
    due.locator("summary").click()
    explained = due.locator("details")
    expect(explained).to_contain_text("国庆节")  # 1–7 October not counted
    expect(explained).to_contain_text("10-10")  # the make-up Saturday counted
    expect(explained).to_contain_text("2026-09-25")
    assert not RULE_ID.search(page.locator("main").inner_text())
    shot(page, "71-objection-case-received")

    # Labelled on the company's page, the record's page and the record list (and the filter finds it).
    page.get_by_role("link", name=COMPANY).first.click()
    page.wait_for_load_state("load")
    expect(_label(page)).to_have_count(1)
    shot(page, "71a-subject-record-under-objection")
    expect(page.get_by_role("main").locator("tr").filter(has=page.locator(".under-objection"))).to_contain_text(
        "行政处罚信息"
    )
    page.goto(f"/subjects/records/{record.pk}/")
    expect(page.get_by_role("heading", level=1).locator(".under-objection")).to_have_text("异议处理中")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="信用记录").click()
    page.wait_for_load_state("load")
    rows = page.get_by_role("main").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(timezone.localdate().isoformat())
    page.locator("[name=under_objection]").select_option("yes")
    page.locator("main form").first.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(rows).to_have_count(1)
    expect(page).to_have_url(re.compile("under_objection=yes"))
    shot(page, "72-record-list-under-objection")

    # HN 30: the caseworker requests 5 more working days; a supervisor finds the request in "My work" and
    # approves it; 4 more would pass the cap of 15, and are refused when requested.
    page.goto(f"/objections/{objection.pk}/")
    _do(page, "request_extension", "申请延长答复期限", days="5", grounds="卷宗需从档案室调取")
    expect(page.get_by_role("main").locator(".extension-request")).to_contain_text("卷宗需从档案室调取")
    shot(page, "72a-objection-extension-requested")
    supervisor = browser.new_context(**browser_context_args)
    try:
        other = supervisor.new_page()
        log_in(other, "hk-supervisor")
        other.get_by_role("link", name="我的待办").first.click()
        other.wait_for_load_state("load")
        expect(other.get_by_role("heading", level=1)).to_have_text("我的待办")
        requests = other.get_by_role("region", name="待您批准的延长期限申请")
        expect(requests).to_contain_text("卷宗需从档案室调取")
        shot(other, "72b-my-work-extension-request")
        requests.get_by_role("link", name=re.compile(COMPANY)).click()
        other.wait_for_load_state("load")
        _do(other, "extend", "同意延长")
        expect(_answer_due(other)).to_contain_text("2026-10-19")
        page.reload()
        form = _act(page, "request_extension")
        _fill(form, "request_extension", {"days": "4", "grounds": "仍需补充材料", "reason": "再次申请"})
        form.get_by_role("button", name=_act_label("request_extension")).click()
        page.wait_for_load_state("load")
        refusal = page.get_by_role("main").locator(".alert-danger")
        expect(refusal).to_contain_text("15")
        expect(refusal).to_contain_text("3")
        form = _act(page, "request_extension")
        expect(form.locator("[name='request_extension-days']")).to_have_value("4")
        expect(form.locator("[name='request_extension-grounds']")).to_have_value("仍需补充材料")
        expect(_answer_due(page)).to_contain_text("2026-10-19")
        shot(page, "73-objection-extension-beyond-the-cap-refused")
        other.reload()

        # Sustained with a correction: the designation resting on the record no longer stands (a supervisor may
        # withdraw it).
        form = _act(other, "decide")
        _fill(
            form,
            "decide",
            {
                "sustained": _choice("sustained", "yes"),
                "reasons": "经核实，复议决定已将违法次数更正为一次。",
                "remedy": _choice("remedy", "correct"),
                "summary": CORRECTED,
                "designations_fall": _choice("designations_fall", "yes"),
                "reason": "核实后异议成立",
            },
        )
        shot(other, "73a-objection-decide-form")
        form.get_by_role("button", name=_act_label("decide")).click()
        other.wait_for_load_state("load")
        expect(other.get_by_role("alert").filter(has_text="已完成")).to_have_text(f"已完成：{_act_label('decide')}。")
        expect(_state(other)).to_have_text(_zh(ObjectionState.DECIDED.label))
        other.goto(f"/designations/{designation.pk}/")
        expect(other.get_by_role("main").locator(".badge.fs-6").first).to_have_text("已撤回")
        shot(other, "74-designation-withdrawn")
    finally:
        supervisor.close()

    # The caseworker issues the response letter, reads it back, and records its service today.
    page.goto(f"/objections/{objection.pk}/")
    _do(page, "issue_answer", "书面答复申请人")
    expect(_documents(page)).to_contain_text("海口市监复〔2026〕1号")
    letter = _pdf_text(page, "75-objection-response-letter")
    assert "信用信息异议处理答复书" in letter and "海口市监复〔2026〕1号" in letter, letter
    assert "异议成立" in letter and CORRECTED in letter and "行政复议" in letter, letter
    assert f"更正前：{SUMMARY}更正后：{CORRECTED}" in letter, letter
    assert not RULE_ID.search(letter), letter
    _do(page, "serve_answer", "当面送达委托代理人", method="直接送达", served_on=today, recipient="李明")
    expect(_state(page)).to_have_text(_zh(ObjectionState.ANSWERED.label))
    expect(_documents(page)).to_contain_text(f"直接送达 · {today} · 李明")
    expect(_answer_due(page)).to_contain_text(f"{today} 办结")
    expect(_answer_due(page).locator(".clock-late")).to_have_count(0)  # answered before 19 October
    shot(page, "76-objection-answered")

    # The label is gone: the record page and the list.
    page.goto(f"/subjects/records/{record.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("行政处罚信息")
    expect(_label(page)).to_have_count(0)
    page.goto("/subjects/records/?under_objection=yes")
    expect(page.get_by_role("main").locator("tbody tr").filter(has_text=COMPANY)).to_have_count(0)
    record.refresh_from_db()
    assert record.summary == CORRECTED and record.under_objection_since is None


def test_r_obj_4_heilongjiang_pauses_the_clock_for_an_expert_appraisal_and_resumes_it_and_a_passed_deadline_stays_passed(
    page, hk_caseworker, record, settings, story
):
    settings.CREDIT_JURISDICTION = "HL"
    story(2026, 9, 29)  # Tuesday: the handwriting goes to the appraiser today
    objection = objection_services.objection_receive(
        actor=hk_caseworker,
        subject=record.subject,
        target="record",
        record=record,
        ground="error",
        grounds_text=GROUNDS,
        received_at=timezone.make_aware(datetime.datetime(2026, 9, 25, 10)),
        applicant=APPLICANT,
        reason="前台收到书面异议申请",
    )
    log_in(page, "hk-caseworker")
    page.goto(f"/objections/{objection.pk}/")
    expect(_state(page)).to_have_text(_zh(ObjectionState.RECEIVED.label))
    shot(page, "77a-objection-received-not-yet-labelled")
    _do(page, "label", "收到书面异议，当日标注")
    expect(page.get_by_role("main").locator(".under-objection")).to_have_count(1)
    expect(_answer_due(page)).to_contain_text("2026-09-30")  # HL 39: 3 working days
    _do(page, "pause", "笔迹送司法鉴定", pause_reason=_zh(PauseReason.APPRAISAL.label), paused_from="2026-09-29")
    expect(_answer_due(page)).to_contain_text("暂停计时")
    expect(page.locator(".answer-paused")).to_have_text("答复期限暂停计时中")  # not "overdue" while paused
    expect(_next_steps(page).locator("details.act-decide summary")).not_to_have_text(_act_label("decide"))
    shot(page, "77-objection-clock-paused")
    story(2026, 10, 9, hour=16)  # the appraisal report comes in; the caseworker signs in again
    log_in(page, "hk-caseworker")
    page.goto(f"/objections/{objection.pk}/")
    _do(page, "resume", "鉴定意见书已送达", paused_until="2026-10-09")
    due = _answer_due(page)
    expect(due).to_contain_text("2026-10-12")
    due.locator("summary").click()
    expect(due.locator("details")).to_contain_text("2026-09-29")
    expect(due.locator("details")).to_contain_text("2026-10-09")
    shot(page, "78-objection-clock-resumed")
    objection.refresh_from_db()
    assert objection.due_date == datetime.date(2026, 10, 12)

    # Issue 18: two days after the answer was due, another pause would revive the missed deadline. The page says
    # why it cannot be taken, and the deadline stays missed.
    story(2026, 10, 14)
    log_in(page, "hk-caseworker")
    page.goto(f"/objections/{objection.pk}/")
    expect(_answer_due(page).locator(".clock-late")).to_have_text("逾期")
    pause = _next_steps(page).locator("details.act-pause")
    expect(pause).to_contain_text("2026-10-12")
    expect(pause.locator("form")).to_have_count(0)
    shot(page, "78a-objection-passed-deadline-cannot-be-paused")
    objection.refresh_from_db()
    assert objection.due_date == datetime.date(2026, 10, 12)
