"""Applications for credit restoration (R-RES-1 to R-RES-5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditportal.choices import DocumentKind
from creditportal.models.base import DepartmentOwned
from creditportal.models.publication import PublicationLedger

from .choices import RestorationMethod, RestorationState


class RestorationApplication(DepartmentOwned):
    """An application to restore credit; ``department`` is the designating unit or the credit authority.

    Free of charge and completed within the promised period (R-RES-5; NDRC 12).
    """

    subject = models.ForeignKey(
        "subjects.CreditSubject",
        on_delete=models.PROTECT,
        related_name="restoration_applications",
        verbose_name=_("subject"),
    )
    designation = models.ForeignKey(
        "designations.Designation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restoration_applications",
        verbose_name=_("designation"),
    )
    record = models.ForeignKey(
        "subjects.CreditRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restoration_applications",
        verbose_name=_("credit record"),
    )
    method = models.CharField(_("restoration method"), max_length=32, choices=RestorationMethod.choices)
    evidence = models.TextField(_("evidence"))
    evidence_file = models.FileField(_("evidence file"), upload_to="restoration/%Y/", blank=True)
    evidence_file_name = models.CharField(
        _("evidence file name"),
        max_length=255,
        blank=True,
        help_text=_("The name the file had when it was handed in: pages and downloads show it, never the stored one."),
    )
    commitment = models.TextField(
        _("public credit commitment"),
        blank=True,
        help_text=_(
            "The subject's public credit commitment (信用承诺书), as made: that the materials are true and the conduct "
            "will not recur (R-NAT-3)."
        ),
    )
    received_at = models.DateTimeField(_("received at"))
    promised_wd = models.PositiveSmallIntegerField(
        _("promised period (working days)"),
        null=True,
        blank=True,
        help_text=_("Set when the application is accepted: restoration is completed within it (R-RES-5)."),
    )
    promised_by = models.DateField(_("promised by"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=32,
        choices=RestorationState.choices,
        default=RestorationState.RECEIVED,
        db_index=True,
    )
    review_opinion = models.TextField(_("review opinion"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("restoration application")
        verbose_name_plural = _("restoration applications")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(designation__isnull=False) & models.Q(record__isnull=True))
                | (models.Q(designation__isnull=True) & models.Q(record__isnull=False)),
                name="restoration_one_target",
                violation_error_message=_("An application concerns either a designation or a credit record."),
            ),
        ]
        indexes = [
            models.Index(fields=["department", "state", "-id"], name="restoration_queue_idx"),
            # the work queue's order, the promised date first (R-RES-5; restoration.selectors.work_queue): its first
            # 50 read in order instead of every application of the state joined, then sorted (9 ms → 2 ms at scale)
            models.Index(
                fields=["department", "state", "promised_by", "received_at", "id"], name="restoration_promised_idx"
            ),
        ]

    def __str__(self) -> str:
        return _("Restoration application #%(id)s") % {"id": self.pk}

    @property
    def target(self):
        """The designation or the credit record the application concerns (exactly one, a check constraint)."""
        return self.designation if self.designation_id else self.record

    def document(self, kind: str):
        """The application's current document of ``kind`` (the latest not superseded), if any."""
        from creditportal.documents import documents_of

        return documents_of(self).filter(kind=kind, superseded_by__isnull=True).last()

    def notice(self):
        """The notice of the outcome, granted or not (R-RES-4), if it was decided."""
        return self.document(DocumentKind.RESTORATION_NOTICE)

    def refusal(self):
        """The decision not to accept the application (R-RES-1), if it was refused."""
        return self.document(DocumentKind.RESTORATION_REFUSAL)


class PublishedCommitment(PublicationLedger):
    """A public credit commitment as the public reads it (R-NAT-3, issue 20; 国家发展改革委令第36号): made with an
    application for restoration, published when the application is accepted and withdrawn, with the cause, when
    the application is withdrawn or not granted; a granted restoration keeps it published, since the subject's
    later conduct is judged against it. Written only by the application's own acts (``restoration.services._act``);
    a snapshot (name, identifier as the masking policy shows it, what it concerns, the text as made), never changed
    otherwise, never deleted."""

    application = models.ForeignKey(
        RestorationApplication,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("restoration application"),
    )
    #: The listing the commitment concerns, when it concerns one: its public entry shows the commitment.
    designation = models.ForeignKey(
        "designations.Designation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_commitments",
        verbose_name=_("designation"),
    )
    department = models.ForeignKey(
        "creditportal.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    withdrawal_cause = models.CharField(
        _("withdrawn because"), max_length=32, choices=RestorationState.choices, blank=True
    )
    subject_name = models.CharField(_("name"), max_length=200)
    subject_is_person = models.BooleanField(_("natural person"), default=False)
    #: An organisation's code whole; a natural person's number masked (R-DIS-4): never a whole number.
    identifier = models.CharField(_("identifier"), max_length=32)
    department_name = models.CharField(_("department"), max_length=200)
    #: The listing's decision number (``designation`` set) or the record's catalog item: what it was made for.
    concerns = models.CharField(_("concerns"), max_length=300, blank=True)
    text = models.TextField(_("public credit commitment"))
    made_on = models.DateField(_("made on"))

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("published credit commitment")
        verbose_name_plural = _("published credit commitments")
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                name="commitment_open_idx",
                condition=models.Q(withdrawn_at__isnull=True),
            ),
            models.Index(fields=["published_at", "withdrawn_at"], name="commitment_period_idx"),
            models.Index(fields=["identifier"], name="commitment_identifier_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="commitment_one_open_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | models.Q(withdrawn_at__gte=models.F("published_at")),
                name="commitment_withdrawn_after_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.identifier})"
