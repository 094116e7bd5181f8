"""List filters of the designations app."""
import django_filters
from django.utils.translation import gettext_lazy as _

from creditportal.filters import department_filter
from subjects.choices import SubjectKind

from .choices import DesignationState
from .models import Designation


class DesignationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=DesignationState.choices)
    subject_name = django_filters.CharFilter(label=_("Subject name contains"), field_name="subject__name",
                                             lookup_expr="icontains")
    subject_kind = django_filters.ChoiceFilter(label=_("Subject kind"), field_name="subject__kind",
                                               choices=SubjectKind.choices)
    decision_number = django_filters.CharFilter(label=_("Decision number"))
    department = department_filter("designations.view_designation")

    class Meta:
        model = Designation
        fields = ["state", "subject_name", "subject_kind", "decision_number", "department"]
