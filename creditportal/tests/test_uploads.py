"""Uploads are what they say (issue 18): a document handed in is a PDF, JPEG or PNG by its content, its name agrees
with its content, and it is not too large; a refused file is never stored."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf.actions import JavaScript

from creditportal.uploads import DocumentField, validate_document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64  # a Windows executable


def test_a_pdf_and_a_png_named_as_they_are_are_accepted():
    validate_document(SimpleUploadedFile("申请书.pdf", PDF))
    validate_document(SimpleUploadedFile("scan.PNG", PNG))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("证据.pdf", EXE, "wrong_type"),  # an executable named .pdf
        ("notes.pdf", b"just some text", "wrong_type"),
        ("scan.pdf", PNG, "name_mismatch"),  # a picture named as a PDF
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(name, content, code):
    with pytest.raises(ValidationError) as refused:
        validate_document(SimpleUploadedFile(name, content))
    assert refused.value.code == code


def test_a_file_larger_than_the_limit_is_refused(settings):
    settings.PORTAL_UPLOAD_MAX_MB = 1
    with pytest.raises(ValidationError) as refused:
        validate_document(SimpleUploadedFile("big.pdf", PDF + b"\x00" * (1024 * 1024)))
    assert refused.value.code == "too_large"


def test_the_form_field_refuses_before_anything_is_stored(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    field = DocumentField()
    with pytest.raises(ValidationError):
        field.clean(SimpleUploadedFile("证据.pdf", EXE))
    assert not any(tmp_path.iterdir())  # nothing written


def _pdf(build=None) -> bytes:
    """A real one-page PDF made by pypdf, with what ``build`` adds to it."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if build:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_r_sec_6_a_real_pdf_without_active_content_is_accepted():
    validate_document(SimpleUploadedFile("扫描件.pdf", _pdf()))


@pytest.mark.parametrize(
    "build",
    [
        lambda w: w.add_open_action(JavaScript("app.alert('x')")),  # a script run when it opens
        lambda w: w.add_attachment("payload.exe", b"MZ\x90\x00"),  # a file inside it
    ],
    ids=["javascript", "embedded-file"],
)
def test_r_sec_6_a_pdf_with_active_content_is_refused_and_nothing_stored(build, tmp_path, settings):
    """Issue 21: a PDF that would act when opened (a script, an embedded file) is refused, saying why."""
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as refused:
        DocumentField().clean(SimpleUploadedFile("证据.pdf", _pdf(build)))
    assert refused.value.error_list[0].code == "active_content"
    assert not any(tmp_path.iterdir())


def test_r_sec_6_an_escaped_name_is_read_as_a_viewer_reads_it():
    """A name escaped in the bytes (``/J#61vaScript``) is the name a viewer acts on. (The object walk, which reads
    what compression hides from the bytes, finds the script and the embedded file above on its own: with the byte
    scan removed those tests still pass, and this one fails.)"""
    from creditportal.uploads import active_content

    escaped = b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/J#61vaScript/J#53 (x)>>>>endobj\ntrailer<<>>\n%%EOF"
    assert active_content(escaped) == "/JavaScript"
