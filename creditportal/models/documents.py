"""Issued documents (notices, decisions, letters) and their service; one model for every workflow."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import DocumentKind, ServiceMethod
from .base import DepartmentOwned, TrackedModel


class DocumentSequence(TrackedModel):
    """The last number issued per department, kind and year: numbers are never reused, never skipped."""

    department = models.ForeignKey(
        "creditportal.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [
            models.UniqueConstraint(fields=["department", "kind", "year"], name="docsequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.kind}/{self.year}: {self.last_number}"


class IssuedDocument(DepartmentOwned):
    """A rendered, immutable PDF (R-DES-5). A correction is a new document that supersedes this one."""

    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    number = models.CharField(_("document number"), max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("case type"))
    object_id = models.PositiveBigIntegerField(_("case id"))
    case = GenericForeignKey("content_type", "object_id")
    languages = models.CharField(_("languages"), max_length=32, default="zh-hans")
    file = models.FileField(_("PDF"), upload_to="documents/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    missing_elements = models.TextField(
        _("elements missing from the PDF"),
        blank=True,
        help_text=_("What the rendered PDF does not state of what its kind requires: it is not served."),
    )
    signed = models.BooleanField(
        _("signed"),
        default=False,
        help_text=_("Whether the PDF carries its department's electronic signature (checked again before service)."),
    )
    #: Whether this one document goes to the subject, where a caseworker decided otherwise than its kind declares
    #: (issue 22), with the reason; None: as its kind declares (``creditportal.documents.goes_to_subject``).
    to_subject_override = models.BooleanField(_("goes to the subject (this document)"), null=True, blank=True)
    to_subject_reason = models.TextField(_("reason for the recipient of this document"), blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="issueddoc_case_idx"),
            # the public verification finds a document by the SHA-256 of the copy in hand
            models.Index(fields=["sha256"], name="issueddoc_sha256_idx", condition=~models.Q(sha256="")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind", "year", "sequence"],
                name="issueddoc_unique_number",
                condition=models.Q(sequence__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()} #{self.pk}"


class ServiceRecord(DepartmentOwned):
    """How and when a document reached its recipient (R-DES-5: the service is recorded; HN 21)."""

    document = models.ForeignKey(
        IssuedDocument,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("document"),
    )
    method = models.CharField(_("method"), max_length=32, choices=ServiceMethod.choices)
    served_on = models.DateField(_("served on"))
    deemed_served_on = models.DateField(_("deemed served on"), null=True, blank=True)
    recipient = models.CharField(_("recipient"), max_length=200)
    proof = models.FileField(_("proof of service"), upload_to="service-proofs/%Y/", blank=True)
    #: An electronic service is dated the day the message reaches the subject's address (``served_on``); when the
    #: subject first opened the document in its portal is recorded apart and changes nothing of that date (issue 22).
    first_downloaded_at = models.DateTimeField(_("first downloaded by the subject"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")

    @property
    def electronic(self) -> bool:
        """Served electronically: dated the day the message reached the subject's address (APL art. 61)."""
        return self.method == ServiceMethod.ELECTRONIC

    def __str__(self) -> str:
        return f"{self.document} → {self.recipient} ({self.served_on})"
