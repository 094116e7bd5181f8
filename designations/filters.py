"""List filters of the designations app."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from catalog.models import DesignationStandard
from creditportal.filters import (
    DATE_INPUT,
    PublicSearchFilterSet,
    UnderObjectionFilterMixin,
    department_filter,
    under_objection_filter,
)
from creditportal.models import Deadline
from subjects.choices import SubjectKind

from .choices import DesignationState
from .models import Designation, Publication


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


class PublicListFilter(PublicSearchFilterSet):
    """The public list's search (issue 22; HL 23, HN 16): a name or an organisation's code (or its beginning), the
    sector, the deciding department, the first day on the list, and "as of" a past moment (the publication ledger).
    Nothing here reads case data: only the published entries."""

    sector = django_filters.ChoiceFilter(label=_("Sector"), empty_label=_("All"), choices=(), method="filter_sector")
    department = django_filters.ModelChoiceFilter(
        label=_("Deciding department"), empty_label=_("All"), queryset=None, field_name="department"
    )
    listed_after = django_filters.DateFilter(
        label=_("Listed on or after"), field_name="listed_from", lookup_expr="gte", widget=DATE_INPUT
    )
    listed_before = django_filters.DateFilter(
        label=_("Listed on or before"), field_name="listed_from", lookup_expr="lte", widget=DATE_INPUT
    )

    class Meta:
        model = Publication
        fields = ["q", "sector", "department", "listed_after", "listed_before", "as_of"]

    def __init__(self, *args, **kwargs):
        from creditportal.models import Department

        super().__init__(*args, **kwargs)
        sectors = DesignationStandard.objects.order_by("sector").values_list("sector", flat=True).distinct()
        self.filters["sector"].extra["choices"] = [(sector, sector) for sector in sectors if sector]
        self.filters["department"].queryset = Department.objects.filter(is_active=True).order_by("code")

    def filter_sector(self, queryset, name, value):
        return queryset.filter(sector=value)
