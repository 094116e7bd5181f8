"""Uploads are what they say (issue 18): the documents people hand in (evidence, statements and waivers, hearing
minutes, proofs of service, written withdrawals) are PDF, JPEG or PNG files, told by their content — an executable
named ``.pdf`` is refused — whose name agrees with their content, no larger than ``PORTAL_UPLOAD_MAX_MB``. The
check is the form field's, so a refused file is never stored."""

from __future__ import annotations

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


class DocumentField(forms.FileField):
    """A document handed in: PDF, JPEG or PNG by its content (``validate_document``)."""

    default_validators = [validate_document]

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("accept", ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png")
        return attrs
