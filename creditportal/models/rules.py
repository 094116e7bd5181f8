"""Rule values with an effective date (R-NAT-6, issue 20): a layer of the law (the national rules) is a series of
rule sets, each taking effect on its own day, each value with its source. Drafted by one system administrator,
published by another; a published set never changes (a new set supersedes it from its own date)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import DayCount, Jurisdiction
from .base import TrackedModel
from .profiles import PROVINCE_RULE_FIELDS, JurisdictionProfile


class RuleLayer(models.TextChoices):
    """Where a rule set's values come from. The national rules; the province's own regulation, whose first values
    are its jurisdiction profile and whose amendments are rule sets of that jurisdiction."""

    NATIONAL = "national", _("National rules")
    PROVINCE = "province", _("The province's regulation (amendments)")


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


#: The values a rule set may fix, and their type: the class periods of untrustworthiness information (R-NAT-2:
#: minor, general, serious, in months) and the national restoration rules (R-NAT-3, R-NAT-4). A value left out
#: is not set by the layer; a month value may be 0 only where the law says "not published" (minor information).
RULE_VALUES: dict[str, type] = {
    "minor_published": bool,
    "minor_max_months": int,
    "general_min_months": int,
    "general_max_months": int,
    "serious_min_months": int,
    "serious_max_months": int,
    "restoration_decision_wd": int,
    "restoration_notice_with_decision": bool,
    "restoration_commitment_required": bool,
}

#: How a page names each value (never the raw name).
RULE_LABELS = {
    "minor_published": _("minor information published"),
    "minor_max_months": _("minor information, longest publication where necessary (months)"),
    "general_min_months": _("general information, shortest publication (months)"),
    "general_max_months": _("general information, longest publication (months)"),
    "serious_min_months": _("serious information, shortest publication (months)"),
    "serious_max_months": _("serious information, longest publication (months)"),
    "restoration_decision_wd": _("restoration decided within (working days of acceptance)"),
    "restoration_notice_with_decision": _("restoration notice served with the decision"),
    "restoration_commitment_required": _("restoration only with a public credit commitment"),
}


def rule_label(name: str) -> str:
    if name in RULE_LABELS:
        return str(RULE_LABELS[name])
    if name in PROVINCE_RULE_FIELDS:
        return str(getattr(JurisdictionProfile._meta.get_field(name), "verbose_name", name))
    return name


def values_of(layer: str) -> dict[str, type]:
    """The values a set of ``layer`` may fix, and their type: the national table, or the profile's statutory
    numbers (and the unit of the answer deadline) for the province."""
    if layer == RuleLayer.PROVINCE:
        return {name: str if name == "objection_answer_unit" else int for name in PROVINCE_RULE_FIELDS}
    return RULE_VALUES


class RuleSet(TrackedModel):
    """One set of a layer's rule values, in force from ``effective_from`` until the next published set of the layer
    takes effect (R-NAT-6). ``values`` maps a name of ``RULE_VALUES`` to its value, ``sources`` each name to the
    instrument and article that fix it ("国办发〔2025〕22号 第二项")."""

    layer = models.CharField(_("layer"), max_length=16, choices=RuleLayer.choices, default=RuleLayer.NATIONAL)
    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=2,
        choices=Jurisdiction.choices,
        blank=True,
        help_text=_("The province whose regulation the set amends (a set of the national rules has none)."),
    )
    title = models.CharField(_("title"), max_length=200)
    effective_from = models.DateField(_("in force from"))
    values = models.JSONField(_("values"), default=dict, blank=True)
    sources = models.JSONField(_("source of each value"), default=dict, blank=True)
    prevails = models.TextField(
        _("where the province's law also sets a value"),
        blank=True,
        help_text=_(
            "Which value applies, and why (by default the shorter disclosure period, which protects the subject)."
        ),
    )
    status = models.CharField(_("status"), max_length=16, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["layer", "-effective_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(
                fields=["layer", "jurisdiction", "effective_from"],
                condition=models.Q(status="published"),
                name="ruleset_one_published_per_day",
                violation_error_message=_("A published rule set of this layer already takes effect on this day."),
            ),
        ]
        indexes = [
            models.Index(fields=["layer", "jurisdiction", "status", "effective_from"], name="ruleset_in_force_idx")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.effective_from.isoformat()})"

    def save(self, *args, **kwargs) -> None:
        """A published set never changes (R-NAT-6): a later set supersedes it from its own date."""
        if self.pk and type(self).objects.filter(pk=self.pk, status=RuleSetStatus.PUBLISHED).exists():
            raise ValidationError(_("A published rule set never changes: draft a new one with its own date."))
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Every value is one the product knows, of its type, and has its source; the periods are ordered."""
        super().clean()
        errors: list[str] = []
        if (self.layer == RuleLayer.PROVINCE) != bool(self.jurisdiction):
            raise ValidationError(
                {"jurisdiction": _("A set of the province's regulation names its province; a national set names none.")}
            )
        values = self.values if isinstance(self.values, dict) else {}
        sources = self.sources if isinstance(self.sources, dict) else {}
        table = values_of(self.layer)
        for name, value in values.items():
            kind = table.get(name)
            if kind is None:
                errors.append(_("“%(name)s” is not a rule value the product applies.") % {"name": rule_label(name)})
            elif kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                errors.append(_("“%(name)s” is a whole number of zero or more.") % {"name": rule_label(name)})
            elif kind is bool and not isinstance(value, bool):
                errors.append(_("“%(name)s” is true or false.") % {"name": rule_label(name)})
            elif kind is str and value not in DayCount.values:
                errors.append(
                    _("“%(name)s” is one of: %(choices)s.")
                    % {"name": rule_label(name), "choices": "、".join(str(label) for label in DayCount.labels)}
                )
            elif not str(sources.get(name, "")).strip():
                errors.append(
                    _("“%(name)s” needs its source: the instrument and article.") % {"name": rule_label(name)}
                )
        for low, high in (
            ("general_min_months", "general_max_months"),
            ("serious_min_months", "serious_max_months"),
            ("punishment_disclosure_min_months", "punishment_disclosure_max_months"),
        ):
            if isinstance(values.get(low), int) and isinstance(values.get(high), int) and values[low] > values[high]:
                errors.append(
                    _("“%(low)s” is longer than “%(high)s”.") % {"low": rule_label(low), "high": rule_label(high)}
                )
        if errors:
            raise ValidationError({"values": errors})
