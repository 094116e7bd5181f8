"""Filter pieces every list shares."""

import django_filters
from django import forms
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
