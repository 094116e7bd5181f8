"""Catalog versions and items, measure lists, designation standards: what a record may lawfully stand on."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from creditportal.choices import Jurisdiction
from creditportal.models import TrackedModel

from .choices import (
    CatalogCategory,
    Character,
    ConsentCategory,
    DisclosureMode,
    ImportJobStatus,
    ImportKind,
    InfoClass,
    MeasureListKind,
    MeasureScope,
    ProhibitedCategory,
    PublicationStatus,
    Sector,
    SeriousCategory,
    StandardStatus,
)

#: The fields that make up an item's content (copied to the next version, compared in the diff, exported).
ITEM_FIELDS = (
    "code",
    "name",
    "conduct",
    "category",
    "providing_department",
    "data_source",
    "character",
    "disclosure_mode",
    "display_min_months",
    "display_max_months",
    "update_frequency",
    "legal_basis",
    "personal_information",
    "is_untrustworthy",
    "is_administrative_punishment",
    "sector",
    "prohibited_category",
    "consent_category",
    "restoration_barred_by",
    "info_class",
    "publication_necessary",
)


class PublishedList(TrackedModel):
    """Versioned and published like a catalog (R-CAT-1): drafted, approved by someone else, published."""

    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices)
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        abstract = True


class CatalogVersion(PublishedList):
    """One version of a jurisdiction's public credit information catalog (R-CAT-1, R-CAT-2; HL 18)."""

    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )

    class Meta:
        ordering = ["jurisdiction", "-number"]
        permissions = [("approve_catalogversion", _("Can approve and publish catalogs, measures and standards"))]
        verbose_name = _("catalog version")
        verbose_name_plural = _("catalog versions")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "number"], name="catalogversion_unique_number"),
            models.UniqueConstraint(
                fields=["jurisdiction"],
                condition=models.Q(status="published"),
                name="catalogversion_one_published",
                violation_error_message=_("A jurisdiction has one published catalog version at a time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} v{self.number} ({self.get_status_display()})"

    def entries(self):
        return self.items.all()


class CatalogItem(TrackedModel):
    """One kind of information the catalog allows, with every attribute R-CAT-2 asks for."""

    # ``version`` is the catalog version the item belongs to; the optimistic-lock counter is ``lock_version``.
    version = models.ForeignKey(  # type: ignore[assignment]  # replaces TrackedModel's counter of that name
        CatalogVersion,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("catalog version"),
    )
    lock_version = models.PositiveIntegerField(_("edit version"), default=0, editable=False)
    version_field = "lock_version"
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    conduct = models.TextField(_("conduct"))
    category = models.CharField(_("category"), max_length=32, choices=CatalogCategory.choices)
    providing_department = models.ForeignKey(
        "creditportal.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("providing department"),
    )
    data_source = models.CharField(_("data source"), max_length=200)
    character = models.CharField(_("character"), max_length=16, choices=Character.choices)
    disclosure_mode = models.CharField(_("disclosure mode"), max_length=32, choices=DisclosureMode.choices)
    display_min_months = models.PositiveSmallIntegerField(_("display period, minimum (months)"), default=0)
    display_max_months = models.PositiveSmallIntegerField(_("display period, maximum (months)"))
    update_frequency = models.CharField(_("update frequency"), max_length=100)
    legal_basis = models.TextField(_("legal basis"))
    personal_information = models.BooleanField(_("personal information"), default=False)
    is_untrustworthy = models.BooleanField(
        _("untrustworthiness information"),
        default=False,
        help_text=_("Information about untrustworthy conduct: needs an effective basis document (R-REC-1)."),
    )
    is_administrative_punishment = models.BooleanField(_("administrative punishment"), default=False)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, default=Sector.GENERAL)
    prohibited_category = models.CharField(
        _("prohibited category"),
        max_length=32,
        choices=ProhibitedCategory.choices,
        blank=True,
        help_text=_("Set when the item would hold data that may never be collected (R-CAT-4)."),
    )
    consent_category = models.CharField(
        _("consent category"),
        max_length=32,
        choices=ConsentCategory.choices,
        blank=True,
        help_text=_("Set when a natural person's data needs written consent (R-CAT-5)."),
    )
    restoration_barred_by = models.CharField(
        _("restoration barred by"),
        max_length=300,
        blank=True,
        help_text=_(
            "The law or regulation that says this information cannot be restored (R-RES-1); empty: restorable."
        ),
    )
    info_class = models.CharField(
        _("class of untrustworthiness information"),
        max_length=16,
        choices=InfoClass.choices,
        blank=True,
        help_text=_(
            "Minor, general or serious, as the sector classifies it (R-NAT-1): the national rules in force hold its "
            "disclosure period (R-NAT-2). Untrustworthiness information only."
        ),
    )
    publication_necessary = models.BooleanField(
        _("minor information: publication necessary"),
        default=False,
        help_text=_(
            "Minor information is in principle not published; where the sector finds publication necessary, for at "
            "most the national maximum (R-NAT-2)."
        ),
    )

    class Meta:
        ordering = ["version", "code"]
        verbose_name = _("catalog item")
        verbose_name_plural = _("catalog items")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalogitem_unique_code"),
            models.CheckConstraint(
                condition=models.Q(display_min_months__lte=models.F("display_max_months")),
                name="catalogitem_display_period_ordered",
                violation_error_message=_("The display minimum cannot exceed the maximum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """R-NAT-1: a class only for untrustworthiness information; publication "necessary" only for minor."""
        super().clean()
        if self.info_class and not self.is_untrustworthy:
            raise ValidationError({"info_class": gettext("Only untrustworthiness information has a class (R-NAT-1).")})
        if self.publication_necessary and self.info_class != InfoClass.MINOR:
            raise ValidationError(
                {"publication_necessary": gettext("Only minor information is published by exception (R-NAT-2).")}
            )


class MeasureList(PublishedList):
    """A national basic or local supplemental list of punishment or reward measures (R-CAT-7)."""

    kind = models.CharField(_("kind"), max_length=16, choices=MeasureListKind.choices)
    scope = models.CharField(_("scope"), max_length=16, choices=MeasureScope.choices)

    class Meta:
        ordering = ["jurisdiction", "kind", "scope", "-number"]
        verbose_name = _("measures list")
        verbose_name_plural = _("measures lists")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "kind", "scope", "number"], name="measurelist_unique"),
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "scope"],
                condition=models.Q(status="published"),
                name="measurelist_one_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} · {self.get_kind_display()} v{self.number}"

    def entries(self):
        return self.punishment_measures.all() if self.kind == MeasureListKind.PUNISHMENT else self.reward_measures.all()


class Measure(TrackedModel):
    """Common fields of a punishment or reward measure."""

    code = models.CharField(_("code"), max_length=32)
    text = models.TextField(_("measure"))
    legal_clause = models.TextField(_("legal clause"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class PunishmentMeasure(Measure):
    """A disciplinary measure with its legal clause and maximum duration (R-CAT-7; HL 31, NDRC 9)."""

    measure_list = models.ForeignKey(
        MeasureList,
        on_delete=models.PROTECT,
        related_name="punishment_measures",
        verbose_name=_("list"),
    )
    max_duration_months = models.PositiveSmallIntegerField(_("maximum duration (months)"), null=True, blank=True)

    class Meta:
        ordering = ["measure_list", "code"]
        verbose_name = _("punishment measure")
        verbose_name_plural = _("punishment measures")
        constraints = [models.UniqueConstraint(fields=["measure_list", "code"], name="punishment_unique_code")]


class RewardMeasure(Measure):
    """An incentive for trustworthy subjects (HN 20, HL 26)."""

    measure_list = models.ForeignKey(
        MeasureList,
        on_delete=models.PROTECT,
        related_name="reward_measures",
        verbose_name=_("list"),
    )

    class Meta:
        ordering = ["measure_list", "code"]
        verbose_name = _("reward measure")
        verbose_name_plural = _("reward measures")
        constraints = [models.UniqueConstraint(fields=["measure_list", "code"], name="reward_unique_code")]


class DesignationStandard(TrackedModel):
    """A published standard for the serious-untrustworthiness list (R-CAT-6, R-DES-10; NDRC 6-7, XJ 39)."""

    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices)
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=200)
    sector = models.CharField(_("sector"), max_length=100)
    serious_category = models.CharField(_("serious category"), max_length=32, choices=SeriousCategory.choices)
    conduct_criteria = models.TextField(_("conduct criteria"))
    legal_basis = models.TextField(_("legal basis"))
    allowed_measures = models.ManyToManyField(
        PunishmentMeasure,
        related_name="standards",
        blank=True,
        verbose_name=_("measures allowed"),
    )
    removal_conditions = models.TextField(_("removal conditions"))
    listing_max_months = models.PositiveSmallIntegerField(
        _("listed for at most (months)"),
        validators=[MinValueValidator(1)],
        null=True,
        blank=True,
        help_text=_(
            "The period in the removal conditions, in months (满三年: 36): no listing under this standard lasts "
            "longer (R-DES-5). Empty: the conditions set no period."
        ),
    )
    removal_procedure = models.TextField(_("removal procedure"))
    remedies = models.TextField(_("remedies"))
    comment_starts_on = models.DateField(_("public comment from"), null=True, blank=True)
    comment_ends_on = models.DateField(_("public comment until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=StandardStatus.choices, default=StandardStatus.DRAFT)
    issuing_department = models.ForeignKey(
        "creditportal.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuing department"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    #: The measures a standard allows are part of its history (R-SEC-4): each change of the set writes a
    #: history row ("~") that holds the set as it then was (django-simple-history's m2m history).
    _history_m2m_fields = ["allowed_measures"]

    class Meta:
        ordering = ["jurisdiction", "code"]
        verbose_name = _("designation standard")
        verbose_name_plural = _("designation standards")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "code"], name="standard_unique_code"),
            models.CheckConstraint(
                condition=models.Q(comment_ends_on__isnull=True)
                | models.Q(comment_starts_on__isnull=True)
                | models.Q(comment_ends_on__gte=models.F("comment_starts_on")),
                name="standard_comment_period_ordered",
                violation_error_message=_("The comment period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        """R-DES-10 (HL 29, XJ 39, NDRC 6): a standard is for a category the deployment's law lists."""
        from creditportal.profiles import profile_for

        super().clean()
        law = profile_for(self.jurisdiction)
        if self.serious_category and law is not None and self.serious_category not in law.serious_categories:
            raise ValidationError({"serious_category": category_not_listed(self.serious_category, law)})


def category_not_listed(category: str, law) -> str:
    """Why ``category`` cannot ground a standard or a designation under ``law`` (R-DES-10)."""
    if not law.serious_categories:
        return gettext(
            "The jurisdiction profile “%(profile)s” lists no categories of serious untrustworthy conduct: the system "
            "administrator sets the ones its law lists, with their source (R-DES-10)."
        ) % {"profile": law}
    return gettext(
        "“%(category)s” is not among the categories of serious untrustworthy conduct this jurisdiction's law lists: "
        "%(listed)s (R-DES-10)."
    ) % {
        "category": SeriousCategory(category).label if category in SeriousCategory.values else category,
        "listed": "；".join(str(SeriousCategory(c).label) for c in law.serious_categories),
    }


class ImportJob(TrackedModel):
    """A large import file run in the background (issue 9): the stored upload, where it goes, its progress and
    its report. The row is the outbox: queued after the upload commits, re-queued by a sweep if it was lost."""

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    target_id = models.PositiveIntegerField(_("target"), null=True, blank=True)  # the version or list; none: standards
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/")
    format = models.CharField(_("format"), max_length=8, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    report = models.JSONField(_("report"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["status", "created_at"], name="catalog_importjob_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0
