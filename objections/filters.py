"""List filters of the objections app."""

import django_filters
from django.utils.translation import gettext_lazy as _

from creditportal.filters import DATE_INPUT, department_filter

from .choices import ObjectionGround, ObjectionState
from .models import Objection


class ObjectionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), empty_label=_("All"), choices=ObjectionState.choices)
    ground = django_filters.ChoiceFilter(label=_("Ground"), empty_label=_("All"), choices=ObjectionGround.choices)
    subject_name = django_filters.CharFilter(
        label=_("Subject name contains"), field_name="subject__name", lookup_expr="icontains"
    )
    due_before = django_filters.DateFilter(
        label=_("Answer due on or before"), widget=DATE_INPUT, field_name="due_date", lookup_expr="lte"
    )
    department = department_filter("objections.view_objection")

    class Meta:
        model = Objection
        fields = ["state", "ground", "subject_name", "due_before", "department"]
