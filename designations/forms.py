"""Forms of the designations app: shape only; the services apply the law and the workflow."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.choices import PublicationStatus, StandardStatus
from catalog.models import DesignationStandard, PunishmentMeasure
from creditportal.forms import DATE, LongTextField, ModelFieldsForm, ReasonMixin, ServiceForm  # noqa: F401  (ServiceForm used by views)
from creditportal.idempotency import SubmitOnceForm
from creditportal.permissions import scope_queryset
from creditportal.profiles import current_profile
from creditportal.uploads import DocumentField
from subjects.choices import RecordKind, RecordStatus
from subjects.models import CreditRecord

from .choices import DesignationState, Leniency, RemovalReason, StatementKind
from .models import Designation
from .workflow import ENDED

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


#: The designation's own fields on the form, in the order shown (the model's labels, help texts and limits).
DESIGNATION_FIELDS = [
    "standard",
    "records",
    "facts",
    "reasons",
    "measures",
    "proposed_listing_months",
    "statement_period_wd",
    "leniency",
    "leniency_reasons",
    "proportionality_statement",
]


class RecordChoiceField(forms.ModelMultipleChoiceField):
    """Each record by its catalog item, basis document and determination date."""

    def label_from_instance(self, obj: CreditRecord) -> str:
        basis = obj.basis_document.number if obj.basis_document else "—"
        return f"{obj.catalog_item.name} · {basis} · {obj.determined_on}"


class MeasureChoiceField(forms.ModelMultipleChoiceField):
    """Each measure by its code and text."""

    def label_from_instance(self, obj: PunishmentMeasure) -> str:
        return f"{obj.code} {obj.text}"


class DesignationForm(ModelFieldsForm, ReasonMixin):
    """Shape only: the service validates the designation and the law (ModelFieldsForm)."""

    model = Designation
    model_fields = DESIGNATION_FIELDS
    widgets = dict.fromkeys(
        ("facts", "reasons", "leniency_reasons", "proportionality_statement"), forms.Textarea(attrs={"rows": 3})
    )
    records = RecordChoiceField(
        label=_("Credit records relied on"), queryset=CreditRecord.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    standard = forms.ModelChoiceField(label=_("Designation standard"), queryset=DesignationStandard.objects.none())
    measures = MeasureChoiceField(
        label=_("Proposed measures"),
        queryset=PunishmentMeasure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only measures the standard allows (R-CAT-7)."),
    )
    instance: Designation

    def __init__(self, *args, subject, user, **kwargs):
        super().__init__(*args, **kwargs)
        records, standard, measures = self.fields["records"], self.fields["standard"], self.fields["measures"]
        assert isinstance(records, forms.ModelMultipleChoiceField)  # noqa: S101 — declared above
        assert isinstance(standard, forms.ModelChoiceField)  # noqa: S101 — declared above
        assert isinstance(measures, forms.ModelMultipleChoiceField)  # noqa: S101 — declared above
        # Only records that can ground a designation today: active, with a basis, within their disclosure period.
        records.queryset = scope_queryset(
            user,
            CreditRecord.objects.filter(
                subject=subject,
                kind=RecordKind.UNTRUSTWORTHY,
                status=RecordStatus.ACTIVE,
                basis_document__isnull=False,
                disclosure_until__gte=timezone.localdate(),
            )
            .exclude(
                pk__in=Designation.records.through.objects.filter(
                    # not the records of another designation that still stands (one conduct, one designation)
                    designation__in=Designation.objects.exclude(state__in=ENDED).exclude(pk=self.instance.pk or 0),
                ).values("creditrecord_id")
            )
            .select_related("catalog_item", "basis_document"),
        )
        law = current_profile()
        # R-DES-10: only standards for a category the deployment's law lists
        standard.queryset = DesignationStandard.objects.filter(
            jurisdiction=settings.CREDIT_JURISDICTION,
            status=StandardStatus.PUBLISHED,
            serious_category__in=law.serious_categories if law else [],
        )
        leniency = self.fields["leniency"]
        if isinstance(leniency, forms.ChoiceField) and not (law and law.emergency_leniency):
            # R-DES-7: the emergency ground only where the law provides it (HL 30, XJ 33)
            leniency.choices = [(code, label) for code, label in Leniency.choices if code != Leniency.EMERGENCY]
        measures.queryset = PunishmentMeasure.objects.filter(
            measure_list__jurisdiction=settings.CREDIT_JURISDICTION, measure_list__status=PublicationStatus.PUBLISHED
        ).order_by("code")
        if self.instance.pk:
            standard.disabled = True
            self.initial.setdefault("measures", [link.measure_id for link in self.instance.proposed_measures()])
            self.initial.setdefault("expected_version", self.instance.version)
            if self.instance.state != DesignationState.DRAFT:  # after the notice (R-DES-1)
                for name in ("records", "facts", "statement_period_wd"):
                    self.fields[name].disabled = True


class CourtListForm(ReasonMixin):
    """R-DES-8: from a people's court Judgment Defaulters List entry."""

    standard = forms.ModelChoiceField(label=_("Designation standard"), queryset=DesignationStandard.objects.none())
    list_reference = forms.CharField(label=_("Judgment Defaulters List entry"), max_length=100)
    court = forms.CharField(label=_("Court"), max_length=200)
    judgment_number = forms.CharField(label=_("Court document number"), max_length=100)
    judgment_effective_on = forms.DateField(label=_("Effective on"), widget=DATE)
    facts = LongTextField(label=_("Facts"), rows=3)
    measures = MeasureChoiceField(
        label=_("Proposed measures"),
        queryset=PunishmentMeasure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    proposed_listing_months = forms.IntegerField(label=_("Proposed listing period (months)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        standard, measures = self.fields["standard"], self.fields["measures"]
        assert isinstance(standard, forms.ModelChoiceField)  # noqa: S101 — declared above
        assert isinstance(measures, forms.ModelMultipleChoiceField)  # noqa: S101 — declared above
        standard.queryset = DesignationStandard.objects.filter(
            jurisdiction=settings.CREDIT_JURISDICTION,
            status=StandardStatus.PUBLISHED,
            serious_category="non_performance",
        )
        measures.queryset = PunishmentMeasure.objects.filter(
            measure_list__jurisdiction=settings.CREDIT_JURISDICTION, measure_list__status=PublicationStatus.PUBLISHED
        ).order_by("code")


class ActForm(ReasonMixin):
    pass


class RemoveForm(ReasonMixin):
    """Off the list before the period ends: why (expiry is the sweep's; R-RES-4, R-RES-6, R-DES-2)."""

    removal_reason = forms.ChoiceField(
        label=_("Why"),
        choices=[(value, label) for value, label in RemovalReason.choices if value != RemovalReason.EXPIRY],
    )


class NoticeForm(ReasonMixin):
    statement_period_wd = forms.IntegerField(
        label=_("Statement and defence period (working days)"),
        min_value=1,
        max_value=60,
        help_text=_("No regulation of this profile fixes it: the department sets it, and the notice states it."),
    )
    english = forms.BooleanField(label=_("Add an English parallel text"), required=False)


class DecisionIssueForm(ReasonMixin):
    english = forms.BooleanField(
        label=_("Add an English parallel text"),
        required=False,
        help_text=_("The decision is in Chinese; the English text is a courtesy copy."),
    )


class ConsiderForm(ReasonMixin):
    adopted = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda v: v == "yes", choices=[("yes", _("Adopted")), ("no", _("Not adopted"))]
    )
    considered = LongTextField(label=_("Why"), rows=2)


class StatementForm(SubmitOnceForm, ReasonMixin):
    kind = forms.ChoiceField(label=_("Kind"), choices=StatementKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    text = LongTextField(label=_("Text"), rows=3)
    file = DocumentField(label=_("File"), required=False)


class HearingForm(SubmitOnceForm, ReasonMixin):
    scheduled_at = forms.DateTimeField(label=_("Scheduled at"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200)


class HearingMinutesForm(ReasonMixin):
    held_at = forms.DateTimeField(label=_("Held at"), widget=DATETIME)
    minutes = LongTextField(label=_("Minutes"), rows=4)
    minutes_file = DocumentField(label=_("Minutes file"), required=False)
