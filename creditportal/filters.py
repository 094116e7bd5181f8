"""Filter pieces every list shares."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Department
from .permissions import department_ids_for

#: Date filters use the browser's date picker.
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def department_filter(perm: str) -> django_filters.ModelChoiceFilter:
    """A department filter offering only the departments where the user holds ``perm``."""

    def departments(request):
        if request is None:
            return Department.objects.none()
        return Department.objects.filter(pk__in=department_ids_for(request.user, perm)).order_by("code")

    return django_filters.ModelChoiceFilter(label=_("Department"), empty_label=_("All"), queryset=departments)


def under_objection_filter() -> django_filters.ChoiceFilter:
    """R-OBJ-2: the rows labelled "under objection" (or not), on the indexed ``under_objection_since``."""
    return django_filters.ChoiceFilter(
        label=_("Under objection"),
        empty_label=_("All"),
        choices=[("yes", _("Under objection")), ("no", _("Not under objection"))],
        method="filter_under_objection",
    )


class UnderObjectionFilterMixin:
    def filter_under_objection(self, queryset, name, value):
        if value in ("yes", "no"):
            return queryset.filter(under_objection_since__isnull=value == "no")
        return queryset


class AsOfField(forms.DateTimeField):
    """A moment in the past (local time, the browser's date-and-time picker): the public pages as they stood then."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.now():
            raise forms.ValidationError(
                _("Give a past date and time: the list cannot be shown as it will stand."), code="future"
            )


class AsOfFilter(django_filters.Filter):
    field_class = AsOfField

    def filter(self, qs, value):
        return qs  # read by PublishedFilterSet.filter_queryset, which reads every row "as of" it (or now)


class PublishedFilterSet(django_filters.FilterSet):
    """The filters of a public page read from a publication ledger (``creditportal.models.publication``): the rows
    published now, or ``as_of`` a past moment, before any other filter. Bind it always (an unbound filter set would
    return the ledger whole, withdrawn rows included)."""

    as_of = AsOfFilter(label=_("As it stood on (optional)"))

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.as_of(self.form.cleaned_data.get("as_of")))

    @property
    def moment(self):
        """The moment asked for, when it is a valid one; None: now."""
        return self.form.cleaned_data.get("as_of") if self.is_valid() else None


class PublicSearchFilterSet(PublishedFilterSet):
    """A public page's search by name or organisation code, on a ledger with ``subject_name``,
    ``subject_is_person`` and ``identifier`` (the masked snapshot): a code's beginning (four Latin letters or
    digits or more) on the code's pattern index alone, else a name contains it (trigram-indexed). A person's
    number is shown masked and never searched (``PublicListView`` turns it away before it reaches here)."""

    q = django_filters.CharFilter(label=_("Name or unified social credit code"), method="filter_q")

    def filter_q(self, queryset, name, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        if len(value) >= 4 and value.isascii() and value.isalnum():
            return queryset.filter(subject_is_person=False, identifier__startswith=value.upper())
        return queryset.filter(subject_name__icontains=value)
