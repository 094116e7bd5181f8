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
