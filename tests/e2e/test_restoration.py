"""The restoration journey in the browser, in Chinese (issue 11, "Done when"): a listed Haikou company applies
for credit restoration (received by the caseworker from the designation's page), the application is accepted
with a promised period, reviewed, and granted by a second supervisor from the restoration work queue; the
company leaves the list, its measures stop, its record is archived and absent from its page; the restoration
notice is issued, read back from its PDF, and its service recorded.

The listed designation the journey starts from is walked through its due process by the designation services
(designations/tests/helpers.py), as the designation journeys prove it in the browser.
"""

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from creditportal.choices import Role
from creditportal.tests.factories import user_with_role
from designations.models import Designation
from designations.tests.helpers import draft, to_state
from restoration.tests.conftest import promise
from subjects.models import CreditRecord
from tests.e2e.conftest import VAR_E2E, log_in, shot
from tests.e2e.test_designation import COMPANY, catalog, haikou, hk_supervisor, record  # noqa: F401  (fixtures)


@pytest.fixture
def listed(record, catalog, hk_caseworker, hk_supervisor, haikou):  # noqa: F811
    promise(10)  # the deployment's promised period (R-RES-5): the decision states it, acceptance counts it
    designation = draft(caseworker=hk_caseworker, department=haikou, record=record, catalog=catalog)
    return to_state(designation, "listed", caseworker=hk_caseworker, supervisor=hk_supervisor)


@pytest.fixture
def hk_head(haikou):  # noqa: F811
    return user_with_role(Role.SUPERVISOR, haikou, username="hk-head", first_name="国强", last_name="周")


def _next_steps(page):
    return page.get_by_role("region", name="下一步操作")


def _do(page, label: str, reason: str, **fields):
    summary = page.locator("summary", has_text=re.compile(f"^{re.escape(label)}"))
    details = _next_steps(page).locator("details").filter(has=summary)
    expect(details.locator("summary")).to_have_text(label)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator("form")
    for name, value in fields.items():
        form.locator(f"[name$='-{name}']").fill(value)
    form.locator("[name$='-reason']").fill(reason)
    form.get_by_role("button", name=label).click()
    expect(page.get_by_role("alert").filter(has_text="已完成")).to_have_text(f"已完成：{label}。")


def test_r_res_1_to_r_res_5_a_listed_company_is_restored_and_leaves_the_list(
    browser, browser_context_args, page, listed, hk_head
):
    log_in(page, "hk-caseworker")
    page.goto(f"/designations/{listed.pk}/")  # the listed designation's case page offers restoration
    page.get_by_role("link", name="申请信用修复").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申请信用修复")
    expect(page.get_by_text("信用修复不收取任何费用")).to_be_visible()
    page.locator("[name=method]").select_option(label="信用整改")
    page.locator("[name=evidence]").fill("已完成整改，缴清罚款，提交整改报告及验收意见")
    page.locator("[name=commitment]").fill("本单位公开承诺：所提交材料真实有效，不再发生同类失信行为。")
    page.locator("[name=reason]").fill("当事人书面申请")
    shot(page, "70-restoration-application")
    page.get_by_role("button", name="接收申请").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMPANY)
    expect(page.get_by_role("main").locator(".badge.fs-6")).to_have_text("已接收")

    expect(page.get_by_text("自受理之日起10个工作日内办结")).to_be_visible()
    _do(page, "受理", "材料齐全，予以受理")
    expect(page.get_by_role("region", name="办理期限")).to_contain_text("申请受理")
    # R-NAT-3: accepted, the commitment is public — on the commitments page and on the company's list entry
    public = browser.new_context(**browser_context_args)
    try:
        visitor = public.new_page()
        visitor.goto("/commitments/")
        expect(visitor.get_by_role("heading", level=1)).to_have_text("信用承诺公示")
        card = visitor.get_by_role("article", name=COMPANY)
        expect(card).to_contain_text("本单位公开承诺：所提交材料真实有效，不再发生同类失信行为。")
        expect(card).to_contain_text("严重失信主体名单")
        shot(visitor, "70b-public-commitment")
        visitor.goto("/list/")
        visitor.get_by_role("link", name=COMPANY).click()
        expect(visitor.get_by_role("region", name="公开信用承诺")).to_contain_text("不再发生同类失信行为")
    finally:
        public.close()
    _do(page, "记录审查意见", "审查完毕", opinion="当事人已纠正失信行为，整改材料真实完整")
    expect(page.get_by_role("main").locator(".badge.fs-6")).to_have_text("审查中")
    shot(page, "71-restoration-under-review")

    # A second supervisor finds it in the restoration work queue and grants it.
    context = browser.new_context(**browser_context_args)
    try:
        other = context.new_page()
        log_in(other, "hk-head")
        other.goto("/restoration/queue/")
        other.get_by_role("region", name="待您决定").get_by_role("link", name=re.compile(COMPANY)).click()
        _do(other, "准予修复", "经审查符合信用修复条件")
        expect(other.get_by_role("main").locator(".badge.fs-6")).to_have_text("准予修复")
        documents = other.get_by_role("region", name="文书与送达")
        link = documents.get_by_role("link", name="信用修复通知书")
        if not link.count():
            other.reload()
        expect(link).to_be_visible()
        response = other.request.get(link.get_attribute("href"))
        assert response.ok and response.headers["content-type"] == "application/pdf"
        VAR_E2E.mkdir(parents=True, exist_ok=True)
        (VAR_E2E / "restoration-notice.pdf").write_bytes(response.body())
        text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages))
        for expected in ("信用修复通知书", COMPANY, "移出严重失信主体名单", "惩戒措施同时停止", "不收取任何费用"):
            assert expected in text, expected
        assert not re.search(r"R-[A-Z]{2,4}-\d", text)
        _do(
            other,
            "记录信用修复通知书送达情况",
            "直接送达",
            served_on=timezone.localdate().isoformat(),
            recipient="王建国",
        )
        expect(documents).to_contain_text("王建国")
        shot(other, "72-restoration-granted")
    finally:
        context.close()

    listed.refresh_from_db()
    assert listed.state == "removed" and listed.removal_reason == "restoration"
    assert not listed.designation_measures.filter(status="active").exists()
    archived = CreditRecord.objects.get(pk=listed.records.get().pk)
    assert archived.status == "archived"
    # The company's page no longer shows the record (R-DIS-3, R-RES-4), and the designation is off the list.
    page.goto(f"/subjects/{archived.subject_id}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMPANY)
    assert "多次销售过期食品" not in page.content()
    assert Designation.objects.filter(state="listed").count() == 0


def test_r_des_2_a_supervisor_cannot_delist_without_the_case_behind_it(page, listed):
    """Issue 18: on a listed company's case page, "Remove from the list" is not a free choice of reason: the
    supervisor is told that a listing ends only through its case (a granted restoration, a sustained objection, a
    revoked basis, or the end of the period), and the company stays listed."""
    log_in(page, "hk-supervisor")
    page.goto(f"/designations/{listed.pk}/")
    remove = _next_steps(page).locator("details", has=page.locator("summary", has_text="移出名单"))
    expect(remove.locator("summary")).to_contain_text("只能依据相应的案件移出名单")
    expect(remove.locator("form")).to_have_count(0)  # nothing to send: the reason says what is needed
    expect(page.get_by_role("main").locator(".badge.fs-6").first).to_have_text("已列入名单")
    shot(page, "75-designation-delisting-needs-its-case")
    listed.refresh_from_db()
    assert listed.state == "listed"
