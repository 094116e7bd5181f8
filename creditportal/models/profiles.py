"""Jurisdiction rule profiles: the deadlines and periods of RULES.md as data, one row per regulation."""

import datetime

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..choices import DayCount, Jurisdiction, SeriousCategory
from .base import TrackedModel

#: The profile's statutory numbers (periods and deadlines) and the unit of the answer deadline. Their first values
#: are the profile's; once set, a value changes only by a rule set of the province, from its own date (R-NAT-6):
#: every act keeps the values of the day of its cause (``creditportal.profiles.profile_on``).
PROVINCE_RULE_FIELDS = (
    "objection_label_wd",
    "objection_answer_days",
    "objection_answer_unit",
    "objection_answer_assisted_wd",
    "objection_extension_total_wd",
    "assisting_unit_answer_wd",
    "shared_copies_change_wd",
    "designation_objection_wd",
    "statement_period_wd",
    "emergency_restoration_wd",
    "disclosure_max_months",
    "punishment_disclosure_min_months",
    "punishment_disclosure_max_months",
    "special_sector_min_months",
    "provider_correction_wd",
    "revoked_basis_report_wd",
    "revoked_basis_removal_wd",
    "restoration_promised_wd",
    "complaint_answer_wd",
)


class JurisdictionProfile(TrackedModel):
    """The values one regulation fixes (RULES.md "Jurisdiction profile values").

    A null value means the regulation sets nothing: the product says "not set by this regulation" and
    never invents a number. Code asks the profile, never a literal (ARCHITECTURE.md).
    """

    code = models.CharField(_("jurisdiction"), max_length=2, choices=Jurisdiction.choices, unique=True)
    name = models.CharField(_("name"), max_length=200)
    regulation = models.CharField(_("regulation"), max_length=300)
    province_name = models.CharField(_("province abbreviation"), max_length=8, blank=True)

    # Objections (R-OBJ-2, R-OBJ-3, R-OBJ-4, R-OBJ-5, R-OBJ-6)
    objection_label_wd = models.PositiveSmallIntegerField(_("label an objection (WD)"), null=True, blank=True)
    objection_answer_days = models.PositiveSmallIntegerField(_("answer an objection"), null=True, blank=True)
    objection_answer_unit = models.CharField(
        _("unit of the answer deadline"),
        max_length=2,
        choices=DayCount.choices,
        default=DayCount.WORKING_DAYS,
    )
    objection_answer_assisted_wd = models.PositiveSmallIntegerField(
        _("answer when another unit must help (WD)"),
        null=True,
        blank=True,
    )
    objection_extension_total_wd = models.PositiveSmallIntegerField(
        _("total with extension, at most (WD)"),
        null=True,
        blank=True,
    )
    assisting_unit_answer_wd = models.PositiveSmallIntegerField(
        _("assisting unit's answer (WD)"),
        null=True,
        blank=True,
    )
    objection_clock_pauses = models.BooleanField(
        _("clock pauses for examinations, testing, quarantine, evaluation, appraisal"),
        default=False,
    )
    suspend_when_provider_late = models.BooleanField(
        _("provider late: suspend disclosure and inquiry"),
        default=False,
    )
    shared_copies_change_wd = models.PositiveSmallIntegerField(
        _("shared copies changed after a sustained objection (WD)"),
        null=True,
        blank=True,
    )
    designation_objection_wd = models.PositiveSmallIntegerField(
        _("decide an objection to a designation (WD)"),
        null=True,
        blank=True,
    )
    # Designations (R-DES-1, R-DES-4)
    statement_period_wd = models.PositiveSmallIntegerField(
        _("statement and defence period after notice (WD)"),
        null=True,
        blank=True,
    )
    state_organ_reports = models.BooleanField(
        _("designations of state organs, state-owned enterprises and public institutions reported upward"),
        default=False,
        help_text=_("R-DES-9: reported to the government or department above and to the audit organ."),
    )
    #: A list of ``SeriousCategory`` codes (JSON, so the quick start's SQLite migrates it too; ``clean`` checks it).
    serious_categories = models.JSONField(
        _("categories of serious untrustworthy conduct the law lists"),
        default=list,
        blank=True,
        help_text=_(
            "R-DES-10: only these categories may be designated (HL 29 lists eight; XJ 39 and the national rule, "
            "NDRC 6, list five). Empty: no designation until the system administrator sets them, with the source."
        ),
    )
    emergency_leniency = models.BooleanField(
        _("lenient and cautious designation of conduct caused by an emergency"),
        default=False,
        help_text=_(
            "R-DES-7: conduct caused by natural disasters, accidents, public-health or social-safety incidents "
            "(HL 30, XJ 33). Off: the ground is not offered."
        ),
    )
    emergency_restoration_wd = models.PositiveSmallIntegerField(
        _("restoration of a listing caused by an emergency completed within (WD)"),
        null=True,
        blank=True,
        help_text=_(
            "R-DES-7 (HL 30: the period for handling credit restoration reduced). Shorter than the promised "
            "period; empty: the promised period applies."
        ),
    )
    provincial_reexamination = models.BooleanField(
        _("decisions below provincial level re-examined by the province"),
        default=False,
    )
    # Disclosure (R-DIS-1, R-DIS-2)
    disclosure_max_months = models.PositiveSmallIntegerField(
        _("untrustworthiness disclosure, maximum (months)"),
        null=True,
        blank=True,
    )
    punishment_disclosure_min_months = models.PositiveSmallIntegerField(
        _("administrative punishment disclosure, minimum (months)"),
        null=True,
        blank=True,
    )
    punishment_disclosure_max_months = models.PositiveSmallIntegerField(
        _("administrative punishment disclosure, maximum (months)"),
        null=True,
        blank=True,
    )
    special_sector_min_months = models.PositiveSmallIntegerField(
        _("minimum for food, drugs, special equipment, production and fire safety (months)"),
        null=True,
        blank=True,
    )
    # Records (R-REC-3)
    notice_before_sharing = models.BooleanField(
        _("the subject is told in writing before untrustworthiness information is shared"),
        default=False,
        help_text=_("HB 22: the providing unit informs the subject in writing before it delivers the information."),
    )
    #: R-NAT-2, SAMR-45: null is "not set by this regulation" (none of the four says it), and nothing is published.
    publishes_penalties = models.BooleanField(
        _("administrative penalties of the general and serious classes published"),
        null=True,
        blank=True,
        help_text=_(
            "R-NAT-2 (the national rules publish general and serious untrustworthiness information, never minor) "
            "and the SAMR rules on publishing administrative penalties (SAMR-45: published, withdrawn when the "
            "decision is changed or revoked): whether this deployment publishes them on its public penalties page. "
            "Empty: not set by this regulation, nothing is published; the deployment sets it, with its source."
        ),
    )
    trustworthy_deleted_on_request = models.BooleanField(
        _("trustworthiness information deleted and archived at the subject's request"),
        default=False,
        help_text=_("R-REC-5: where the regulation says so, deleted and archived rather than only hidden."),
    )
    # Corrections, revocation, restoration (R-REC-4, R-RES-2, R-RES-3, R-RES-6)
    provider_correction_wd = models.PositiveSmallIntegerField(
        _("provider corrects its own errors (WD)"),
        null=True,
        blank=True,
    )
    revoked_basis_report_wd = models.PositiveSmallIntegerField(
        _("basis revoked: provider reports within (WD)"),
        null=True,
        blank=True,
    )
    revoked_basis_removal_wd = models.PositiveSmallIntegerField(
        _("basis revoked: authority removes within (WD)"),
        null=True,
        blank=True,
    )
    restoration_after_min_period = models.BooleanField(
        _("restoration only after the minimum display period"),
        default=False,
    )
    restoration_extra_grounds = models.BooleanField(
        _("restoration also for obligations or settlement performed"),
        default=False,
    )
    restoration_promised_wd = models.PositiveSmallIntegerField(
        _("restoration completed within, as promised in advance (WD)"),
        null=True,
        blank=True,
        help_text=_(
            "The one period the decision documents promise, acceptance counts and the restoration notice states "
            "(R-RES-5; NDRC 12: completed within the time limit promised in advance). None of the four "
            "regulations fixes a number: the deployment sets it, with its source."
        ),
    )
    # Complaints, inquiry, reports (R-OBJ-7, R-SEC-1, R-SEC-3)
    complaint_answer_wd = models.PositiveSmallIntegerField(
        _("complaint about a non-public collector (WD)"),
        null=True,
        blank=True,
    )
    inquiry_record_years = models.PositiveSmallIntegerField(_("inquiry records kept (years)"), null=True, blank=True)
    free_reports_per_year = models.PositiveSmallIntegerField(
        _("free credit reports a year, natural persons"),
        null=True,
        blank=True,
    )
    regulation_zh = models.CharField(
        _("regulation (official title)"),
        max_length=200,
        blank=True,
        help_text=_("Cited in pages and documents, e.g. 《海南自由贸易港社会信用条例》."),
    )
    articles = models.JSONField(
        _("articles cited"),
        default=dict,
        blank=True,
        help_text=_(
            'The article of this regulation behind each rule, as documents cite it, e.g. {"R-DES-1": "第二十一条"}.'
        ),
    )
    remedies = models.JSONField(
        _("remedies stated in decisions"),
        default=dict,
        blank=True,
        help_text=_(
            'Bodies and time limits: {"reconsideration_days": 60, "reconsideration_body": '
            '"same_level_government", "litigation_months": 6, "basis": "…"}.'
        ),
    )
    sources = models.JSONField(
        _("article for each value"),
        default=dict,
        blank=True,
        help_text=_('Maps a field name to the article that fixes it, e.g. {"objection_answer_days": "HN 30"}.'),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("jurisdiction profile")
        verbose_name_plural = _("jurisdiction profiles")

    def __str__(self) -> str:
        """``name`` is English data; in Chinese the profile is known by its regulation's title."""
        chinese = (get_language() or "").startswith("zh") and self.regulation_zh
        return f"{self.code} · {self.regulation_zh if chinese else self.name}"

    #: On a copy made by ``profile_on``: the day whose values it holds, and the rule set behind each amended value.
    in_force_on: datetime.date | None = None
    amended_by: dict = {}

    def save(self, *args, **kwargs) -> None:
        """A copy holding the values in force on a day is for reading: the profile's own row keeps its first values."""
        if self.in_force_on is not None:
            raise TypeError("A profile as in force on a day is read-only: save the profile itself.")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        categories = self.serious_categories
        if not isinstance(categories, list) or any(code not in SeriousCategory.values for code in categories):
            raise ValidationError(
                {
                    "serious_categories": _("A list of these codes: %(codes)s.")
                    % {"codes": ", ".join(SeriousCategory.values)}
                }
            )
        shorter, promised = self.emergency_restoration_wd, self.restoration_promised_wd
        if shorter and promised and shorter >= promised:
            raise ValidationError(
                {
                    "emergency_restoration_wd": _(
                        "The period for a listing caused by an emergency is a reduction: shorter than the promised "
                        "period (R-DES-7)."
                    )
                }
            )

    def restoration_period_wd(self, *, emergency: bool = False) -> int | None:
        """R-RES-5, R-DES-7: the working days a restoration is completed in, as promised in advance; for a listing
        caused by an emergency, the reduced period where the profile sets one (HL 30)."""
        if emergency and self.emergency_leniency and self.emergency_restoration_wd:
            return self.emergency_restoration_wd
        return self.restoration_promised_wd or None

    def cite(self, rule_id: str) -> str:
        """The deployment's own article for a rule (《海南自由贸易港社会信用条例》第二十一条), or "" when the
        regulation has none; never an internal rule id or another province's article."""
        article = (self.articles or {}).get(rule_id)
        return f"{self.regulation_zh}{article}" if article and self.regulation_zh else ""
