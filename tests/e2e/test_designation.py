"""Journeys of a designation in the browser, in Chinese (issues 7 and 9; README "A walk through the product",
steps 2 and 3).

- The whole designation: a Haikou caseworker drafts a designation on a company with a record, issues the prior
  notice, records its service and the company's written waiver, closes the statement period and sends the case
  for approval; a supervisor returns it with comments, which the caseworker sees; sent again, the supervisor
  who returned it is told that another must approve (four eyes, issue 18), and the deputy head approves it;
  the decision is issued and served, and the company is listed with the measures in force. Both PDFs are read
  back through the page's links.
- The refusals a person meets: a date of service, or of a waiver, later than today.
- A statement period reaching into a year whose holiday schedule is not loaded: provisional, and it cannot
  close the period.

The data the journeys start from (a company with its legal representative and a record, a published standard
and measures) is written through the services, as the seed does; everything after is done in the browser.
"""

import datetime
import io
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from creditportal.choices import DepartmentKind, DepartmentLevel, Role
from creditportal.tests.factories import DepartmentFactory, user_with_role
from designations import services as designation_services
from designations.models import Designation
from subjects import services as subject_services
from subjects.tests.factories import OrganisationFactory, PersonFactory
from tests.case_data import make_catalog
from tests.e2e.conftest import VAR_E2E, log_in, shot

COMPANY = "海口椰风食品有限公司"
REPRESENTATIVE = "王建国"
BASIS = {
    "basis_type": "punishment_decision",
    "number": "海口市监罚〔2026〕21号",
    "issuing_authority": "海口市市场监督管理局",
    "effective_on": datetime.date(2026, 3, 2),
}
FACTS = "当事人于2026年3月多次销售超过保质期的食品，经查证属实。"
REASONS = "当事人的行为属于严重危害人民群众身体健康的失信行为。"
PROPORTIONALITY = "拟采取的措施与违法行为的性质、情节和社会危害程度相当。"
COMMENT = "请在理由中写明当事人整改情况的核查结果"
RULE_ID = re.compile(r"\bR-[A-Z]{2,4}-\d+")


# --- The people and data (written through the services; the tables are emptied after each journey). ---


@pytest.fixture
def haikou(transactional_db):
    """The Haikou market regulator as the demo has it: a prefecture-level department whose decisions are
    reconsidered by 海口市人民政府, numbering its decisions 海口市监信〔2026〕N号 (overrides conftest.py's)."""
    province = DepartmentFactory(
        code="HN-SAMR",
        name="海南省市场监督管理局",
        document_prefix="琼市监信",
        level=DepartmentLevel.PROVINCE,
        kind=DepartmentKind.INDUSTRY_REGULATOR,
    )
    return DepartmentFactory(
        code="HK-SAMR",
        parent=province,
        name="海口市市场监督管理局",
        name_en="Haikou Market Regulation Bureau",
        document_prefix="海口市监信",
        level=DepartmentLevel.PREFECTURE,
        kind=DepartmentKind.INDUSTRY_REGULATOR,
        address="海口市龙华区海秀中路88号",
        contact="信用监督管理科 0898-6500 0505",
        government="海口市人民政府",
    )


@pytest.fixture
def hk_supervisor(haikou):
    return user_with_role(Role.SUPERVISOR, haikou, username="hk-supervisor", first_name="海燕", last_name="陈")


@pytest.fixture
def hk_deputy(haikou):
    """A second supervisor of the department: approves what the first one returned (four eyes)."""
    return user_with_role(Role.SUPERVISOR, haikou, username="hk-deputy", first_name="建国", last_name="王")


@pytest.fixture
def catalog(hk_caseworker, haikou):
    """A published catalog item, measures list (N-01 限制参加政府采购) and standard HN-S-01 (tests/case_data.py)."""
    return make_catalog(actor=hk_caseworker, department=haikou)


@pytest.fixture
def record(hk_caseworker, haikou, catalog):
    """A Haikou company with its legal representative (R-REC-2) and an untrustworthy record (R-REC-1)."""
    company = OrganisationFactory(department=haikou, name=COMPANY, address="海口市龙华区滨海大道1号")
    representative = PersonFactory(department=haikou, name=REPRESENTATIVE)
    subject_services.related_person_add(
        organisation=company,
        person=representative,
        role="legal_representative",
        actor=hk_caseworker,
        reason="工商登记信息",
    )
    return subject_services.record_create(
        actor=hk_caseworker,
        subject=company,
        catalog_item=catalog[0],
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis=BASIS,
        reason="录入行政处罚信息",
    )


def _noticed(record, catalog, caseworker, *, period_wd: int) -> Designation:
    """A designation drafted and its prior notice issued, through the services; the PDF renders after commit
    (Celery is eager in tests)."""
    standard = catalog[1]
    designation = designation_services.designation_create(
        actor=caseworker,
        subject=record.subject,
        standard=standard,
        records=[record],
        measures=list(standard.allowed_measures.all()),
        facts=FACTS,
        reasons=REASONS,
        proportionality_statement=PROPORTIONALITY,
        proposed_listing_months=12,
        reason="起草认定",
    )
    return designation_services.designation_issue_notice(
        designation=designation, actor=caseworker, statement_period_wd=period_wd, reason="出具事先告知书"
    )


# --- What a person sees on the case page. ---


def _today() -> str:
    return timezone.localdate().isoformat()


def _tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def _next_steps(page):
    return page.get_by_role("region", name="下一步操作")


def _act(page, label: str):
    """The form of one act in the case page's "Next steps", opened (as a person clicks its summary)."""
    details = _next_steps(page).locator("details").filter(has=page.locator("summary", has_text=label))
    # An act that cannot be taken now says why after its name ("label — reason"), and has no form.
    expect(details.locator("summary")).to_have_text(label)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator("form")
    expect(form).to_be_visible()
    return form


def _do(page, label: str, reason: str, **fields):
    """Fill an act's form (fields by name: the case page holds one form per act, see the report) and take it."""
    form = _act(page, label)
    for name, value in fields.items():
        field = form.locator(f"[name={name}], [name$='-{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.locator("[name=reason], [name$='-reason']").fill(reason)
    form.get_by_role("button", name=label).click()
    expect(page.get_by_role("alert").filter(has_text="已完成")).to_have_text(f"已完成：{label}。")


def _statement_form(page):
    """The form to record a statement, defence or waiver, opened."""
    details = (
        page.get_by_role("region", name="陈述、申辩和听证")
        .locator("details")
        .filter(has=page.locator("summary", has_text="记录陈述、申辩或书面放弃"))
    )
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator("form")
    expect(form).to_be_visible()
    return form


def _state(page):
    return page.get_by_role("main").locator(".badge.fs-6")


def _documents(page):
    return page.get_by_role("region", name="文书与送达")


def _pdf_link(page, kind: str):
    """The link to a document's PDF; while it is still being rendered the page says so: reload once."""
    link = _documents(page).get_by_role("link", name=kind)
    if not link.count() and _documents(page).get_by_text("正在生成").count():
        page.reload()
    expect(link).to_be_visible()
    return link


def _pdf_text(page, kind: str, name: str) -> str:
    """Download a document through its link on the case page (the browser's session), keep it under var/e2e/
    beside the screenshots (``name``), and read its text."""
    href = _pdf_link(page, kind).get_attribute("href")
    response = page.request.get(href)
    assert response.ok, (href, response.status)
    assert response.headers["content-type"] == "application/pdf"
    VAR_E2E.mkdir(parents=True, exist_ok=True)
    (VAR_E2E / f"{name}.pdf").write_bytes(response.body())
    reader = PdfReader(io.BytesIO(response.body()))
    return "\n".join(p.extract_text() for p in reader.pages)


def _compact(text: str) -> str:
    """PDF text without the line breaks and spaces the layout put into Chinese sentences."""
    return re.sub(r"\s+", "", text)


# --- The journeys. ---


def test_r_des_1_r_des_5_the_whole_designation_from_draft_to_listing_with_a_return_and_both_pdfs(
    browser, browser_context_args, page, hk_caseworker, hk_supervisor, hk_deputy, record
):
    started = time.monotonic()
    today = _today()
    log_in(page, "hk-caseworker")

    # The company's page: its record, and "Prepare a designation".
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="信用主体", exact=True).click()
    page.get_by_role("link", name=COMPANY).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMPANY)
    page.get_by_role("link", name="起草认定").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"新建认定：{COMPANY}")

    # The draft: the published standard, the record, the measure, facts, reasons, proportionality.
    standard = page.get_by_label("认定标准")
    standard.select_option(
        standard.locator("option", has_text="食品安全领域严重失信主体名单认定标准").get_attribute("value")
    )
    page.get_by_label(re.compile("行政处罚信息 · 海口市监罚〔2026〕21号")).check()
    page.get_by_label("N-01 限制参加政府采购").check()
    page.get_by_label("事实").fill(FACTS)
    page.get_by_label("理由", exact=True).fill(REASONS)
    page.get_by_label("过罚相当说明").fill(PROPORTIONALITY)
    expect(page.get_by_label("拟列入期限（月）")).to_have_value("12")
    page.get_by_label("陈述和申辩期限（工作日）").fill("5")
    shot(page, "40-designation-draft-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").filter(has_text="已起草")).to_have_text("认定已起草。下一步：出具事先告知书。")
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMPANY)
    expect(_state(page)).to_have_text("草稿")
    designation = Designation.objects.get()

    # The prior notice (a PDF, rendered after the act commits), then its service today.
    _do(page, "出具事先告知书", "事实清楚，拟列入名单，告知当事人")
    expect(_pdf_link(page, "事先告知书")).to_be_visible()
    shot(page, "41-designation-notice-issued")
    _do(
        page,
        "记录事先告知书送达情况",
        "当面送达法定代表人",
        method="直接送达",
        served_on=today,
        recipient=REPRESENTATIVE,
    )
    expect(_state(page)).to_have_text("已告知：陈述申辩期内")
    expect(_documents(page)).to_contain_text(f"直接送达 · {today} · {REPRESENTATIVE}")
    deadlines = page.get_by_role("region", name="办理期限")
    expect(deadlines).to_be_visible()
    expect(deadlines).not_to_contain_text("暂定")
    # The period runs: it cannot be closed yet, and the page says until when.
    expect(_next_steps(page).locator("summary", has_text="结束陈述和申辩期")).to_contain_text("陈述和申辩期限至")
    shot(page, "42-designation-notice-served")

    # The company waives statement and defence in writing (the signed waiver uploaded), today.
    form = _statement_form(page)
    form.locator("[name=kind], [name$='-kind']").select_option(label="书面放弃陈述和申辩")
    form.locator("[name=received_on], [name$='-received_on']").fill(today)
    form.locator("[name=text], [name$='-text']").fill("当事人书面声明放弃陈述和申辩的权利。")
    form.locator("[name=file], [name$='-file']").set_input_files(
        files=[{"name": "放弃陈述申辩声明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 signed waiver"}]
    )
    form.locator("[name=reason], [name$='-reason']").fill("收到当事人签署的书面放弃声明")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").filter(has_text="已记录")).to_have_text("陈述和申辩已记录。")
    statements = page.get_by_role("region", name="陈述、申辩和听证")
    expect(statements).to_contain_text(f"书面放弃陈述和申辩 · {today}")
    expect(statements.get_by_role("link", name="附件")).to_be_visible()

    # The waiver ends the period: close it, and send the case for approval.
    _do(page, "结束陈述和申辩期", "当事人书面放弃陈述和申辩")
    expect(_state(page)).to_have_text("审查中")
    _do(page, "提交审批", "事实清楚、证据确凿，提请审批")
    expect(_state(page)).to_have_text("待审批")
    shot(page, "43-designation-sent-for-approval")
    page.goto("/designations/queue/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的待办")
    # The case stays in the caseworker's queue while it waits for approval, which they may recall.
    waiting = page.get_by_role("region", name="我的待审批案件")
    expect(waiting.get_by_role("listitem").filter(has_text=COMPANY)).to_contain_text("等待审批")
    shot(page, "43a-queue-caseworker-awaiting-approval")

    # The supervisor, in their own session, finds it in "My work" and returns it with comments.
    supervisor = browser.new_context(**browser_context_args)
    try:
        other = supervisor.new_page()
        log_in(other, "hk-supervisor")
        other.get_by_role("navigation", name="主导航").get_by_role("link", name="严重失信主体认定").click()
        other.get_by_role("link", name="我的待办").click()
        approvals = other.get_by_role("region", name="待您审批")
        approvals.get_by_role("link", name=re.compile(COMPANY)).click()
        expect(other.get_by_role("heading", level=1)).to_contain_text(COMPANY)
        expect(_state(other)).to_have_text("待审批")
        # The supervisor's panel opens on Approve, not Return.
        expect(_next_steps(other).locator("details[open] > summary")).to_have_text(["批准"])
        shot(other, "44-designation-seen-by-supervisor")
        _do(other, "附意见退回", COMMENT)
        expect(_state(other)).to_have_text("审查中")

        # The caseworker finds the case back among their cases in progress, with the supervisor's comment, and
        # sends it again.
        page.reload()
        in_progress = page.get_by_role("region", name="我的在办案件")
        expect(in_progress.get_by_role("listitem").filter(has_text=COMPANY)).to_contain_text("审查中")
        in_progress.get_by_role("link", name=COMPANY).click()
        expect(_state(page)).to_have_text("审查中")
        expect(page.get_by_role("region", name=re.compile("退回：需要修改的内容"))).to_contain_text(COMMENT)
        expect(page.get_by_role("region", name="事先告知后仍可修改的内容")).to_contain_text("已锁定：")
        assert not re.search(r"R-[A-Z]{3}-\d", page.content()), "a rule id reached the case page"
        shot(page, "45-designation-returned-with-comments")
        _do(page, "提交审批", "已核查整改情况，再次提请审批")
        expect(_state(page)).to_have_text("待审批")

        # The supervisor who returned it reviewed what he asked for: the page tells him another must approve.
        other.reload()
        approve = _next_steps(other).locator("details.act-approve summary")
        expect(approve).to_contain_text("须由另一名负责人审批")
        expect(_next_steps(other).get_by_role("button", name="批准")).to_have_count(0)
        shot(other, "45a-designation-returner-cannot-approve")
    finally:
        supervisor.close()

    # The deputy head approves.
    deputy = browser.new_context(**browser_context_args)
    try:
        other = deputy.new_page()
        log_in(other, "hk-deputy")
        other.goto(f"/designations/{designation.pk}/")
        _do(other, "批准", "同意列入严重失信主体名单")
        expect(_state(other)).to_have_text("已批准")
        expect(other.get_by_role("region", name="案件信息")).to_contain_text("王建国")
        shot(other, "46-designation-approved")
    finally:
        deputy.close()

    # The caseworker issues the numbered decision and records its service today: the company is listed.
    page.reload()
    _do(page, "作出认定决定", "依批准意见作出认定决定")
    expect(_state(page)).to_have_text("已作出认定决定")
    expect(_documents(page).get_by_role("listitem").filter(has_text="认定决定书")).to_contain_text(
        "海口市监信〔2026〕1号"
    )
    expect(_pdf_link(page, "认定决定书")).to_be_visible()
    # R-NAT-4 (两书同达): the notice on credit restoration is issued with the decision, numbered on its own
    restoration_notice = _documents(page).get_by_role("listitem").filter(has_text="信用修复告知书")
    expect(restoration_notice).to_contain_text("海口市监信修告〔2026〕1号")
    expect(_pdf_link(page, "信用修复告知书")).to_be_visible()
    _do(page, "记录认定决定书送达情况", "邮寄送达当事人住所", method="邮寄送达", served_on=today, recipient=COMPANY)
    expect(_state(page)).to_have_text("已列入名单")
    # one act recorded the service of both documents
    expect(restoration_notice).to_contain_text(f"邮寄送达 · {today} · {COMPANY}")
    case = page.get_by_role("region", name="案件信息")
    expect(case.get_by_role("listitem").filter(has_text="N-01 限制参加政府采购")).to_contain_text("实施中")
    listed_until = (
        timezone.localdate().replace(year=timezone.localdate().year + 1) - datetime.timedelta(days=1)
    ).isoformat()
    expect(case).to_contain_text(f"12个月 · {today} – {listed_until}")
    shot(page, "47-designation-listed")

    # Both documents, downloaded through the page's links and read back.
    notice = _compact(_pdf_text(page, "事先告知书", "48-designation-notice"))
    assert COMPANY in notice and "陈述" in notice and "申辩" in notice, notice
    assert "告" in _documents(page).locator("li").filter(has_text="事先告知书").inner_text()
    assert not RULE_ID.search(notice), notice
    decision = _compact(_pdf_text(page, "认定决定书", "49-designation-decision"))
    assert "海口市监信〔2026〕1号" in decision, decision
    assert COMPANY in decision and "限制参加政府采购" in decision, decision
    # One listing period: the case's twelve months, and no other (the litigation limit "6个月内" aside).
    assert set(re.findall(r"(\d+)个月(?!内)", decision)) == {"12"}, decision
    assert "三年" not in decision and "36个月" not in decision, decision
    # What the company did: a written waiver.
    assert "放弃" in decision, decision
    # Remedies: reconsideration before the people's government at the department's level, within 60 days.
    assert re.search(r"60日内.*海口市人民政府申请行政复议", decision), decision
    assert not RULE_ID.search(decision), decision
    # The notice served with it: the decision it goes with, from when and how to apply, with what, free of charge.
    info = _compact(_pdf_text(page, "信用修复告知书", "49a-designation-restoration-notice"))
    for expected in ("信用修复告知书", COMPANY, "海口市监信〔2026〕1号", "信用承诺书", "不收取任何费用"):
        assert expected in info, (expected, info)
    assert not RULE_ID.search(info), info

    page.get_by_role("region", name="案件信息").get_by_role("link", name=COMPANY).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMPANY)
    shot(page, "47a-subject-listed")

    designation.refresh_from_db()
    assert designation.state == "listed" and designation.approver == hk_deputy
    print(f"\nthe whole designation in the browser: {time.monotonic() - started:.1f}s")


def test_r_des_1_dates_later_than_today_are_refused_in_chinese_with_what_was_typed_kept(
    page, hk_caseworker, record, catalog
):
    designation = _noticed(record, catalog, hk_caseworker, period_wd=5)
    today, tomorrow = _today(), _tomorrow()
    log_in(page, "hk-caseworker")
    page.goto(f"/designations/{designation.pk}/")
    expect(_state(page)).to_have_text("待告知")
    expect(_pdf_link(page, "事先告知书")).to_be_visible()

    # Service of the notice "tomorrow": refused, the reason beside the date, everything typed kept.
    form = _act(page, "记录事先告知书送达情况")
    form.locator("[name=method], [name$='-method']").select_option(label="直接送达")
    form.locator("[name=served_on], [name$='-served_on']").fill(tomorrow)
    form.locator("[name=recipient], [name$='-recipient']").fill(REPRESENTATIVE)
    form.locator("[name=reason], [name$='-reason']").fill("当面送达法定代表人")
    form.get_by_role("button", name="记录事先告知书送达情况").click()
    expect(_next_steps(page).locator(".invalid-feedback")).to_have_text(f"送达日期不能晚于今天（{today}）。")
    form = _act(page, "记录事先告知书送达情况")
    expect(form.locator("[name=served_on], [name$='-served_on']")).to_have_value(tomorrow)
    expect(form.locator("[name=recipient], [name$='-recipient']")).to_have_value(REPRESENTATIVE)
    expect(form.locator("[name=method], [name$='-method']")).to_have_value("in_person")
    expect(form.locator("[name=reason], [name$='-reason']")).to_have_value("当面送达法定代表人")
    expect(page.get_by_role("alert").filter(has_text="已完成")).to_have_count(0)
    shot(page, "60-designation-service-in-the-future-refused")
    designation.refresh_from_db()
    assert designation.state == "pending_notice"

    # Corrected to today: done.
    form.locator("[name=served_on], [name$='-served_on']").fill(today)
    form.get_by_role("button", name="记录事先告知书送达情况").click()
    expect(page.get_by_role("alert").filter(has_text="已完成")).to_have_text("已完成：记录事先告知书送达情况。")
    expect(_state(page)).to_have_text("已告知：陈述申辩期内")

    # A written waiver signed "tomorrow": refused likewise, what was typed kept.
    form = _statement_form(page)
    form.locator("[name=kind], [name$='-kind']").select_option(label="书面放弃陈述和申辩")
    form.locator("[name=received_on], [name$='-received_on']").fill(tomorrow)
    form.locator("[name=text], [name$='-text']").fill("当事人书面声明放弃陈述和申辩的权利。")
    form.locator("[name=file], [name$='-file']").set_input_files(
        files=[{"name": "放弃陈述申辩声明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 signed waiver"}]
    )
    form.locator("[name=reason], [name$='-reason']").fill("收到当事人签署的书面放弃声明")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_role("region", name="陈述、申辩和听证").locator(".invalid-feedback")).to_have_text(
        f"放弃声明的签署日期不能晚于今天（{today}）。"
    )
    form = _statement_form(page)
    expect(form.locator("[name=received_on], [name$='-received_on']")).to_have_value(tomorrow)
    expect(form.locator("[name=kind], [name$='-kind']")).to_have_value("waiver")
    expect(form.locator("[name=text], [name$='-text']")).to_have_value("当事人书面声明放弃陈述和申辩的权利。")
    expect(form.locator("[name=reason], [name$='-reason']")).to_have_value("收到当事人签署的书面放弃声明")
    shot(page, "61-designation-waiver-in-the-future-refused")
    assert not designation.statements.exists()


def test_r_des_1_a_statement_period_reaching_into_2027_is_provisional_and_cannot_close(
    page, hk_caseworker, record, catalog
):
    designation = _noticed(record, catalog, hk_caseworker, period_wd=40)
    log_in(page, "hk-caseworker")
    page.goto(f"/designations/{designation.pk}/")
    _do(
        page,
        "记录事先告知书送达情况",
        "当面送达法定代表人",
        method="直接送达",
        served_on=_today(),
        recipient=REPRESENTATIVE,
    )
    expect(_state(page)).to_have_text("已告知：陈述申辩期内")

    # The warning at the top, and the due date marked provisional.
    warning = page.get_by_role("status").filter(has_text="暂定")
    expect(warning).to_contain_text("2027")
    deadline = page.get_by_role("region", name="办理期限").get_by_role("listitem").first
    expect(deadline).to_contain_text(re.compile(r"2027-\d\d-\d\d"))
    expect(deadline.locator(".badge", has_text="暂定")).to_be_visible()
    # Closing the period is offered with the reason it is not possible, and no button.
    close = _next_steps(page).locator("details").filter(has=page.locator("summary", has_text="结束陈述和申辩期"))
    expect(close.locator("summary")).to_contain_text("暂定")
    expect(close.locator("form")).to_have_count(0)
    expect(page.get_by_role("button", name="结束陈述和申辩期")).to_have_count(0)
    shot(page, "62-designation-provisional-deadline")

    # The work queue lists the provisional due date too.
    page.goto("/designations/queue/")
    expect(page.get_by_role("main")).to_contain_text("暂定")
    shot(page, "63-queue-provisional")
    designation.refresh_from_db()
    assert designation.state == "notified"
