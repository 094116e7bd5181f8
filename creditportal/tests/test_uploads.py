"""Uploads are what they say (issue 18): a document handed in is a PDF, JPEG or PNG by its content, its name agrees
with its content, and it is not too large; a refused file is never stored."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

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
