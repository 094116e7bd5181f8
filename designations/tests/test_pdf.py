"""The decision and notice PDFs: every element R-DES-5 asks for, in Chinese, read back from the PDF."""

import io
import re

import pytest
from pypdf import PdfReader

from creditportal import documents, pdf
from designations.tests.helpers import draft, to_state

pytestmark = pytest.mark.django_db


def _text(document) -> str:
    document.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(document.file.read()))
    finally:
        document.file.close()
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def listed(caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
        return to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)


def test_r_des_5_the_decision_states_every_element(listed):
    document = listed.decision_document()
    text = _text(document)
    expected = {
        "department": "海口市市场监督管理局",
        "number": "测市监〔2026〕1号",
        "subject": "海口椰风食品有限公司",
        "identifier": listed.subject.identifier,
        "related person (R-REC-2)": "王建国",
        "facts": "多次销售超过保质期的食品",
        "reasons": "严重危害人民群众身体健康的失信行为",
        "legal basis": "《食品安全法》",
        "basis document": "海口市监罚〔2026〕21号",
        "measure": "限制参加政府采购",
        "measure clause": "《政府采购法》第22条",
        "warning": "警示",
        "period": "期限为12个月",
        "removal on expiry": "列入期限届满",
        "early removal by restoration": "申请信用修复",
        "removal procedure": "申请、审核、移出",
        "what the subject did": "未提出陈述、申辩",
        "reconsideration 60 days": "60日内",
        "reconsideration": "行政复议",
        "litigation 6 months": "6个月内",
        "litigation": "行政诉讼",
    }
    missing = {k: v for k, v in expected.items() if v not in text}
    assert not missing, missing
    assert documents.document_verify(document=document)
    # Chinese only unless the English parallel text was chosen; no internal rule id in an official document
    assert "Decision" not in text and not re.search(r"R-[A-Z]{3}-\d", text)


def test_r_des_1_the_notice_states_facts_basis_measures_and_rights(listed):
    text = _text(listed.notice_document())
    for fragment in ("事先告知书", "陈述和申辩", "5个工作日内", "听证", "限制参加政府采购", "多次销售超过保质期的食品"):
        assert fragment in text


def test_an_issued_document_is_rendered_once_and_never_changes(listed):
    document = listed.decision_document()
    sha, name = document.sha256, document.file.name
    documents.document_render(document=document)
    document.refresh_from_db()
    assert (document.sha256, document.file.name) == (sha, name)


def test_a_correction_is_a_new_numbered_document_that_supersedes(
    caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks
):
    from designations import services

    with django_capture_on_commit_callbacks(execute=True):
        designation = to_state(
            draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
            "decision_issued",
            caseworker=caseworker_a,
            supervisor=supervisor_a,
        )
    old = designation.decision_document()
    with django_capture_on_commit_callbacks(execute=True):
        services.designation_correct_decision(designation=designation, actor=supervisor_a, reason="Typo in the facts")
    old.refresh_from_db()
    new = designation.decision_document()
    assert new.pk != old.pk and old.superseded_by == new
    assert (old.number, new.number) == ("测市监〔2026〕1号", "测市监〔2026〕2号")
    assert "取代测市监〔2026〕1号" in _text(new)
    assert documents.document_verify(document=old)


def test_a_served_decision_is_not_corrected_in_place(listed, supervisor_a):
    from django.core.exceptions import ValidationError

    from designations import services

    with pytest.raises(ValidationError, match="before it is served"):
        services.designation_correct_decision(designation=listed, actor=supervisor_a, reason="x")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.com/x.css",
        "http://127.0.0.1:8000/admin/",
        "https://creditportal.invalid/static/../../etc/passwd",
        "https://creditportal.invalid/media/consents/a.pdf",
    ],
)
def test_the_pdf_renderer_fetches_nothing_but_static_files(url):
    with pytest.raises(pdf.ForbiddenResource):
        pdf.restricted_url_fetcher(url)


def test_the_renderer_serves_the_applications_static_files():
    result = pdf.restricted_url_fetcher("https://creditportal.invalid/static/css/portal.css")
    assert b"creditportal" in result.read()


def test_typed_markup_cannot_reach_a_local_file(
    tmp_path, caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks
):
    """Text a user typed is escaped, and even markup reaching WeasyPrint could only load static files."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    with django_capture_on_commit_callbacks(execute=True):
        designation = draft(
            caseworker=caseworker_a,
            department=dept_a,
            record=record,
            catalog=catalog,
            facts=f'<img src="file://{secret}"><object data="file://{secret}"></object>事实',
        )
        designation = to_state(designation, "decision_issued", caseworker=caseworker_a, supervisor=supervisor_a)
    text = _text(designation.decision_document())
    assert "TOP-SECRET-CONTENT" not in text
    assert "<imgsrc" in text  # shown as text, not interpreted


def test_chinese_is_set_in_the_embedded_noto_cjk_fonts(listed):
    """Decision documents render Chinese with Noto CJK fonts embedded (no tofu, no missing glyphs)."""
    document = listed.decision_document()
    document.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(document.file.read()))
    finally:
        document.file.close()
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Noto-Serif-CJK" in name or "Noto-Sans-CJK" in name for name in fonts), fonts
