"""Views of the restoration app (the restoration workflow arrives with its own issue)."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from creditportal.audit import timeline
from creditportal.lists import Column, ScopedExportView, ScopedListView
from creditportal.permissions import ScopedViewMixin

from .filters import RestorationFilter
from .models import RestorationApplication

COLUMNS = (
    Column(_("Subject"), "subject.name", sort="subject__name"),
    Column(_("Method"), "get_method_display", sort="method"),
    Column(_("State"), "get_state_display", sort="state"),
    Column(_("Received at"), "received_at", sort="received_at"),
    Column(_("Promised by"), "promised_by", sort="promised_by"),
    Column(_("Department"), "department.display_name", sort="department__code"),
)


class RestorationListView(ScopedListView):
    model = RestorationApplication
    filterset_class = RestorationFilter
    columns = COLUMNS
    select_related = ("subject", "department")
    title = _("Restoration applications")
    export_url_name = "restoration_export"
    detail_url_name = "restoration_detail"


class RestorationExportView(ScopedExportView):
    model = RestorationApplication
    filterset_class = RestorationFilter
    columns = (Column(_("ID"), "pk"), *COLUMNS)
    select_related = ("subject", "department")
    filename = "restoration-applications"
    export_action = "restoration.application.exported"


class RestorationDetailView(ScopedViewMixin, DetailView):
    model = RestorationApplication
    template_name = "restoration/restoration_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        return super().get_queryset().select_related("subject", "designation", "record", "department")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = timeline(self.object)[:100]
        return context
