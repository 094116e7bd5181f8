"""Uploads are what they say (issue 18): the documents people hand in (evidence, statements and waivers, hearing
minutes, proofs of service, written withdrawals) are PDF, JPEG or PNG files, told by their content — an executable
named ``.pdf`` is refused — whose name agrees with their content, no larger than ``PORTAL_UPLOAD_MAX_MB``. A PDF
carries no active content (issue 21): no JavaScript, launch action, embedded file or rich media, looked for in
its raw bytes (names unescaped) and, where pypdf reads it, in every object it holds (compressed ones included).
The check is the form field's, so a refused file is never stored."""

from __future__ import annotations

import io
import re

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: What a document handed in may be: its content's MIME type → the names it may carry.
ACCEPTED = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
}


def validate_document(upload) -> None:
    """Refuse a file whose content is not an accepted document, whose name says another type, or that is too large.
    Reads the first bytes only; the file is left at its start."""
    limit = settings.PORTAL_UPLOAD_MAX_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB: hand in a smaller scan.") % {"mb": settings.PORTAL_UPLOAD_MAX_MB},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ACCEPTED:
        raise ValidationError(
            _("The file is not a PDF, JPEG or PNG document (its content is %(kind)s): hand in a scan or a PDF.")
            % {"kind": kind.mime if kind else _("not a recognised document")},
            code="wrong_type",
        )
    extension = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    if extension not in ACCEPTED[kind.mime]:
        raise ValidationError(
            _("The file's name (%(name)s) does not match its content (%(kind)s): check the file.")
            % {"name": upload.name, "kind": kind.extension.upper()},
            code="name_mismatch",
        )
    if kind.mime == "application/pdf":
        _refuse_active_pdf(upload)


#: The PDF names that make a document act when opened (a script, a program launched, a file or media inside it).
ACTIVE = ("/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA")
_NAME = re.compile(rb"/[A-Za-z#0-9]+")
#: Objects looked at in one PDF at most (a scan has a few hundred; a crafted file is not read for ever).
PDF_OBJECT_BUDGET = 100_000


def _unescape(name: bytes) -> str:
    """A PDF name as the viewer reads it: ``/J#61vaScript`` is ``/JavaScript``."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name).decode("latin-1")


def active_content(data: bytes) -> str | None:
    """The first active-content name in a PDF, or None: in its raw bytes, then in every object pypdf reads."""
    for match in _NAME.finditer(data):
        name = _unescape(match.group())
        if name in ACTIVE:
            return name
    try:
        from pypdf import PdfReader
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

        reader = PdfReader(io.BytesIO(data), strict=False)
        stack: list = [reader.trailer]
        seen: set[tuple[int, int]] = set()
        while stack and len(seen) < PDF_OBJECT_BUDGET:
            node = stack.pop()
            if isinstance(node, IndirectObject):
                if (node.idnum, node.generation) in seen:
                    continue
                seen.add((node.idnum, node.generation))
                node = node.get_object()
            if isinstance(node, DictionaryObject):
                for key, value in node.items():
                    if key in ACTIVE or (key == "/S" and value in ("/JavaScript", "/Launch")):
                        return str(key if key in ACTIVE else value)
                    stack.append(value)
            elif isinstance(node, ArrayObject):
                stack.extend(node)
    except Exception:  # noqa: BLE001 -- a file pypdf cannot read was judged by its bytes above
        return None
    return None


def _refuse_active_pdf(upload) -> None:
    upload.seek(0)
    found = active_content(upload.read())
    upload.seek(0)
    if found:
        raise ValidationError(
            _(
                "The PDF contains active content (%(name)s: a script, a program, an embedded file or media): print "
                "it to a new PDF or scan it, and hand that in."
            )
            % {"name": found.lstrip("/")},
            code="active_content",
        )


class DocumentField(forms.FileField):
    """A document handed in: PDF, JPEG or PNG by its content (``validate_document``)."""

    default_validators = [validate_document]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("accept", ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png")
        return attrs
