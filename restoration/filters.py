"""List filters of the restoration app."""

import django_filters
from django.utils.translation import gettext_lazy as _

from creditportal.filters import PublicSearchFilterSet, department_filter

from .choices import RestorationMethod, RestorationState
from .models import PublishedCommitment, RestorationApplication


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


class PublicCommitmentFilter(PublicSearchFilterSet):
    """The public credit commitments' search (R-NAT-3): a name or an organisation's code, the department, and "as
    of" a past moment (their ledger). Nothing here reads case data: only the published snapshots."""

    department = django_filters.ModelChoiceFilter(
        label=_("Department"), empty_label=_("All"), queryset=None, field_name="department"
    )

    class Meta:
        model = PublishedCommitment
        fields = ["q", "department", "as_of"]

    def __init__(self, *args, **kwargs):
        from creditportal.models import Department

        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = Department.objects.filter(is_active=True).order_by("code")
