"""List filters of the subjects app (django-filter)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from creditportal.filters import department_filter

from .choices import RecordKind, RecordStatus, SubjectKind
from .models import CreditRecord, CreditSubject
from .validators import normalise_identifier


class SubjectFilter(django_filters.FilterSet):
    """Kind, exact identifier (indexed), name (contains; trigram-indexed on PostgreSQL), department."""

    name = django_filters.CharFilter(label=_("Name contains"), lookup_expr="icontains")
    id_number = django_filters.CharFilter(label=_("Identifier"), method="filter_identifier")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SubjectKind.choices)
    department = department_filter("subjects.view_creditsubject")

    class Meta:
        model = CreditSubject
        fields = ["name", "id_number", "kind", "department"]

    def filter_identifier(self, queryset, name, value):
        return queryset.filter(id_number=normalise_identifier("", value))


class RecordFilter(django_filters.FilterSet):
    subject_name = django_filters.CharFilter(label=_("Subject name contains"), field_name="subject__name",
                                             lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=RecordKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RecordStatus.choices)
    department = department_filter("subjects.view_creditrecord")
    determined_after = django_filters.DateFilter(label=_("Determined on or after"), field_name="determined_on",
                                                 lookup_expr="gte")

    class Meta:
        model = CreditRecord
        fields = ["subject_name", "kind", "status", "department", "determined_after"]
