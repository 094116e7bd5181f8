"""Views of the designations app (the due-process workflow arrives with its own issue)."""
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from creditportal.audit import timeline
from creditportal.lists import Column, ScopedExportView, ScopedListView
from creditportal.permissions import ScopedViewMixin

from .filters import DesignationFilter
from .models import Designation

COLUMNS = (
    Column(_("Subject"), "subject.name", sort="subject__name"),
    Column(_("Standard"), "standard.title"),
    Column(_("State"), "get_state_display", sort="state"),
    Column(_("Decision number"), "decision_number", sort="decision_number"),
    Column(_("Listed until"), "listed_until", sort="listed_until"),
    Column(_("Department"), "department.display_name", sort="department__code"),
)


class DesignationListView(ScopedListView):
    model = Designation
    filterset_class = DesignationFilter
    columns = COLUMNS
    select_related = ("subject", "standard", "department")
    title = _("Designations")
    export_url_name = "designation_export"
    detail_url_name = "designation_detail"


class DesignationExportView(ScopedExportView):
    model = Designation
    filterset_class = DesignationFilter
    columns = (Column(_("ID"), "pk"), *COLUMNS)
    select_related = ("subject", "standard", "department")
    filename = "designations"
    export_action = "designations.designation.exported"


class DesignationDetailView(ScopedViewMixin, DetailView):
    model = Designation
    template_name = "designations/designation_detail.html"
    context_object_name = "designation"

    def get_queryset(self):
        return super().get_queryset().select_related("subject", "standard", "department", "caseworker", "approver")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = timeline(self.object)[:100]
        return context
