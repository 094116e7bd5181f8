"""List filters of the designations app."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from catalog.models import DesignationStandard
from creditportal.filters import DATE_INPUT, UnderObjectionFilterMixin, department_filter, under_objection_filter
from creditportal.models import Deadline
from subjects.choices import SubjectKind

from .choices import DesignationState
from .models import Designation


class DesignationFilter(UnderObjectionFilterMixin, django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), empty_label=_("All"), choices=DesignationState.choices)
    subject_name = django_filters.CharFilter(
        label=_("Subject name contains"), field_name="subject__name", lookup_expr="icontains"
    )
    subject_kind = django_filters.ChoiceFilter(
        label=_("Subject kind"), empty_label=_("All"), field_name="subject__kind", choices=SubjectKind.choices
    )
    decision_number = django_filters.CharFilter(label=_("Decision number"))
    standard = django_filters.ModelChoiceFilter(
        label=_("Standard"), empty_label=_("All"), queryset=DesignationStandard.objects.order_by("code")
    )
    deadline_before = django_filters.DateFilter(
        label=_("A deadline due by"), widget=DATE_INPUT, method="filter_deadline"
    )
    department = department_filter("designations.view_designation")
    under_objection = under_objection_filter()

    class Meta:
        model = Designation
        fields = [
            "state",
            "under_objection",
            "standard",
            "subject_name",
            "subject_kind",
            "decision_number",
            "deadline_before",
            "department",
        ]

    def filter_deadline(self, queryset, name, value):
        """Cases with a running clock (statement period, listing, …) due on or before ``value``."""
        content_type = ContentType.objects.get_for_model(Designation)
        running = Deadline.objects.filter(content_type=content_type, status="open", due_date__lte=value)
        return queryset.filter(pk__in=running.values("object_id"))
