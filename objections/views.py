"""Views of the objections app (the objection workflow arrives with its own issue)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from creditportal.audit import timeline
from creditportal.lists import Column, ScopedExportView, ScopedListView
from creditportal.permissions import ScopedViewMixin, scope_queryset
from designations.views import DesignationPostView
from designations.workflow import DESIGNATION

from . import services
from .filters import ObjectionFilter
from .forms import ObjectionDecisionForm, ObjectionForm
from .models import Objection
from .workflow import OBJECTION

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


# --- objections to a designation, on the designation's case page (R-DES-2) -----------------------------------


def designation_panel(*, request, obj, bound: dict) -> dict:
    """The objections panel of a designation's case page: its objections, and the forms the user may use now."""
    user, designation = request.user, obj
    version = {"expected_version": designation.version}
    objections = scope_queryset(user, Objection.objects.filter(designation=designation)).order_by("pk")
    can_decide = DESIGNATION.can(designation, "decide_objection", actor=user, today=timezone.localdate()) is None
    return {
        "objections": [
            {"objection": o, "can_decide": can_decide and o.state in OBJECTION.sources_of("decide")} for o in objections
        ],
        "can_receive": DESIGNATION.can(designation, "receive_objection", actor=user, today=timezone.localdate())
        is None,
        "form": bound.get("objection_form") or ObjectionForm(initial=version),
        "decision_form": bound.get("objection_decision_form") or ObjectionDecisionForm(initial=version),
        "open": next(iter(bound), ""),
    }


class ObjectionReceiveView(DesignationPostView):
    context_form_name = "objection_form"
    form_class = ObjectionForm
    success_message = gettext_lazy("Objection received; its answer deadline is running.")

    def perform(self, data):
        services.designation_objection_receive(
            designation=self.designation,
            actor=self.request.user,
            ground=data["ground"],
            grounds_text=data["grounds_text"],
            received_at=data["received_at"],
            evidence=data["evidence"],
            reason=data["reason"],
        )


class ObjectionDecideView(DesignationPostView):
    context_form_name = "objection_decision_form"
    form_class = ObjectionDecisionForm
    success_message = gettext_lazy("Objection decided.")

    def perform(self, data):
        objection = get_object_or_404(
            scope_queryset(self.request.user, Objection.objects.filter(designation=self.designation)),
            pk=self.kwargs["objection_pk"],
        )
        services.designation_objection_decide(
            objection=objection,
            actor=self.request.user,
            sustained=data["sustained"],
            reasons=data["reasons"],
            reason=data["reason"],
        )
