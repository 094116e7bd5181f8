"""Issue 22 ("a natural person downloads a credit report and verifies it by its code"; HN 28, R-SEC-1), in the
browser: at her request a caseworker issues a natural person's credit report from her page; she signs in to the
portal with her identity number and the code mailed to the address she signed for, downloads the report from "my
documents" and reads it; signed out, she verifies it by its code (the letters typed as read, without dashes) and
sees "valid" with the PDF's SHA-256 (the copy she downloaded) and her number masked; once revoked, the same code says
"revoked" and why."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from subjects import services as subject_services
from subjects.models import CreditReport
from subjects.tests.conftest import BASIS
from subjects.tests.factories import PersonFactory
from tests.e2e.conftest import log_in, shot
from tests.e2e.test_designation import catalog, haikou  # noqa: F401  (fixtures)

PERSON = "黄文静"


@pytest.fixture
def person(hk_caseworker, haikou, catalog):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    person = PersonFactory(department=haikou, name=PERSON)
    subject_services.service_consent_register(  # her signed confirmation of electronic service, at the counter
        subject=person,
        actor=hk_caseworker,
        reason="收到确认书",
        address="huang@example.cn",
        consented_on=timezone.localdate(),
        confirmation=SimpleUploadedFile("确认书.pdf", b"%PDF-1.7 signed", content_type="application/pdf"),
    )
    subject_services.record_create(
        actor=hk_caseworker,
        subject=person,
        catalog_item=catalog[0],
        summary="拒不履行行政处罚决定",
        determined_on=timezone.localdate().replace(day=1),
        basis={**BASIS, "number": "海口市监罚〔2026〕77号", "effective_on": timezone.localdate().replace(day=1)},
        reason="录入行政处罚信息",
    )
    return person


def test_r_sec_1_a_credit_report_issued_downloaded_and_verified_by_its_code(
    browser, browser_context_args, page, person, mailoutbox
):
    log_in(page, "hk-caseworker")
    page.goto(f"/subjects/{person.pk}/")
    page.get_by_role("link", name="出具信用报告").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("出具信用报告")
    page.get_by_role("button", name="出具报告").click()
    expect(page.get_by_role("alert").filter(has_text="信用报告已出具")).to_be_visible()
    report = CreditReport.objects.get(subject=person)
    reports = page.get_by_role("region", name="信用报告")
    expect(reports).to_contain_text(report.verification_code)
    link = reports.get_by_role("link", name="PDF")
    if not link.count():
        page.reload()
    expect(link).to_be_visible()
    shot(page, "110-credit-report-issued")

    holder = browser.new_context(**browser_context_args)
    try:
        # she signs in to the portal with her number and the code mailed to her address
        visitor = holder.new_page()
        visitor.goto("/list/")
        visitor.get_by_role("link", name="我的信用信息").click()
        visitor.get_by_label("身份证件号码").fill(person.identifier)
        visitor.get_by_role("button", name="获取验证码").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("输入验证码")
        code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
        visitor.get_by_label("验证码").fill(code)
        visitor.get_by_role("button", name="登录").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("我的信用信息")
        expect(visitor.get_by_role("region", name="公示中的信息")).to_contain_text("拒不履行行政处罚决定")
        shot(visitor, "111a-portal-home")
        mine = visitor.get_by_role("region", name="我的文书")
        with visitor.expect_download() as download:
            mine.get_by_role("link", name="PDF").click()
        body = Path(download.value.path()).read_bytes()
        text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages))
        for expected in ("信用报告", PERSON, "拒不履行行政处罚决定", report.verification_code, "免费出具"):
            assert expected in text, expected
        visitor.get_by_role("button", name="退出登录").click()
        visitor.goto("/list/")
        visitor.get_by_role("link", name="核验报告或文书").click()
        visitor.get_by_label("验证码").fill(report.verification_code.replace("-", "").lower())
        visitor.get_by_role("button", name="核验").click()
        result = visitor.get_by_role("region", name=re.compile("有效"))
        expect(result).to_contain_text(PERSON)
        expect(result).to_contain_text(hashlib.sha256(body).hexdigest())  # the copy in hand is the one issued
        expect(result).not_to_contain_text(person.identifier)
        expect(result).not_to_contain_text("拒不履行")  # nothing of the content
        shot(visitor, "111-credit-report-verified")

        page.goto(f"/subjects/{person.pk}/")
        reports.get_by_role("link", name="撤销").click()
        page.get_by_label("撤销理由").fill("出具有误，已重新出具")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("alert").filter(has_text="信用报告已撤销")).to_be_visible()
        visitor.reload()
        expect(visitor.get_by_role("region", name=re.compile("已撤销"))).to_contain_text("出具有误，已重新出具")
        shot(visitor, "112-credit-report-revoked")
    finally:
        holder.close()
