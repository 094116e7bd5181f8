"""Issue 22 ("a natural person downloads a credit report and verifies it by its code"; HN 28, R-SEC-1), in the
browser as it stands before the subject portal: at the counter, a caseworker issues a natural person's credit report
from the person's page, downloads it and reads it back; someone holding it, signed out, verifies it by its code (the
letters typed as read, without dashes) and sees "valid" with the PDF's SHA-256 and a masked number; once revoked, the
same code says "revoked" and why."""

import hashlib
import io
import re

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
    person = PersonFactory(department=haikou, name=PERSON)
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
    browser, browser_context_args, page, person
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
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    body = response.body()
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages))
    for expected in ("信用报告", PERSON, "拒不履行行政处罚决定", report.verification_code, "免费出具"):
        assert expected in text, expected

    holder = browser.new_context(**browser_context_args)
    try:
        visitor = holder.new_page()
        visitor.goto("/list/")
        visitor.get_by_role("link", name="信用报告核验").click()
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
