"""A designation onto the list of seriously untrustworthy entities and what its due process needs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditportal.models import TrackedModel
from creditportal.models.base import DepartmentOwned
from creditportal.models.publication import PublicationLedger

from .choices import DesignationSource, DesignationState, Leniency, MeasureStatus, RemovalReason, StatementKind


class Designation(DepartmentOwned):
    """One designation case (R-DES-1 to R-DES-10). ``department`` is the deciding department.

    Only designations/workflow.py assigns ``state``; ``version`` guards concurrent acts.
    """

    subject = models.ForeignKey(
        "subjects.CreditSubject",
        on_delete=models.PROTECT,
        related_name="designations",
        verbose_name=_("subject"),
    )
    standard = models.ForeignKey(
        "catalog.DesignationStandard",
        on_delete=models.PROTECT,
        related_name="designations",
        verbose_name=_("designation standard"),
    )
    records = models.ManyToManyField(
        "subjects.CreditRecord",
        related_name="designations",
        blank=True,
        verbose_name=_("records relied on"),
    )
    measures = models.ManyToManyField(
        "catalog.PunishmentMeasure",
        through="DesignationMeasure",
        related_name="designations",
        blank=True,
        verbose_name=_("measures"),
    )
    state = models.CharField(
        _("state"),
        max_length=32,
        choices=DesignationState.choices,
        default=DesignationState.DRAFT,
        db_index=True,
    )
    #: R-OBJ-2: labelled "under objection" since (null: not labelled); set and cleared by the objection services.
    under_objection_since = models.DateTimeField(_("under objection since"), null=True, blank=True, db_index=True)
    source = models.CharField(
        _("source"),
        max_length=32,
        choices=DesignationSource.choices,
        default=DesignationSource.ORDINARY,
    )
    court_list_reference = models.CharField(_("Judgment Defaulters List entry"), max_length=100, blank=True)
    facts = models.TextField(_("facts"))
    reasons = models.TextField(_("reasons"), blank=True)
    proposed_listing_months = models.PositiveSmallIntegerField(_("proposed listing period (months)"))
    statement_period_wd = models.PositiveSmallIntegerField(
        _("statement and defence period (working days)"),
        null=True,
        blank=True,
        help_text=_("Stated in the prior notice; counted from the day after the notice is served (R-DES-1)."),
    )
    leniency = models.CharField(_("leniency"), max_length=32, choices=Leniency.choices, default=Leniency.NONE)
    leniency_reasons = models.TextField(_("leniency reasons"), blank=True)
    proportionality_statement = models.TextField(_("proportionality statement"), blank=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("caseworker"),
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approver"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    provincial_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provincial re-examiner"),
    )
    provincial_reviewed_at = models.DateTimeField(_("re-examined at"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    listed_from = models.DateField(_("listed from"), null=True, blank=True)
    listed_until = models.DateField(_("listed until"), null=True, blank=True, db_index=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removal_reason = models.CharField(_("removal reason"), max_length=32, choices=RemovalReason.choices, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        permissions = [
            ("approve_designation", _("Can approve or reject a designation")),
        ]
        indexes = [
            models.Index(fields=["department", "state", "-id"], name="designation_dept_state_idx"),
            models.Index(fields=["subject", "state"], name="designation_subject_idx"),
            # A case found by its decision number, in the user's departments (issue 23: the lookup < 20 ms).
            models.Index(fields=["department", "decision_number"], name="designation_dept_decision_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(listed_until__isnull=True)
                | models.Q(listed_from__isnull=True)
                | models.Q(listed_until__gte=models.F("listed_from")),
                name="designation_listing_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(approver__isnull=True) | ~models.Q(approver=models.F("caseworker")),
                name="designation_four_eyes",
                violation_error_message=_("The caseworker who drafted a designation cannot approve it."),
            ),
        ]

    def __str__(self) -> str:
        return self.decision_number or _("Designation #%(id)s") % {"id": self.pk}

    @property
    def objection_label(self) -> str:
        from subjects.models import objection_label_text

        return objection_label_text(self.under_objection_since)

    # Reads the workflow guards use (no writes here: services write).
    def documents(self, kind: str | None = None):
        from creditportal.documents import documents_of

        docs = documents_of(self)
        return docs.filter(kind=kind) if kind else docs

    def notice_document(self):
        return self.documents("notice").filter(superseded_by__isnull=True).last()

    def decision_document(self):
        return self.documents("decision").filter(superseded_by__isnull=True).last()

    def restoration_info_document(self):
        """R-NAT-4: the notice on credit restoration issued with the decision (None before the national rules asked)."""
        return self.documents("restoration_info").filter(superseded_by__isnull=True).last()

    def statement_deadline(self):
        from creditportal.deadlines import deadlines_of

        return deadlines_of(self).filter(rule_id="R-DES-1").order_by("-pk").first()

    def proposed_measures(self):
        return self.designation_measures.filter(status="proposed").select_related("measure", "measure__measure_list")

    def needs_reexamination(self, profile) -> bool:
        """R-DES-4: below provincial level, where the profile requires it."""
        return bool(profile and profile.provincial_reexamination and self.department.level != "province")


class DesignationMeasure(TrackedModel):
    """A measure proposed in, then applied by, a designation for its period (R-CAT-7, R-DES-6)."""

    designation = models.ForeignKey(
        Designation, on_delete=models.PROTECT, related_name="designation_measures", verbose_name=_("designation")
    )
    measure = models.ForeignKey(
        "catalog.PunishmentMeasure", on_delete=models.PROTECT, related_name="+", verbose_name=_("measure")
    )
    status = models.CharField(_("status"), max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("designation measure")
        verbose_name_plural = _("designation measures")
        constraints = [
            models.UniqueConstraint(fields=["designation", "measure"], name="designationmeasure_unique"),
        ]


class Statement(DepartmentOwned):
    """A written statement or defence by the subject after notice (R-DES-1; HN 21, HL 35)."""

    designation = models.ForeignKey(
        Designation, on_delete=models.PROTECT, related_name="statements", verbose_name=_("designation")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=StatementKind.choices)
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("text"))
    file = models.FileField(_("file"), upload_to="statements/%Y/", blank=True)
    considered = models.TextField(_("how it was considered"), blank=True)
    adopted = models.BooleanField(
        _("adopted"),
        null=True,
        blank=True,
        help_text=_("Whether the department adopted the statement or defence; the decision says so, and why."),
    )

    class Meta:
        verbose_name = _("statement or defence")
        verbose_name_plural = _("statements and defences")


class Hearing(DepartmentOwned):
    """A hearing organised when necessary (R-DES-3; HN 21)."""

    designation = models.ForeignKey(
        Designation, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("designation")
    )
    scheduled_at = models.DateTimeField(_("scheduled at"))
    place = models.CharField(_("place"), max_length=200)
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chaired by"),
    )
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(_("minutes file"), upload_to="hearings/%Y/", blank=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")


class Publication(PublicationLedger):
    """The publication ledger of the list of seriously untrustworthy entities (issue 22; HL 23, HN 16, R-DIS-3,
    R-DIS-4): one row per time an entry stood on the public list, holding what the public saw (a snapshot taken
    when it was published: the subject's name, its identifier as the masking policy shows it, the standard, the
    deciding department, the period and the measures), when it was published and when and why it was withdrawn.
    Written only by the designation's own acts (``designations.services.publication``): opened when the
    designation is listed, closed with the cause when it leaves the list; never changed otherwise, never deleted.
    The public list is the open rows; "as of" a moment, the rows open at that moment."""

    designation = models.ForeignKey(
        Designation, on_delete=models.PROTECT, related_name="publications", verbose_name=_("designation")
    )
    department = models.ForeignKey(
        "creditportal.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("deciding department")
    )
    #: The designation's removal reason: a listed designation leaves the list only by being removed.
    withdrawal_cause = models.CharField(
        _("withdrawn because"), max_length=32, choices=RemovalReason.choices, blank=True
    )
    subject_name = models.CharField(_("name"), max_length=200)
    subject_is_person = models.BooleanField(_("natural person"), default=False)
    #: An organisation's code whole; a natural person's number masked (R-DIS-4): never a whole number.
    identifier = models.CharField(_("identifier"), max_length=32)
    department_name = models.CharField(_("deciding department"), max_length=200)
    standard_title = models.CharField(_("designation standard"), max_length=200)
    sector = models.CharField(_("sector"), max_length=100)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    listed_from = models.DateField(_("listed from"))
    listed_until = models.DateField(_("listed until"), null=True, blank=True)
    measures = models.TextField(_("measures"), blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("publication on the list")
        verbose_name_plural = _("publications on the list")
        indexes = [
            # the list as it stands: the open rows, newest first
            models.Index(
                fields=["-published_at", "-id"],
                name="publication_open_idx",
                condition=models.Q(withdrawn_at__isnull=True),
            ),
            models.Index(fields=["published_at", "withdrawn_at"], name="publication_period_idx"),
            models.Index(fields=["identifier"], name="publication_identifier_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["department", "-published_at"], name="publication_dept_idx"),
            models.Index(fields=["sector", "-published_at"], name="publication_sector_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["designation"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="publication_one_open_per_designation",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | models.Q(withdrawn_at__gte=models.F("published_at")),
                name="publication_withdrawn_after_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.identifier})"

    @property
    def under_objection_since(self):
        """R-OBJ-2: the designation's label, as it stands (the list shows it while an objection is labelled)."""
        return self.designation.under_objection_since
