"""Views of the objections app: lists, the objection's case page with its acts, receiving an objection from a
subject's or a record's page, and the objections panel of a designation's case page (R-OBJ-1 to R-OBJ-7)."""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from creditportal import deadlines
from creditportal.access import SubjectAccessMixin, page_name, record_listed_in
from creditportal.audit import case_timeline, record_event
from creditportal.cases.views import Act, CaseActView, CaseDetailView
from creditportal.choices import AccessKind
from creditportal.citations import for_people
from creditportal.documents import documents_of
from creditportal.downloads import file_response, readable_name
from creditportal.forms import ServiceFormMixin, act_call
from creditportal.idempotency import SubmitOnceMixin
from creditportal.lists import Column, ScopedExportView, ScopedListView
from creditportal.permissions import ScopedViewMixin, department_ids_for, scope_queryset
from creditportal.profiles import current_profile
from designations.views import DesignationPostView
from designations.workflow import DESIGNATION
from subjects.models import CreditSubject

from . import forms, selectors, services
from .choices import ObjectionKind, ObjectionTarget
from .filters import ObjectionFilter
from .models import Objection
from .workflow import OBJECTION

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
    access_subject_path = "subject_id"
    model = Objection
    filterset_class = ObjectionFilter
    columns = COLUMNS
    select_related = ("subject", "department")
    title = gettext_lazy("Objections and complaints")
    export_url_name = "objection_export"
    detail_url_name = "objection_detail"


class ObjectionExportView(ScopedExportView):
    access_subject_path = "subject_id"
    model = Objection
    filterset_class = ObjectionFilter
    columns = (Column(gettext_lazy("ID"), "pk"), *COLUMNS)
    select_related = ("subject", "department")
    filename = "objections"
    export_action = "objections.objection.exported"


#: The objection's acts (R-OBJ-1 to R-OBJ-7): the form and how its cleaned data reaches the service.
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


class ObjectionDetailView(CaseDetailView):
    """The objection's case file: what it is about, the clocks explained (pauses, extensions), the acts the user
    may take now (and why others cannot be taken), the response letter, the timeline."""

    model = Objection
    template_name = "objections/objection_detail.html"
    workflow = OBJECTION
    act_url_name = "objection_act"
    detail_url_name = "objection_detail"
    #: The guards that need the form's input (reasons, days, a unit named) are checked when it is sent, not shown
    #: as reasons not to try: the previews stand in for that input.
    acts = {
        "label": Act(forms.LabelForm, _call(services.objection_label)),
        "accept": Act(forms.LabelForm, _call(services.objection_accept)),
        "request_assistance": Act(
            forms.AssistanceRequestForm,
            _call(services.objection_request_assistance, "assisting_department", "request"),
            preview=lambda o: {"assisting_department": _Somewhere()},
        ),
        "reply_assistance": Act(forms.AssistanceReplyForm, _call(services.objection_reply_assistance, "reply")),
        "pause": Act(forms.PauseForm, _call(services.objection_pause, "pause_reason", "paused_from", versioned=False)),
        "resume": Act(forms.ResumeForm, _call(services.objection_resume, "paused_until", versioned=False)),
        "request_extension": Act(
            forms.ExtensionRequestForm,
            _call(services.objection_request_extension, "days", "grounds"),
            preview={"days": 1, "grounds": "-"},
        ),
        "extend": Act(
            forms.ExtendForm,
            _call(services.objection_extend),
            preview=lambda o: {"days": o.extension_requested_days or 0},
        ),
        "refuse_extension": Act(
            forms.ExtensionRefusalForm,
            _call(services.objection_refuse_extension, "refusal"),
            preview={"refusal": "-"},
        ),
        "refer": Act(forms.ReferForm, _call(services.objection_refer, "referred_to", "reasons"), {"referred_to": "-"}),
        "decide": Act(forms.DecideForm, _decide, preview={"sustained": False, "reasons": "-"}),
        "issue_answer": Act(forms.IssueAnswerForm, _call(services.objection_issue_answer, "english", versioned=False)),
        "serve_answer": Act(
            forms.ServeAnswerForm,
            _call(services.objection_serve_answer, "method", "served_on", "recipient", "proof"),
            initial=lambda o: {"recipient": o.applicant},
        ),
        "withdraw": Act(
            forms.WithdrawForm,
            _call(services.objection_withdraw, "withdrawal_received_on", "withdrawal_document"),
            danger=True,
        ),
    }

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

    def guard_context(self, case) -> dict:
        return services.guard_context(case)

    def form_kwargs(self, name: str, case) -> dict:
        if name != "decide":
            return {}
        return {"target": case.target, **({"current_summary": case.record.summary} if case.record else {})}

    def shows(self, case, offer) -> bool:
        """Acts of the other kind (a complaint is accepted, an objection labelled), resuming a clock that is not
        paused and deciding on an extension nobody requested are not steps anyone can take here: not listed."""
        name = offer.name
        if name in ("label", "accept"):
            return not _other_kind(case, name)
        if name == "resume":
            return offer.refusal is None
        if name in ("extend", "refuse_extension"):
            return bool(case.extension_requested_at)
        return True

    def page_context(self, case, bound) -> dict:
        clocks = [
            deadlines.deadline_explain(deadline=d)
            for d in deadlines.deadlines_of(case)
            .select_related("department", "content_type")
            .prefetch_related("pauses", "extensions__approved_by")
            .order_by("pk")
        ]
        return {
            "clocks": clocks,
            "answer_clock": selectors.answer_clock(objection=case, clocks=clocks),
            "documents": documents_of(case).prefetch_related("services"),
            "events": case_timeline(case),
            "routing": selectors.routing_of(case),
        }


def _other_kind(case, name: str) -> bool:
    """A complaint is accepted, never labelled; an objection is labelled, never accepted (R-OBJ-7)."""
    return (name == "accept") != (case.kind == ObjectionKind.COMPLAINT)


class _Somewhere:
    """Stands for the department the user will choose (for the page's preview of the guards only)."""

    pk = -1


class ObjectionActView(CaseActView):
    """A POST of one act on one objection (``ObjectionDetailView.acts``)."""

    page = ObjectionDetailView


class ObjectionReceiveView(SubjectAccessMixin, SubmitOnceMixin, ScopedViewMixin, ServiceFormMixin, FormView):
    """Receive a written objection or complaint for a subject (``?subject=``), optionally pre-set on one of its
    records (``?record=``) or designations (``?designation=``) (R-OBJ-1, R-OBJ-7).

    A complaint received here that goes to the credit authority of the locality (R-OBJ-7) is not this department's
    to open: the caseworker comes back to this page (``?routed=``), which says where it went and by when it is
    answered; the page also says beforehand where a complaint received here would go, or why none can be."""

    model = Objection
    template_name = "objections/objection_receive.html"
    form_class = forms.ObjectionReceiveForm
    scope_action = "add"
    routed: Objection | None = None
    access_fields = ("identity", "records", "designations")
    access_object = "subject"

    @cached_property
    def subject(self) -> CreditSubject:
        pk = self.request.GET.get("subject") or self.request.POST.get("subject")
        if not (pk or "").isdigit():
            raise Http404
        return get_object_or_404(scope_queryset(self.request.user, CreditSubject.objects.all()), pk=pk)

    def targets(self) -> list[tuple[str, str]]:
        user, subject = self.request.user, self.subject
        records = selectors.objectable_records(user=user, subject=subject)
        designations = selectors.subject_designations(user=user, subject=subject)
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

    def complaint_route(self) -> dict | None:
        """Where a complaint received here would go (R-OBJ-7), for the page: the department that handles it (and
        whether that is another one), or the refusal naming what the system administrator must record. Nothing
        where the profile takes no complaints or the user may not receive for the subject's department."""
        profile = current_profile()
        receiving = self.subject.department
        if not (profile and profile.complaint_answer_wd) or receiving.pk not in department_ids_for(
            self.request.user, "objections.add_objection"
        ):
            return None
        try:
            department = services.complaint_department(receiving=receiving)
        except ValidationError as error:
            return {"refusal": for_people(" ".join(error.messages))}
        return {"department": department, "elsewhere": department != receiving}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "subject": self.subject,
            "complaint_route": self.complaint_route(),
            "routed": selectors.routed_receipt(user=self.request.user, pk=self.request.GET.get("routed")),
        }

    def perform(self, data):
        user, subject = self.request.user, self.subject
        kind, _sep, pk = data["about"].partition(":")
        record = designation = None
        if kind == "record":
            record = get_object_or_404(selectors.objectable_records(user=user, subject=subject), pk=pk)
        elif kind == "designation":
            designation = get_object_or_404(selectors.subject_designations(user=user, subject=subject), pk=pk)
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
        if selectors.routing_of(objection) is not None:
            # R-OBJ-7: the credit authority's complaint now, outside this department's scope: told here where it went
            self.routed = objection
            return f"{reverse('objection_receive')}?subject={subject.pk}&routed={objection.pk}"
        return reverse("objection_detail", args=[objection.pk])

    def get_success_message(self) -> str:
        if self.routed is not None:
            return _("%(complaint)s received and routed to %(department)s, which handles and answers it.") % {
                "complaint": self.routed,
                "department": self.routed.department.display_name,
            }
        return _("Received; the answer deadline is running.")


# --- panels on other apps' pages ------------------------------------------------------------------------------


def _target_panel(request, receive_url: str, **target) -> dict:
    user = request.user
    return {
        "objections": selectors.objections_of(user=user, **target).select_related("department").order_by("-pk")[:20],
        "receive_url": receive_url if department_ids_for(user, "objections.add_objection") else "",
    }


def record_panel(*, request, obj, bound: dict) -> dict:
    """The objections to a credit record, on its page (R-OBJ-1, R-OBJ-2)."""
    return _target_panel(
        request, f"{reverse('objection_receive')}?subject={obj.subject_id}&record={obj.pk}", record=obj
    )


def subject_panel(*, request, obj, bound: dict) -> dict:
    """Every objection and complaint of a subject, on its page."""
    return _target_panel(request, f"{reverse('objection_receive')}?subject={obj.pk}", subject=obj)


def designation_panel(*, request, obj, bound: dict) -> dict:
    """The objections panel of a designation's case page: its objections, and the forms the user may use now."""
    user, designation = request.user, obj
    version = {"expected_version": designation.version}
    objections = selectors.objections_of(user=user, designation=designation).order_by("pk")
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

    def get_prefix(self):
        return None  # the panel's form has no prefix (one objection form of its kind on the page)

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

    def get_prefix(self):
        return None  # the panel's form has no prefix (one objection form of its kind on the page)

    def perform(self, data):
        objection = get_object_or_404(
            selectors.objections_of(user=self.request.user, designation=self.designation),
            pk=self.kwargs["objection_pk"],
        )
        services.objection_decide(
            objection=objection,
            actor=self.request.user,
            sustained=data["sustained"],
            reasons=data["reasons"],
            reason=data["reason"],
        )


class ObjectionEvidenceView(SubjectAccessMixin, ScopedViewMixin, View):
    """The written objection and the applicant's documents, through the objection's scope (another department's
    objection is a 404); each download is logged."""

    model = Objection
    access_kind = AccessKind.DOCUMENT
    access_fields = ("objection_evidence",)
    access_object = "objection"

    @cached_property
    def objection(self) -> Objection:
        objection = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not objection.evidence:
            raise Http404
        return objection

    def deliver(self, request, pk: int):
        objection = self.objection
        stored = (objection.evidence.name or "").rsplit("/", 1)[-1]
        record_event(action="objections.file.downloaded", actor=request.user, target=objection, data={"file": stored})
        name = readable_name(_("the written objection and documents"), stored, number=objection.pk)
        return file_response(request, objection.evidence, filename=name)


def my_work_panel(*, request, obj, bound: dict) -> dict:
    """The objections in "My work" (``selectors.work``)."""
    work = selectors.work(user=request.user)
    if work is None:
        return {"objection_work": None}
    return record_listed_in(request, {"objection_work": True, **work}, page=page_name(request))
