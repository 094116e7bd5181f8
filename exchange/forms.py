"""Forms of the exchange app: shape only; the import service checks the law."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.choices import SeriousCategory, StandardStatus
from catalog.models import DesignationStandard
from creditportal.models import Department
from creditportal.permissions import department_ids_for


class RecordImportForm(forms.Form):
    """A providing unit's file of credit records: CSV, XLSX or JSON Lines, into one of the user's departments."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    file = forms.FileField(label=_("File"))
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=_("Kept in the history with your name."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8), XLSX or JSON Lines, with the template's columns; up to %(mb)s MB."
        ) % {"mb": settings.EXCHANGE_IMPORT_MAX_BYTES >> 20}
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 — declared above
        field.queryset = Department.objects.filter(
            pk__in=department_ids_for(user, "subjects.add_creditrecord")
        ).order_by("code")
        if field.queryset.count() == 1:
            field.initial = field.queryset.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.EXCHANGE_IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.EXCHANGE_IMPORT_MAX_BYTES >> 20}
            )
        if not upload.size:
            raise ValidationError(_("The file is empty."))
        return upload


class DefaulterImportForm(RecordImportForm):
    """A people's court's Judgment Defaulters List (R-DES-8): each entry drafts a designation on the standard chosen
    here, for the listing period proposed here; each draft is reviewed before its notice."""

    standard = forms.ModelChoiceField(label=_("Designation standard"), queryset=DesignationStandard.objects.none())
    listing_months = forms.IntegerField(label=_("Proposed listing period (months)"), min_value=1, max_value=600)

    field_order = ["department", "standard", "listing_months", "file", "reason"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        standard = self.fields["standard"]
        assert isinstance(standard, forms.ModelChoiceField)  # noqa: S101 — declared above
        standard.queryset = DesignationStandard.objects.filter(
            jurisdiction=settings.CREDIT_JURISDICTION,
            status=StandardStatus.PUBLISHED,
            serious_category=SeriousCategory.NON_PERFORMANCE,
        ).order_by("code")
