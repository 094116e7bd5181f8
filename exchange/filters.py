"""The record imports' list filters."""

import django_filters
from django.utils.translation import gettext_lazy as _

from creditportal.filters import department_filter

from .choices import ImportStatus
from .models import RecordImport


class RecordImportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), empty_label=_("All"), choices=ImportStatus.choices)
    department = department_filter("exchange.view_recordimport")

    class Meta:
        model = RecordImport
        fields = ["status", "department"]
