"""Issue 22's "Done when", the subject's side, in the browser: a listed company's legal representative signs in to the
portal with his identity number and the code mailed to the address he signed for, acts for the company, sees it on
the list, downloads the decision served on it and reads it, files an objection to the listing online with a
document; the department labels it, and the public list shows the company "under objection"."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from designations.tests.helpers import draft, to_state
from objections.models import Objection
from objections.services import objection_label
from subjects import services as subject_services
from subjects.models import RelatedPerson
from tests.e2e.conftest import VAR_E2E, shot
from tests.e2e.test_designation import COMPANY, REPRESENTATIVE, catalog, haikou, hk_supervisor, record  # noqa: F401


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
    designation = draft(caseworker=hk_caseworker, department=haikou, record=record, catalog=catalog)
    return to_state(designation, "listed", caseworker=hk_caseworker, supervisor=hk_supervisor)


def test_the_legal_representative_reads_the_decision_and_objects_online_and_the_list_shows_it(
    browser, browser_context_args, page, listed, hk_caseworker, mailoutbox
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

    page.get_by_role("region", name="严重失信主体名单").get_by_role("link", name="提出异议").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提出异议")
    page.get_by_label("异议事由").select_option(label="信息错误")
    page.get_by_label("异议内容及理由").fill("本公司已于认定前整改完毕，过期食品系供应商调换所致，认定有误。")
    page.get_by_label("证明材料（可选）").set_input_files(
        files=[{"name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 report"}]
    )
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("alert").filter(has_text="您的异议已提交")).to_be_visible()
    mine = page.get_by_role("region", name="我的异议")
    expect(mine).to_contain_text("海口市市场监督管理局")
    shot(page, "121-portal-objection-filed")
    objection = Objection.objects.get(designation=listed)
    assert objection.applicant == f"{COMPANY}法定代表人{REPRESENTATIVE}"

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
