"""List filters of the subjects app (django-filter)."""

import django_filters
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from creditportal.choices import AccessKind, AccessPurpose
from creditportal.filters import (
    DATE_INPUT,
    PublicSearchFilterSet,
    UnderObjectionFilterMixin,
    department_filter,
    under_objection_filter,
)
from creditportal.models import AccessEntry

from .choices import RecordKind, RecordStatus, SubjectKind
from .models import CreditRecord, CreditSubject, PublishedPenalty
from .validators import normalise_identifier


class SubjectFilter(UnderObjectionFilterMixin, django_filters.FilterSet):
    """Kind, identifier or its beginning (indexed), name (contains; trigram-indexed on PostgreSQL), department."""

    name = django_filters.CharFilter(label=_("Name contains"), lookup_expr="icontains")
    id_number = django_filters.CharFilter(
        label=_("Identifier (an organisation's code may be its beginning)"), method="filter_identifier"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), empty_label=_("All"), choices=SubjectKind.choices)
    department = department_filter("subjects.view_creditsubject")
    under_objection = under_objection_filter()

    class Meta:
        model = CreditSubject
        fields = ["name", "id_number", "kind", "department", "under_objection"]

    def filter_identifier(self, queryset, name, value):
        """The whole identifier, by its digest (a person's number is stored encrypted, issue 21), or an
        organisation's code by its beginning (at least four characters, on the pattern index)."""
        value = normalise_identifier("", value)
        exact = Q(id_digest=CreditSubject.digest_of(value))
        if len(value) < 4:
            return queryset.filter(exact)
        return queryset.filter(exact | (~Q(kind=SubjectKind.NATURAL_PERSON) & Q(id_number__startswith=value)))

    def filter_under_objection(self, queryset, name, value):
        """R-OBJ-2: a subject is under objection when it, one of its records or one of its designations is
        labelled. Set-based for a million subjects: the few labelled rows are read from their indexed
        ``under_objection_since`` columns (one union), then matched on the subjects' primary key."""
        if value not in ("yes", "no"):
            return queryset
        labelled = labelled_subject_ids()
        return queryset.filter(pk__in=labelled) if value == "yes" else queryset.exclude(pk__in=labelled)


def labelled_subject_ids() -> QuerySet:
    """The ids of subjects labelled "under objection" themselves or through a record or a designation. The
    designation is read by its label (designations depend on subjects, never the reverse)."""
    designation = apps.get_model("designations", "Designation")
    own = CreditSubject.objects.filter(under_objection_since__isnull=False).values("pk")
    records = CreditRecord.objects.filter(under_objection_since__isnull=False).values("subject_id")
    designations = designation.objects.filter(under_objection_since__isnull=False).values("subject_id")
    return own.union(records, designations)


class RecordFilter(UnderObjectionFilterMixin, django_filters.FilterSet):
    subject_name = django_filters.CharFilter(
        label=_("Subject name contains"), field_name="subject__name", lookup_expr="icontains"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), empty_label=_("All"), choices=RecordKind.choices)
    # archived records are never displayed (R-DIS-3): not a choice either
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        empty_label=_("All"),
        choices=[c for c in RecordStatus.choices if c[0] != RecordStatus.ARCHIVED],
    )
    under_objection = under_objection_filter()
    department = department_filter("subjects.view_creditrecord")
    determined_after = django_filters.DateFilter(
        label=_("Determined on or after"), widget=DATE_INPUT, field_name="determined_on", lookup_expr="gte"
    )

    class Meta:
        model = CreditRecord
        fields = ["subject_name", "kind", "status", "under_objection", "department", "determined_after"]


class AccessLogFilter(django_filters.FilterSet):
    """The access log for the department's auditors (R-SEC-3): by subject, person, how, purpose and day."""

    subject = django_filters.NumberFilter(label=_("Subject number"), field_name="subject_id")
    user = django_filters.CharFilter(label=_("User name"), field_name="user__username")
    kind = django_filters.ChoiceFilter(label=_("How"), empty_label=_("All"), choices=AccessKind.choices)
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), empty_label=_("All"), choices=AccessPurpose.choices)
    since = django_filters.DateFilter(label=_("From"), field_name="at", lookup_expr="date__gte", widget=DATE_INPUT)
    until = django_filters.DateFilter(label=_("Until"), field_name="at", lookup_expr="date__lte", widget=DATE_INPUT)
    department = department_filter("creditportal.view_accessentry")

    class Meta:
        model = AccessEntry
        fields = ["subject", "user", "kind", "purpose", "since", "until", "department"]


class PublicPenaltyFilter(PublicSearchFilterSet):
    """The published administrative penalties' search (R-NAT-2, SAMR-45): a name or an organisation's code (or its
    beginning), the department, and "as of" a past moment (their ledger). Nothing here reads case data: only the
    published snapshots."""

    department = django_filters.ModelChoiceFilter(
        label=_("Department"), empty_label=_("All"), queryset=None, field_name="department"
    )

    class Meta:
        model = PublishedPenalty
        fields = ["q", "department", "as_of"]

    def __init__(self, *args, **kwargs):
        from creditportal.models import Department

        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = Department.objects.filter(is_active=True).order_by("code")
