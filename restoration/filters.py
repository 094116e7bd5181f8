"""List filters of the restoration app."""

import django_filters
from django.utils.translation import gettext_lazy as _

from creditportal.filters import department_filter

from .choices import RestorationMethod, RestorationState
from .models import RestorationApplication


class RestorationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), empty_label=_("All"), choices=RestorationState.choices)
    method = django_filters.ChoiceFilter(label=_("Method"), empty_label=_("All"), choices=RestorationMethod.choices)
    subject_name = django_filters.CharFilter(
        label=_("Subject name contains"), field_name="subject__name", lookup_expr="icontains"
    )
    department = department_filter("restoration.view_restorationapplication")

    class Meta:
        model = RestorationApplication
        fields = ["state", "method", "subject_name", "department"]
