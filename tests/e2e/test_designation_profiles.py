"""A designation in each of the other three deployments (issue 19: "three of four deployments cannot designate
anyone"). Heilongjiang, Hubei and Xinjiang set no maximum disclosure period, and every designation there was
refused at the fourth step of the case; the listing is now bounded by the information it rests on in every
profile (``designations.periods``). The Hainan journey is ``test_designation.py``.

In each profile, in the browser and in Chinese: the caseworker drafts the designation from the company's page,
issues the prior notice and records its service, records the company's written waiver, closes the statement
period and sends the case for approval; a supervisor approves it; the caseworker issues the decision and records
its service: the company is listed for the twelve months decided, and the decision, read back from its PDF,
states the listing period and the remedies of that deployment and no internal rule id.

The company and its record are written through the services with dates relative to today (the record determined
a month ago), so the journey holds whatever day it runs.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from creditportal.documents import document_render, documents_of
from creditportal.profiles import current_profile, forget_profiles
from designations.models import Designation
from subjects import services as subject_services
from subjects.tests.factories import OrganisationFactory, PersonFactory
from tests.case_data import make_catalog
from tests.e2e.conftest import log_in, shot
from tests.e2e.test_designation import (  # noqa: F401  (fixtures)
    COMPANY,
    FACTS,
    PROPORTIONALITY,
    REASONS,
    REPRESENTATIVE,
    RULE_ID,
    _compact,
    _do,
    _documents,
    _pdf_text,
    _state,
    _statement_form,
    haikou,
    hk_supervisor,
)


def render_pending(record) -> None:
    """The notice's PDF, as the worker renders it after commit."""
    for document in documents_of(record):
        document_render(document=document)


@pytest.fixture(params=["HL", "HB", "XJ"])
def deployment(request, settings):
    settings.CREDIT_JURISDICTION = request.param
    forget_profiles()
    return request.param


@pytest.fixture
def catalog(deployment, hk_caseworker, haikou):  # noqa: F811
    """The catalog, measures and standard of the deployment's own jurisdiction (tests/case_data.py)."""
    # XJ 44 (R-DIS-2): food-safety punishments are shown for at least 12 months there.
    item = {"display_min_months": 12} if deployment == "XJ" else None
    return make_catalog(actor=hk_caseworker, department=haikou, jurisdiction=deployment, item=item)


@pytest.fixture
def company_record(deployment, hk_caseworker, haikou, catalog):  # noqa: F811
    determined = timezone.localdate() - datetime.timedelta(days=30)
    company = OrganisationFactory(department=haikou, name=COMPANY, address="海口市龙华区滨海大道1号")
    subject_services.related_person_add(
        organisation=company,
        person=PersonFactory(department=haikou, name=REPRESENTATIVE),
        role="legal_representative",
        actor=hk_caseworker,
        reason="工商登记信息",
    )
    record = subject_services.record_create(
        actor=hk_caseworker,
        subject=company,
        catalog_item=catalog[0],
        summary="多次销售过期食品",
        determined_on=determined,
        basis={
            "basis_type": "punishment_decision",
            "number": "市监罚〔2026〕21号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": determined,
        },
        reason="录入行政处罚信息",
    )
    if record.sharing_notice_pending():
        # HB 22 (R-REC-3): the subject was told in writing before the record is shared; until then it grounds no
        # designation (subjects/tests/test_sharing_notice.py proves the hold and the page)
        render_pending(record)
        record = subject_services.sharing_notice_serve(
            record=record,
            actor=hk_caseworker,
            reason="当面送达书面告知书",
            method="in_person",
            served_on=timezone.localdate(),
            recipient=REPRESENTATIVE,
        )
    return record


def test_r_des_1_r_des_5_r_dis_1_a_designation_runs_in_every_deployment(
    browser,
    browser_context_args,
    page,
    deployment,
    hk_caseworker,
    hk_supervisor,  # noqa: F811
    company_record,
):
    today = timezone.localdate().isoformat()
    log_in(page, "hk-caseworker")
    page.goto(f"/subjects/{company_record.subject_id}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMPANY)
    page.get_by_role("link", name="起草认定").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"新建认定：{COMPANY}")
    standard = page.get_by_label("认定标准")
    standard.select_option(
        standard.locator("option", has_text="食品安全领域严重失信主体名单认定标准").get_attribute("value")
    )
    page.get_by_label("行政处罚信息", exact=False).first.check()
    page.get_by_label("N-01 限制参加政府采购").check()
    page.get_by_label("事实").fill(FACTS)
    page.get_by_label("理由", exact=True).fill(REASONS)
    page.get_by_label("过罚相当说明").fill(PROPORTIONALITY)
    page.get_by_label("拟列入期限（月）").fill("12")
    page.get_by_label("陈述和申辩期限（工作日）").fill("5")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").filter(has_text="已起草")).to_be_visible()
    expect(_state(page)).to_have_text("草稿")
    designation = Designation.objects.get()

    _do(page, "出具事先告知书", "事实清楚，拟列入名单，告知当事人")
    _do(
        page,
        "记录事先告知书送达情况",
        "当面送达法定代表人",
        method="直接送达",
        served_on=today,
        recipient=REPRESENTATIVE,
    )
    expect(_state(page)).to_have_text("已告知：陈述申辩期内")
    form = _statement_form(page)
    form.locator("[name$='-kind']").select_option(label="书面放弃陈述和申辩")
    form.locator("[name$='-received_on']").fill(today)
    form.locator("[name$='-text']").fill("当事人书面声明放弃陈述和申辩的权利。")
    form.locator("[name$='-file']").set_input_files(
        files=[{"name": "放弃声明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 signed waiver"}]
    )
    form.locator("[name$='-reason']").fill("收到当事人签署的书面放弃声明")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").filter(has_text="已记录")).to_have_text("陈述和申辩已记录。")
    _do(page, "结束陈述和申辩期", "当事人书面放弃陈述和申辩")
    _do(page, "提交审批", "事实清楚、证据确凿，提请审批")
    expect(_state(page)).to_have_text("待审批")

    supervisor = browser.new_context(**browser_context_args)
    try:
        other = supervisor.new_page()
        log_in(other, "hk-supervisor")
        other.goto(f"/designations/{designation.pk}/")
        _do(other, "批准", "同意列入严重失信主体名单")
        expect(_state(other)).to_have_text("已批准")
    finally:
        supervisor.close()

    page.reload()
    _do(page, "作出认定决定", "依批准意见作出认定决定")
    _do(page, "记录认定决定书送达情况", "邮寄送达当事人住所", method="邮寄送达", served_on=today, recipient=COMPANY)
    expect(_state(page)).to_have_text("已列入名单")
    listed_until = (
        timezone.localdate().replace(year=timezone.localdate().year + 1) - datetime.timedelta(days=1)
    ).isoformat()
    expect(page.get_by_role("region", name="案件信息")).to_contain_text(f"12个月 · {today} – {listed_until}")
    shot(page, f"80-designation-listed-{deployment}")

    decision = _compact(_pdf_text(page, "认定决定书", f"81-designation-decision-{deployment}"))
    profile = current_profile()
    remedies = profile.remedies
    assert "12个月" in decision, decision
    assert (
        f"{remedies['reconsideration_days']}日内" in decision and f"{remedies['litigation_months']}个月内" in decision
    )
    assert "海口市人民政府申请行政复议" in decision, decision
    assert not RULE_ID.search(decision), decision
    assert "日内向" not in decision.replace(f"{remedies['reconsideration_days']}日内向", ""), decision
    expect(_documents(page)).to_contain_text("认定决定书")
    designation.refresh_from_db()
    assert designation.state == "listed" and designation.listed_until.isoformat() == listed_until
