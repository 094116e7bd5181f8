"""Forms of the catalog app: shape only; the services check the law."""

from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from creditportal.forms import LongTextField, ModelFieldsForm
from creditportal.models import Department
from creditportal.profiles import profile_for

from .choices import MeasureListKind, MeasureScope, PublicationStatus, SeriousCategory
from .models import ITEM_FIELDS, CatalogItem, CatalogVersion, DesignationStandard, PunishmentMeasure


class ExpectedVersionField(forms.IntegerField):
    """The object's version when the page was rendered, sent back so a stale page is refused (creditportal.locking)."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.HiddenInput, required=False, min_value=0, **kwargs)


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Reason"))
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("help_text", _("Kept in the history with your name."))
        super().__init__(**kwargs)


class VersionCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    based_on = forms.ModelChoiceField(
        label=_("Start from"),
        queryset=CatalogVersion.objects.none(),
        required=False,
        help_text=_("Copy the items of this version into the new draft. Leave empty to start empty."),
    )
    reason = ReasonField(initial=_("Next catalog version"))

    def __init__(self, *args, jurisdiction: str, **kwargs):
        super().__init__(*args, **kwargs)
        based_on = self.fields["based_on"]
        assert isinstance(based_on, forms.ModelChoiceField)  # noqa: S101 — declared above
        versions = CatalogVersion.objects.filter(jurisdiction=jurisdiction).order_by("-number")
        based_on.queryset = versions
        based_on.initial = versions.filter(status=PublicationStatus.PUBLISHED).first()


class CatalogItemForm(ModelFieldsForm):
    """Shape only: the service validates the item against the profile (ModelFieldsForm)."""

    model = CatalogItem
    model_fields = list(ITEM_FIELDS)  # the item's content, declared once in catalog/models.py
    widgets = {"conduct": forms.Textarea(attrs={"rows": 2}), "legal_basis": forms.Textarea(attrs={"rows": 2})}
    reason = ReasonField()
    expected_version = ExpectedVersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        department = self.fields["providing_department"]
        assert isinstance(department, forms.ModelChoiceField)  # noqa: S101 — the item's foreign key
        department.queryset = Department.objects.filter(is_active=True).order_by("code")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8, with a header row), Excel (XLSX, the first sheet) or JSON (a list of objects). Rows whose "
            "code the draft already holds update that entry."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Detect from the file")), ("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("json", "JSON")],
    )
    dry_run = forms.BooleanField(label=_("Dry run: check every row, write nothing"), required=False, initial=True)
    reason = ReasonField(initial=_("Imported from the national catalog file"))


class MeasureListCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeasureListKind.choices)
    scope = forms.ChoiceField(label=_("Scope"), choices=MeasureScope.choices)
    copy_published = forms.BooleanField(
        label=_("Start from the published list of this kind and scope"), required=False, initial=True
    )
    reason = ReasonField(initial=_("Next measures list"))


class MeasureForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    text = LongTextField(label=_("Measure"), rows=2)
    legal_clause = LongTextField(label=_("Legal clause"), rows=2)
    max_duration_months = forms.IntegerField(label=_("Maximum duration (months)"), min_value=1, required=False)
    reason = ReasonField()
    expected_version = ExpectedVersionField()


class StandardForm(ModelFieldsForm):
    """Shape only: the service validates the standard and the law (ModelFieldsForm)."""

    model = DesignationStandard
    model_fields = [
        "code",
        "title",
        "sector",
        "serious_category",
        "conduct_criteria",
        "legal_basis",
        "allowed_measures",
        "removal_conditions",
        "listing_max_months",
        "removal_procedure",
        "remedies",
        "comment_starts_on",
        "comment_ends_on",
    ]
    widgets = {
        "conduct_criteria": forms.Textarea(attrs={"rows": 3}),
        "legal_basis": forms.Textarea(attrs={"rows": 2}),
        "removal_conditions": forms.Textarea(attrs={"rows": 2}),
        "removal_procedure": forms.Textarea(attrs={"rows": 2}),
        "remedies": forms.Textarea(attrs={"rows": 2}),
        "comment_starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        "comment_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    }
    allowed_measures = forms.ModelMultipleChoiceField(
        label=_("Measures allowed"),
        queryset=PunishmentMeasure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only measures of published lists (R-CAT-7)."),
    )
    reason = ReasonField()
    expected_version = ExpectedVersionField()

    def __init__(self, *args, jurisdiction: str, **kwargs):
        super().__init__(*args, **kwargs)
        # R-DES-10: only the categories the deployment's law lists are offered
        law = profile_for(jurisdiction)
        category = self.fields["serious_category"]
        assert isinstance(category, forms.ChoiceField)  # noqa: S101 — a model field with choices
        listed = set(law.serious_categories) if law else set()
        category.choices = [*BLANK_CHOICE_DASH, *((c, label) for c, label in SeriousCategory.choices if c in listed)]
        measures = self.fields["allowed_measures"]
        assert isinstance(measures, forms.ModelMultipleChoiceField)  # noqa: S101 — declared above
        measures.queryset = (
            PunishmentMeasure.objects.filter(
                measure_list__jurisdiction=jurisdiction,
                measure_list__status=PublicationStatus.PUBLISHED,
            )
            .select_related("measure_list")
            .order_by("code")
        )


class ActForm(forms.Form):
    reason = ReasonField()
    expected_version = ExpectedVersionField()


class PublishForm(ActForm):
    """Publishing a catalog version or measures list: the day it takes effect (today or later) and a confirmation."""

    effective_on = forms.DateField(
        label=_("Effective from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the published version takes effect: today or later."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked this version and confirm that it is published, replacing the version in force."),
        error_messages={"required": _("Tick the confirmation to publish.")},
    )

    def clean_effective_on(self):
        value = self.cleaned_data["effective_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(
                _("The effective date cannot be before today (%(today)s).")
                % {"today": timezone.localdate().isoformat()}
            )
        return value
