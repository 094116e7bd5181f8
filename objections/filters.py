"""List filters of the objections app."""

import django_filters
from django.utils.translation import gettext_lazy as _

from creditportal.filters import DATE_INPUT, department_filter
from creditportal.permissions import department_ids_for

from .choices import ObjectionGround, ObjectionKind, ObjectionState, ObjectionTarget
from .models import Objection


class ObjectionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), empty_label=_("All"), choices=ObjectionState.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), empty_label=_("All"), choices=ObjectionKind.choices)
    target = django_filters.ChoiceFilter(label=_("About"), empty_label=_("All"), choices=ObjectionTarget.choices)
    ground = django_filters.ChoiceFilter(label=_("Ground"), empty_label=_("All"), choices=ObjectionGround.choices)
    subject_name = django_filters.CharFilter(
        label=_("Subject name contains"), field_name="subject__name", lookup_expr="icontains"
    )
    due_before = django_filters.DateFilter(
        label=_("Answer due on or before"), widget=DATE_INPUT, field_name="due_date", lookup_expr="lte"
    )
    assisting = django_filters.ChoiceFilter(
        label=_("Help asked of my department"),
        empty_label=_("All"),
        choices=[("yes", _("Yes"))],
        method="filter_assisting",
    )
    department = department_filter("objections.view_objection")

    class Meta:
        model = Objection
        fields = ["state", "kind", "target", "ground", "subject_name", "due_before", "assisting", "department"]

    def filter_assisting(self, queryset, name, value):
        """R-OBJ-3 (HL 39): the objections another unit asked this user's departments to help verify."""
        if value != "yes" or self.request is None:
            return queryset
        return queryset.filter(
            assisting_department_id__in=department_ids_for(self.request.user, "objections.view_objection")
        )
