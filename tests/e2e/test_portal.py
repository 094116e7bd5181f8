"""Issue 22's "Done when", the subject's side, in the browser: a listed company's legal representative signs in to the
portal with his identity number and the code mailed to the address he signed for, acts for the company, sees it on
the list, downloads the decision served on it electronically (served the day it reached his address) and reads it;
anyone holding the PDF finds its department's signature valid on the public verification page. He authorises the
company's clerk as its agent for objections only; the clerk signs in with his own number, acts for the company in
that matter alone and files an objection to the listing online with a document; the department labels it, and the
public list shows the company "under objection". Then the representative applies online for restoration with the
company's commitment; the department accepts (the commitment is published), a second supervisor grants it and its
notice is served; he reads the outcome and the notice in the portal."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from designations.services import designation_serve_decision
from designations.tests.helpers import draft, to_state
from objections.models import Objection
from objections.services import objection_label
from subjects import services as subject_services
from subjects.models import RelatedPerson
from tests.e2e.conftest import VAR_E2E, shot
from tests.e2e.test_designation import COMPANY, REPRESENTATIVE, catalog, haikou, hk_supervisor, record  # noqa: F401
from tests.e2e.test_restoration import hk_head  # noqa: F401  (fixture)

AGENT = "李明远"


@pytest.fixture
def agent(haikou, hk_caseworker):  # noqa: F811
    """The company's clerk: a natural person who signed for electronic service, so that he can sign in."""
    from subjects.tests.factories import PersonFactory

    person = PersonFactory(department=haikou, name=AGENT)
    subject_services.service_consent_register(
        subject=person,
        actor=hk_caseworker,
        reason="收到送达地址确认书",
        address="li@example.cn",
        consented_on=timezone.localdate(),
        confirmation=SimpleUploadedFile("确认书.pdf", b"%PDF-1.7 signed", content_type="application/pdf"),
    )
    return person


@pytest.fixture
def listed(record, catalog, hk_caseworker, hk_supervisor, haikou):  # noqa: F811
    representative = RelatedPerson.objects.get(organisation=record.subject).person
    subject_services.service_consent_register(  # he signed for electronic service at the counter
        subject=representative,
        actor=hk_caseworker,
        reason="收到送达地址确认书",
        address="wang@example.cn",
        consented_on=timezone.localdate(),
        confirmation=SimpleUploadedFile("确认书.pdf", b"%PDF-1.7 signed", content_type="application/pdf"),
    )
    subject_services.service_consent_register(  # and for the company, as its legal representative
        subject=record.subject,
        actor=hk_caseworker,
        reason="收到送达地址确认书",
        address="wang@example.cn",
        consented_on=timezone.localdate(),
        confirmation=SimpleUploadedFile("确认书.pdf", b"%PDF-1.7 signed", content_type="application/pdf"),
    )
    designation = draft(caseworker=hk_caseworker, department=haikou, record=record, catalog=catalog)
    designation = to_state(designation, "decision_issued", caseworker=hk_caseworker, supervisor=hk_supervisor)
    # served electronically, with the restoration notice (R-NAT-4): the service is the message reaching his address
    return designation_serve_decision(
        designation=designation,
        actor=hk_caseworker,
        reason="电子送达",
        method="electronic",
        served_on=timezone.localdate(),
        recipient="法定代表人",
    )


def test_the_legal_representative_reads_the_decision_objects_and_applies_for_restoration_online(
    browser,
    browser_context_args,
    page,
    listed,
    hk_caseworker,
    hk_head,  # noqa: F811
    agent,
    mailoutbox,
):
    representative = RelatedPerson.objects.get(organisation=listed.subject).person
    page.goto("/list/")
    page.get_by_role("link", name="我的信用信息").click()
    page.get_by_label("身份证件号码").fill(representative.identifier)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("验证码").fill(re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1))
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的信用信息")
    page.get_by_role("combobox", name="查看谁的信息").select_option(label=f"{COMPANY}（以法定代表人身份）")
    page.get_by_role("button", name="查看", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text(listed.subject.identifier)
    expect(page.get_by_role("region", name="严重失信主体名单")).to_contain_text("已列入名单")
    shot(page, "120-portal-company")

    documents = page.get_by_role("region", name="我的文书")
    decision = documents.get_by_role("listitem").filter(has_text="认定决定书")
    with page.expect_download() as download:
        decision.get_by_role("link", name="PDF").click()
    body = Path(download.value.path()).read_bytes()
    VAR_E2E.mkdir(parents=True, exist_ok=True)
    (VAR_E2E / "portal-decision.pdf").write_bytes(body)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages))
    assert COMPANY in text and listed.decision_number in text

    # anyone holding it checks the department's signature and that it is the very file issued
    visitor = browser.new_context(**browser_context_args)
    try:
        public = visitor.new_page()
        public.goto("/verify/")
        public.get_by_role("link", name="上传PDF核验文书的电子签名").click()
        public.get_by_label("PDF文书").set_input_files(str(VAR_E2E / "portal-decision.pdf"))
        public.get_by_role("button", name="开始核验").click()
        result = public.get_by_role("region", name=re.compile("真实有效"))
        expect(result).to_contain_text("海口市市场监督管理局")
        expect(result).to_contain_text(listed.decision_number)
        shot(public, "124-document-verified")
    finally:
        visitor.close()

    # he authorises an agent for objections only, until a month from now, as the electronic business licence does
    agents = page.get_by_role("region", name="代理人")
    agents.get_by_label("代理人身份证件号码").fill(agent.identifier)
    agents.get_by_label("代理人姓名").fill(AGENT)
    agents.get_by_label("异议：提出和跟踪办理").check()
    agents.get_by_label("有效期至").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    agents.get_by_role("button", name="授权", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="现可代表")).to_be_visible()
    expect(page.get_by_role("region", name="代理人")).to_contain_text("异议：提出和跟踪办理")
    shot(page, "125-portal-agent-authorised")

    # the agent signs in with his own number and code, acts for the company in that matter only, and objects
    clerk = browser.new_context(**browser_context_args)
    try:
        own = clerk.new_page()
        own.goto("/my/")
        own.get_by_label("身份证件号码").fill(agent.identifier)
        own.get_by_role("button", name="获取验证码").click()
        own.get_by_label("验证码").fill(re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1))
        own.get_by_role("button", name="登录").click()
        own.get_by_role("combobox", name="查看谁的信息").select_option(label=f"{COMPANY}（以受托代理人身份）")
        own.get_by_role("button", name="查看", exact=True).click()
        expect(own.get_by_role("main")).to_contain_text("仅可办理以下事项")
        expect(own.get_by_role("region", name="我的文书")).to_have_count(0)  # documents are not his matter
        own.get_by_role("region", name="严重失信主体名单").get_by_role("link", name="提出异议").click()
        expect(own.get_by_role("heading", level=1)).to_have_text("提出异议")
        own.get_by_label("异议事由").select_option(label="信息错误")
        own.get_by_label("异议内容及理由").fill("本公司已于认定前整改完毕，过期食品系供应商调换所致，认定有误。")
        own.get_by_label("证明材料（可选）").set_input_files(
            files=[{"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 report"}]
        )
        own.get_by_role("button", name="提交异议").click()
        expect(own.get_by_role("alert").filter(has_text="您的异议已提交")).to_be_visible()
        expect(own.get_by_role("region", name="我的异议")).to_contain_text("海口市市场监督管理局")
        shot(own, "121-portal-objection-filed-by-agent")
    finally:
        clerk.close()
    objection = Objection.objects.get(designation=listed)
    assert objection.applicant == f"{COMPANY}受托代理人{AGENT}"

    # the department labels it "under objection" (R-OBJ-2): the public list says so
    objection_label(objection=objection, actor=hk_caseworker, reason="核查期间标注")
    visitor = browser.new_context(**browser_context_args)
    try:
        public = visitor.new_page()
        public.goto("/list/")
        row = public.get_by_role("row", name=re.compile(COMPANY))
        expect(row).to_contain_text("异议处理中")
        shot(public, "122-public-list-under-objection")
    finally:
        visitor.close()

    # after the objection, the company applies online for restoration with its public credit commitment
    from restoration import services as restoration_services
    from restoration.models import RestorationApplication
    from restoration.tests.conftest import promise

    promise(10)  # the deployment's promised period (R-RES-5)
    page.goto("/my/")
    page.get_by_role("region", name="严重失信主体名单").get_by_role("link", name="申请信用修复").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申请信用修复")
    expect(page.get_by_role("main")).to_contain_text("不收取任何费用")
    page.get_by_label("信用修复方式").select_option(label="信用整改")
    page.get_by_label("纠正失信行为、消除不良影响的情况及证明材料").fill("已全面整改，建立进货查验制度，缴清罚款")
    commitment = "本公司公开承诺：所提交材料真实有效，今后严格守法经营，不再发生同类失信行为。"
    page.get_by_label("您的公开信用承诺").fill(commitment)
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("alert").filter(has_text="您的申请已提交")).to_be_visible()
    expect(page.get_by_role("region", name="我的信用修复申请")).to_contain_text("已接收")
    application = RestorationApplication.objects.get(designation=listed)
    application = restoration_services.restoration_accept(application=application, actor=hk_caseworker, reason="受理")
    application = restoration_services.restoration_review(
        application=application, actor=hk_caseworker, reason="审查", opinion="整改到位"
    )
    restoration_services.restoration_grant(application=application, actor=hk_head, reason="准予修复")
    from designations.tests.helpers import render_pending

    render_pending(application)
    restoration_services.restoration_serve_notice(
        application=application,
        actor=hk_caseworker,
        reason="电子送达",
        method="electronic",
        served_on=timezone.localdate(),
        recipient="法定代表人",
    )
    assert mailoutbox[-1].to == ["wang@example.cn"] and mailoutbox[-1].attachments  # served to his address
    page.reload()
    expect(page.get_by_role("region", name="我的信用修复申请")).to_contain_text("准予修复")
    expect(page.get_by_role("region", name="我的文书")).to_contain_text("信用修复通知书")
    shot(page, "123-portal-restored")
    visitor = browser.new_context(**browser_context_args)
    try:
        public = visitor.new_page()
        public.goto("/commitments/")
        expect(public.get_by_role("article", name=COMPANY)).to_contain_text(commitment)
        public.goto("/list/")
        expect(public.get_by_role("row", name=re.compile(COMPANY))).to_have_count(0)  # restored: off the list
    finally:
        visitor.close()
