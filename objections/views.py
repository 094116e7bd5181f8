"""Views of the objections app: lists, the objection's case page with its acts, receiving an objection from a
subject's or a record's page, and the objections panel of a designation's case page (R-OBJ-1 to R-OBJ-7)."""

from __future__ import annotations

from functools import cached_property

from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from creditportal import deadlines
from creditportal.audit import case_timeline, record_event
from creditportal.citations import for_people
from creditportal.documents import documents_of
from creditportal.downloads import readable_name
from creditportal.forms import ServiceFormMixin, act_call
from creditportal.idempotency import SubmitOnceMixin
from creditportal.lists import Column, ScopedExportView, ScopedListView
from creditportal.permissions import ScopedViewMixin, department_ids_for, scope_queryset
from designations.models import Designation
from designations.views import DesignationPostView
from designations.workflow import DESIGNATION
from subjects.models import CreditRecord, CreditSubject

from . import forms, services
from .choices import ObjectionTarget
from .filters import ObjectionFilter
from .models import Objection
from .workflow import APPROVE, CASEWORK, OBJECTION

COLUMNS = (
    Column(gettext_lazy("Subject"), "subject.name", sort="subject__name"),
    Column(gettext_lazy("Kind"), "get_kind_display", sort="kind"),
    Column(gettext_lazy("About"), "get_target_display", sort="target"),
    Column(gettext_lazy("Ground"), "get_ground_display", sort="ground"),
    Column(gettext_lazy("State"), "get_state_display", sort="state"),
    Column(gettext_lazy("Received at"), "received_at", sort="received_at"),
    Column(gettext_lazy("Answer due"), "due_date", sort="due_date"),
    Column(gettext_lazy("Department"), "department.display_name", sort="department__code"),
)


class ObjectionListView(ScopedListView):
    model = Objection
    filterset_class = ObjectionFilter
    columns = COLUMNS
    select_related = ("subject", "department")
    title = gettext_lazy("Objections and complaints")
    export_url_name = "objection_export"
    detail_url_name = "objection_detail"


class ObjectionExportView(ScopedExportView):
    model = Objection
    filterset_class = ObjectionFilter
    columns = (Column(gettext_lazy("ID"), "pk"), *COLUMNS)
    select_related = ("subject", "department")
    filename = "objections"
    export_action = "objections.objection.exported"


#: act → (form, service call(objection, actor, cleaned data)). The case page offers each act whose declared
#: permission the user holds in this state, with the reason it cannot be taken now.
def _decide(objection, actor, data):
    services.objection_decide(
        objection=objection,
        actor=actor,
        sustained=data["sustained"],
        reasons=data["reasons"],
        remedy=data.get("remedy") or "",
        corrections=forms.DecideForm.corrections_of(data) if objection.target == ObjectionTarget.RECORD else None,
        designations_fall=bool(data.get("designations_fall")),
        reason=data["reason"],
        expected_version=data["expected_version"],
    )


def _call(service, *fields: str, versioned: bool = True):
    return act_call(service, "objection", *fields, versioned=versioned)


ACTS = {
    "label": (forms.LabelForm, _call(services.objection_label)),
    "accept": (forms.LabelForm, _call(services.objection_accept)),
    "request_assistance": (
        forms.AssistanceRequestForm,
        _call(services.objection_request_assistance, "assisting_department", "request"),
    ),
    "reply_assistance": (forms.AssistanceReplyForm, _call(services.objection_reply_assistance, "reply")),
    "pause": (forms.PauseForm, _call(services.objection_pause, "pause_reason", "paused_from", versioned=False)),
    "resume": (forms.ResumeForm, _call(services.objection_resume, "paused_until", versioned=False)),
    "request_extension": (forms.ExtensionRequestForm, _call(services.objection_request_extension, "days", "grounds")),
    "extend": (forms.ExtendForm, _call(services.objection_extend)),
    "refuse_extension": (forms.ExtensionRefusalForm, _call(services.objection_refuse_extension, "refusal")),
    "refer": (forms.ReferForm, _call(services.objection_refer, "referred_to", "reasons")),
    "decide": (forms.DecideForm, _decide),
    "issue_answer": (forms.IssueAnswerForm, _call(services.objection_issue_answer, "english", versioned=False)),
    "serve_answer": (
        forms.ServeAnswerForm,
        _call(services.objection_serve_answer, "method", "served_on", "recipient", "proof", versioned=False),
    ),
    "withdraw": (forms.WithdrawForm, _call(services.objection_withdraw)),
}


def _form(act: str, objection: Objection, *args, **kwargs):
    form_class = ACTS[act][0]
    extra = {"target": objection.target} if form_class is forms.DecideForm else {}
    if form_class is forms.DecideForm and objection.record is not None:
        extra["current_summary"] = objection.record.summary
    if form_class is forms.ServeAnswerForm and not args:
        kwargs.setdefault("initial", {})["recipient"] = objection.applicant
    return form_class(*args, prefix=act, **extra, **kwargs)


class ObjectionDetailView(ScopedViewMixin, DetailView):
    """The objection's case file: what it is about, the clocks explained (pauses, extensions), the acts the user
    may take now (and why others cannot be taken), the response letter, the timeline."""

    model = Objection
    template_name = "objections/objection_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "subject",
                "record",
                "record__catalog_item",
                "designation",
                "department",
                "assisting_department",
                "extension_requested_by",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objection, user = self.object, self.request.user
        bound = kwargs.get("bound") or {}
        guard_context = {**services._context(objection), "requested_days": objection.extension_requested_days}
        acts = []
        for name, transition in OBJECTION.transitions.items():
            if transition.internal or objection.state not in transition.sources:
                continue
            if not OBJECTION.permitted(objection, name, user):
                continue
            refusal = OBJECTION.refusal(objection, name, actor=user, **_guard_preview(name, guard_context))
            initial = {"expected_version": objection.version}
            form = bound.get(name) or _form(name, objection, initial=initial)
            acts.append({"name": name, "label": transition.label, "refusal": refusal, "form": form})
        clocks = [
            deadlines.deadline_explain(deadline=d)
            for d in deadlines.deadlines_of(objection)
            .select_related("department", "content_type")
            .prefetch_related("pauses", "extensions__approved_by")
            .order_by("pk")
        ]
        context.update(
            acts=acts,
            clocks=clocks,
            documents=documents_of(objection).prefetch_related("services"),
            events=case_timeline(objection),
            today=timezone.localdate(),
        )
        return context


def _guard_preview(act: str, context: dict) -> dict:
    """What the page knows before the user fills the form: guards that need the form's input (reasons, days, a
    unit named) are checked when it is sent, not shown as reasons not to try."""
    needs_input = {
        "decide": {"sustained": False, "reasons": "-"},
        "refer": {"referred_to": "-"},
        "request_extension": {"days": 1, "grounds": "-"},
        "extend": {"days": context.get("requested_days") or 0},
        "refuse_extension": {"refusal": "-"},
        "request_assistance": {"assisting_department": _Somewhere()},
    }
    return {**context, **needs_input.get(act, {})}


class _Somewhere:
    """Stands for the department the user will choose (for the page's preview of the guards only)."""

    pk = -1


class ObjectionActView(ScopedViewMixin, ServiceFormMixin, FormView):
    """A POST of one act on one objection: scope (404), the act's form, then its service; refused → the case page
    again with what was typed and the reason."""

    model = Objection
    http_method_names = ["post"]

    @cached_property
    def objection(self) -> Objection:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if kwargs["act"] not in ACTS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return _form(self.kwargs["act"], self.objection, self.request.POST, self.request.FILES)

    def perform(self, data):
        ACTS[self.kwargs["act"]][1](self.objection, self.request.user, data)
        return reverse("objection_detail", args=[self.objection.pk])

    def get_success_message(self) -> str:
        return _("Done: %(act)s.") % {"act": OBJECTION.transitions[self.kwargs["act"]].label}

    def render_refused(self, form):
        page = ObjectionDetailView()
        page.setup(self.request, pk=self.objection.pk)
        page.object = page.get_object()
        context = page.get_context_data(object=page.object, bound={self.kwargs["act"]: form})
        context.update(failed_act=self.kwargs["act"], refusal=[for_people(e) for e in form.non_field_errors()])
        return render(self.request, page.template_name, context)


class ObjectionReceiveView(SubmitOnceMixin, ScopedViewMixin, ServiceFormMixin, FormView):
    """Receive a written objection or complaint for a subject (``?subject=``), optionally pre-set on one of its
    records (``?record=``) or designations (``?designation=``) (R-OBJ-1, R-OBJ-7)."""

    model = Objection
    template_name = "objections/objection_receive.html"
    form_class = forms.ObjectionReceiveForm
    scope_action = "add"

    @cached_property
    def subject(self) -> CreditSubject:
        pk = self.request.GET.get("subject") or self.request.POST.get("subject")
        if not (pk or "").isdigit():
            raise Http404
        return get_object_or_404(scope_queryset(self.request.user, CreditSubject.objects.all()), pk=pk)

    def targets(self) -> list[tuple[str, str]]:
        user, subject = self.request.user, self.subject
        # only information that is shown can be objected to (not withdrawn or revoked; archived is never in scope)
        records = scope_queryset(
            user, CreditRecord.objects.filter(subject=subject, status__in=["active", "suspended", "hidden"])
        ).select_related("catalog_item")
        designations = scope_queryset(user, Designation.objects.filter(subject=subject))
        choices = [
            (
                f"record:{r.pk}",
                _("Credit record #%(id)s: %(item)s (%(status)s)")
                % {"id": r.pk, "item": r.catalog_item.name, "status": r.get_status_display()},
            )
            for r in records.order_by("-pk")[:100]
        ]
        choices += [
            (
                f"designation:{d.pk}",
                _("%(designation)s (%(state)s)") % {"designation": d, "state": d.get_state_display()},
            )
            for d in designations.order_by("-pk")[:50]
        ]
        choices += [
            ("identity", _("The subject's identifying data (name, identifier, address)")),
            ("collector", _("A complaint about a non-public information collector")),
        ]
        return choices

    def get_initial(self):
        initial = {"applicant": self.subject.name, "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
        for key in ("record", "designation"):
            if (self.request.GET.get(key) or "").isdigit():
                initial["about"] = f"{key}:{self.request.GET[key]}"
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "targets": self.targets()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "subject": self.subject}

    def perform(self, data):
        user, subject = self.request.user, self.subject
        kind, _sep, pk = data["about"].partition(":")
        record = designation = None
        if kind == "record":
            record = get_object_or_404(scope_queryset(user, CreditRecord.objects.filter(subject=subject)), pk=pk)
        elif kind == "designation":
            designation = get_object_or_404(scope_queryset(user, Designation.objects.filter(subject=subject)), pk=pk)
        if designation is not None:
            objection = services.designation_objection_receive(
                designation=designation,
                actor=user,
                ground=data["ground"],
                grounds_text=data["grounds_text"],
                received_at=data["received_at"],
                applicant=data["applicant"],
                applicant_contact=data["applicant_contact"],
                evidence=data["evidence"],
                label_now=data["label_now"],
                reason=data["reason"],
            )
        else:
            objection = services.objection_receive(
                actor=user,
                subject=subject,
                target=kind,
                record=record,
                ground=data["ground"],
                grounds_text=data["grounds_text"],
                received_at=data["received_at"],
                applicant=data["applicant"],
                applicant_contact=data["applicant_contact"],
                collector=data["collector"],
                evidence=data["evidence"],
                label_now=data["label_now"],
                reason=data["reason"],
            )
        return reverse("objection_detail", args=[objection.pk])

    def get_success_message(self) -> str:
        return _("Received; the answer deadline is running.")


# --- panels on other apps' pages ------------------------------------------------------------------------------


def _target_panel(request, objections, receive_url: str) -> dict:
    user = request.user
    return {
        "objections": scope_queryset(user, objections).select_related("department").order_by("-pk")[:20],
        "receive_url": receive_url if department_ids_for(user, "objections.add_objection") else "",
    }


def record_panel(*, request, obj, bound: dict) -> dict:
    """The objections to a credit record, on its page (R-OBJ-1, R-OBJ-2)."""
    url = f"{reverse('objection_receive')}?subject={obj.subject_id}&record={obj.pk}"
    return _target_panel(request, Objection.objects.filter(record=obj), url)


def subject_panel(*, request, obj, bound: dict) -> dict:
    """Every objection and complaint of a subject, on its page."""
    url = f"{reverse('objection_receive')}?subject={obj.pk}"
    return _target_panel(request, Objection.objects.filter(subject=obj), url)


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
        "form": bound.get("objection_form") or forms.ObjectionForm(initial=version),
        "decision_form": bound.get("objection_decision_form") or forms.ObjectionDecisionForm(initial=version),
        "open": next(iter(bound), ""),
    }


class ObjectionReceiveOnDesignationView(SubmitOnceMixin, DesignationPostView):
    context_form_name = "objection_form"
    form_class = forms.ObjectionForm
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
    form_class = forms.ObjectionDecisionForm
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


class ObjectionEvidenceView(ScopedViewMixin, View):
    """The written objection and the applicant's documents, through the objection's scope (another department's
    objection is a 404); each download is logged."""

    model = Objection

    def get(self, request, pk: int):
        objection = get_object_or_404(self.get_queryset(), pk=pk)
        if not objection.evidence:
            raise Http404
        stored = objection.evidence.name.rsplit("/", 1)[-1]
        record_event(action="objections.file.downloaded", actor=request.user, target=objection, data={"file": stored})
        name = readable_name(_("the written objection and documents"), stored, number=objection.pk)
        return FileResponse(objection.evidence.open("rb"), as_attachment=True, filename=name)


def my_work_panel(*, request, obj, bound: dict) -> dict:
    """The objections in "My work" (issue 16), each list one bounded query, the answer due first (overdue on top):
    the objections and complaints the user's departments answer, still open or waiting for the response letter's
    service; the requests of other units to help verify (R-OBJ-3, HL 39); and, for the person responsible, the
    extensions the caseworkers requested (R-OBJ-3, HN 30)."""
    user = request.user
    casework = department_ids_for(user, CASEWORK)
    approving = department_ids_for(user, APPROVE)
    if not casework and not approving:
        return {"objection_work": None}
    objections = Objection.objects.select_related("subject", "department").order_by(
        F("due_date").asc(nulls_last=True), "pk"
    )
    # waiting for one of the answering department's acts, up to the served letter
    to_answer = objections.filter(
        department_id__in=casework, state__in=OBJECTION.sources_of("withdraw", "serve_answer")
    )
    to_assist = objections.filter(
        assisting_department_id__in=casework, state__in=OBJECTION.sources_of("reply_assistance")
    )
    extensions = objections.filter(
        department_id__in=approving, extension_requested_at__isnull=False, state__in=OBJECTION.sources_of("extend")
    ).select_related("extension_requested_by")
    return {
        "objection_work": True,
        "today": timezone.localdate(),
        "to_answer": list(to_answer[:50]),
        "to_assist": list(to_assist[:50]),
        "extensions": list(extensions[:50]),
    }
