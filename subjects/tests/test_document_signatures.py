"""Signed documents (issue 22): every issued PDF carries its department's PAdES signature over the whole file; it
validates in pyHanko's validator and in an independent one (Poppler's ``pdfsig``, on NSS, trusting the same root); a
changed byte fails both; a document without a valid signature is not served electronically."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from creditportal import documents, signing
from creditportal.choices import ServiceMethod
from subjects.tests.test_service_consent import _consent, _serve, document  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _content(document) -> bytes:  # noqa: F811 (the fixture's name)
    document.file.open("rb")
    try:
        return document.file.read()
    finally:
        document.file.close()


def _pdfsig(content: bytes, database: Path, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{database}", str(path)], capture_output=True, text=True, check=False
    ).stdout


def test_an_issued_document_is_signed_by_its_department_and_validates_in_two_validators(document, tmp_path, settings):  # noqa: F811
    assert document.signed
    content = _content(document)
    check = signing.signer().check(content)
    assert check.valid and check.signer == document.department.name
    assert documents.signature_refusal(document) is None
    report = _pdfsig(content, _nss_for(settings, tmp_path), tmp_path)
    assert "Signature is Valid." in report and "Certificate is Trusted." in report and "Total document signed" in report


def _nss_for(settings, tmp_path):
    database = tmp_path / "nss"
    database.mkdir(exist_ok=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{database}", "--empty-password"], check=True)
    for index, root in enumerate(sorted((Path(settings.SIGNING_DIR) / "trust").glob("*.pem"))):
        subprocess.run(
            ["certutil", "-A", "-d", f"sql:{database}", "-n", f"root{index}", "-t", "C,C,C", "-i", str(root)],
            check=True,
        )
    return database


def test_a_changed_byte_fails_both_validators(document, tmp_path, settings):  # noqa: F811
    content = bytearray(_content(document))
    at = content.index(b"stream") + 40  # inside the first content stream, which the signature covers
    content[at] ^= 0x01
    check = signing.signer().check(bytes(content))
    assert check.signed and not check.intact and not check.valid
    report = _pdfsig(bytes(content), _nss_for(settings, tmp_path), tmp_path)
    assert "Signature is Valid." not in report


def test_bytes_added_after_signing_are_not_covered(document):  # noqa: F811
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(_content(document)), strict=False)
    writer.root["/Lang"] = pdf_string("en")  # a new revision the signature does not cover
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    check = signing.signer().check(out.getvalue())
    assert check.signed and check.intact and not check.whole_file and not check.valid


def test_a_signature_from_another_root_is_not_trusted(document, tmp_path):  # noqa: F811
    from creditportal import pdf

    spec = documents._spec(document)
    unsigned = pdf.render_pdf(template=spec.template, context=spec.build_context(case=document.case, document=document))
    elsewhere = signing.PyHankoSigner(tmp_path / "elsewhere")  # its own demo root, made on first use
    forged = elsewhere.sign(unsigned, department=document.department, reason="伪造")
    check = signing.signer().check(forged)
    assert check.signed and check.intact and not check.trusted and not check.valid
    assert elsewhere.check(forged).valid  # the same file is valid for whoever trusts that root


def test_an_unsigned_document_is_not_served_electronically_but_on_paper(
    record, caseworker_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    """A department without a certificate (and no demo root) stores its documents unsigned; the electronic service
    is refused, in the user's language, and nothing is recorded; paper stays."""
    from subjects.selectors import report_verification
    from subjects.tests.test_credit_reports import _issue

    settings.LANGUAGE_CODE = "zh-hans"
    settings.SIGNING_DEMO_CA = False
    settings.SIGNING_DIR = str(tmp_path / "no-certificates")
    report = _issue(record.subject, caseworker_a, django_capture_on_commit_callbacks)
    unsigned = report_verification(report.verification_code).pdf
    assert not unsigned.signed and not signing.signer().check(_content(unsigned)).signed
    _consent(record.subject, caseworker_a)
    with pytest.raises(ValidationError) as refused:
        _serve(unsigned, caseworker_a, ServiceMethod.ELECTRONIC, timezone.localdate())
    assert "电子签名" in refused.value.message_dict["method"][0]
    assert not unsigned.services.exists()
    _serve(unsigned, caseworker_a, ServiceMethod.IN_PERSON, timezone.localdate())
    assert unsigned.services.count() == 1


def test_the_public_verification_page_checks_the_signature_and_the_hash(client, document, settings):  # noqa: F811
    """Anyone holding the PDF checks it without signing in: the original is authentic (signed, issued as it is); a
    copy with one byte changed is not (its signature fails, no document has its SHA-256); a file that is not a PDF
    is refused in the user's language and nothing is kept."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.LANGUAGE_CODE = "zh-hans"
    url = reverse("document_verify")
    original = _content(document)
    page = client.post(url, {"file": SimpleUploadedFile("决定书.pdf", original, "application/pdf")})
    text = page.content.decode()
    assert page.status_code == 200 and document.department.name in text and document.sha256 in text
    assert "真实有效" in text and "未通过核验" not in text
    changed = bytearray(original)
    changed[changed.index(b"stream") + 40] ^= 0x01
    text = client.post(
        url, {"file": SimpleUploadedFile("决定书.pdf", bytes(changed), "application/pdf")}
    ).content.decode()
    assert "未通过核验" in text and "签名后被改动" in text and "真实有效" not in text
    text = client.post(
        url, {"file": SimpleUploadedFile("决定书.pdf", b"MZ\x90\x00", "application/pdf")}
    ).content.decode()
    assert "不是PDF" in text


def test_a_broken_pdf_is_checked_and_not_verified_never_an_error_page(client, document, settings):  # noqa: F811
    """Anyone may upload anything that starts like a PDF: a truncated file, a corrupted compressed stream, garbage
    after the header. The page answers each with "not verified", never a server error."""
    import random

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.LANGUAGE_CODE = "zh-hans"
    from creditportal import pdf

    spec = documents._spec(document)
    unsigned = pdf.render_pdf(template=spec.template, context=spec.build_context(case=document.case, document=document))
    original = _content(document)
    randomness = random.Random(22)  # noqa: S311 -- reproducible corruption, not a secret
    broken = [original[: len(original) // 2], b"%PDF-1.7\n" + bytes(range(256)) * 20]
    for _ in range(12):
        copy = bytearray(randomness.choice([original, unsigned]))
        for _ in range(randomness.randint(1, 30)):
            copy[randomness.randrange(len(copy))] = randomness.randrange(256)
        broken.append(bytes(copy))
    for content in broken:
        page = client.post(
            reverse("document_verify"), {"file": SimpleUploadedFile("x.pdf", content, "application/pdf")}
        )
        assert page.status_code == 200 and "未通过核验" in page.content.decode()
