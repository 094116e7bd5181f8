"""Views of the objections app (the objection workflow arrives with its own issue)."""
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from creditportal.audit import timeline
from creditportal.lists import Column, ScopedExportView, ScopedListView
from creditportal.permissions import ScopedViewMixin

from .filters import ObjectionFilter
from .models import Objection

COLUMNS = (
    Column(_("Subject"), "subject.name", sort="subject__name"),
    Column(_("Ground"), "get_ground_display", sort="ground"),
    Column(_("State"), "get_state_display", sort="state"),
    Column(_("Received at"), "received_at", sort="received_at"),
    Column(_("Answer due"), "due_date", sort="due_date"),
    Column(_("Department"), "department.display_name", sort="department__code"),
)


class ObjectionListView(ScopedListView):
    model = Objection
    filterset_class = ObjectionFilter
    columns = COLUMNS
    select_related = ("subject", "department")
    title = _("Objections")
    export_url_name = "objection_export"
    detail_url_name = "objection_detail"


class ObjectionExportView(ScopedExportView):
    model = Objection
    filterset_class = ObjectionFilter
    columns = (Column(_("ID"), "pk"), *COLUMNS)
    select_related = ("subject", "department")
    filename = "objections"
    export_action = "objections.objection.exported"


class ObjectionDetailView(ScopedViewMixin, DetailView):
    model = Objection
    template_name = "objections/objection_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        return super().get_queryset().select_related("subject", "record", "designation", "department")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = timeline(self.object)[:100]
        return context
