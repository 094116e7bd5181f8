"""Views of the restoration app: thin; scope first (404 outside it), the form checks shape, the service the law."""

from __future__ import annotations

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from creditportal.access import SubjectAccessMixin, label_of, page_name, record_listed, record_listed_in, target_of
from creditportal.audit import record_event
from creditportal.cases.views import Act, CaseActView, CaseDetailView
from creditportal.choices import AccessKind
from creditportal.documents import documents_of
from creditportal.downloads import file_response
from creditportal.forms import ServiceFormMixin, act_call
from creditportal.idempotency import SubmitOnceMixin
from creditportal.lists import Column, PublicListView, ScopedExportView, ScopedListView
from creditportal.permissions import ScopedViewMixin, department_ids_for, scope_queryset
from creditportal.profiles import current_profile
from creditportal.sealed_search import seal, unsealed
from subjects.models import CreditRecord, CreditSubject
from subjects.selectors import revocations_pending

from . import forms, selectors, services
from .choices import RestorationState
from .filters import PublicCommitmentFilter, RestorationFilter
from .models import RestorationApplication
from .workflow import RECEIVE_PERMISSION, RESTORATION, promised_period, receives_for_others

COLUMNS = (
    Column(_("Subject"), "subject.name", sort="subject__name"),
    Column(_("Method"), "get_method_display", sort="method"),
    Column(_("State"), "get_state_display", sort="state"),
    Column(_("Received at"), "received_at", sort="received_at"),
    Column(_("Promised by"), "promised_by", sort="promised_by"),
    Column(_("Department"), "department.display_name", sort="department__code"),
)


class RestorationListView(ScopedListView):
    access_subject_path = "subject_id"
    model = RestorationApplication
    filterset_class = RestorationFilter
    columns = COLUMNS
    select_related = ("subject", "department")
    title = _("Restoration applications")
    export_url_name = "restoration_export"
    detail_url_name = "restoration_detail"


class RestorationExportView(ScopedExportView):
    access_subject_path = "subject_id"
    model = RestorationApplication
    filterset_class = RestorationFilter
    columns = (Column(_("ID"), "pk"), *COLUMNS)
    select_related = ("subject", "department")
    filename = "restoration-applications"
    export_action = "restoration.application.exported"


def _promise_note(application) -> str:
    days = promised_period(application=application)
    if not days:
        return ""
    return ngettext(
        "Completed within %(days)s working day of acceptance: the period promised in advance, as the decision told "
        "the subject.",
        "Completed within %(days)s working days of acceptance: the period promised in advance, as the decision "
        "told the subject.",
        days,
    ) % {"days": days}


#: What the person types (reasons, an opinion) is checked when the form is sent; the page says only what the law
#: and the state refuse now.
_TYPED = {"reasons": "-", "opinion": "-"}


def document_title(application, document) -> str:
    """A restoration document by its title, as the subject reads it: the decision not to accept is a kind of its
    own; the notice of the outcome is a decision not to grant when the application was not granted (a final state,
    so the application's state names the notice it issued)."""
    if document.kind == services.NOTICE and application.state == RestorationState.NOT_GRANTED:
        return str(_("Decision not to grant credit restoration"))
    return document.get_kind_display()


class RestorationDetailView(CaseDetailView):
    """The application's case page: the facts, next steps (each with why it cannot be taken now), documents and
    service, deadlines explained, the timeline (R-RES-1 to R-RES-5)."""

    model = RestorationApplication
    template_name = "restoration/restoration_detail.html"
    workflow = RESTORATION
    act_url_name = "restoration_act"
    detail_url_name = "restoration_detail"
    acts = {
        "accept": Act(
            forms.AcceptForm, act_call(services.restoration_accept, "application"), primary=True, note=_promise_note
        ),
        "refuse": Act(
            forms.RefuseForm,
            act_call(services.restoration_refuse, "application", "reasons", languages=True),
            _TYPED,
            danger=True,
        ),
        "review": Act(
            forms.ReviewForm, act_call(services.restoration_review, "application", "opinion"), _TYPED, primary=True
        ),
        "grant": Act(
            forms.DecideForm,
            act_call(services.restoration_grant, "application", "reasons", languages=True),
            _TYPED,
            primary=True,
        ),
        "not_grant": Act(
            forms.DecideForm,
            act_call(services.restoration_not_grant, "application", "reasons", languages=True),
            _TYPED,
            danger=True,
        ),
        "withdraw": Act(forms.ActForm, act_call(services.restoration_withdraw, "application"), danger=True),
        "serve_notice": Act(
            forms.NoticeServiceForm,
            act_call(services.restoration_serve_notice, "application", "method", "served_on", "recipient"),
            initial=lambda a: {"served_on": timezone.localdate(), "recipient": a.subject.name},
            primary=True,
        ),
        "serve_refusal": Act(
            forms.NoticeServiceForm,
            act_call(services.restoration_serve_refusal, "application", "method", "served_on", "recipient"),
            initial=lambda a: {"served_on": timezone.localdate(), "recipient": a.subject.name},
            primary=True,
        ),
    }

    def get_queryset(self):
        return super().get_queryset().select_related("subject", "designation", "record", "department", "reviewed_by")

    #: The document each service act records the service of.
    served_documents = {"serve_notice": services.NOTICE, "serve_refusal": services.REFUSAL}

    def shows(self, case, offer) -> bool:
        """A document's service is a step only while the document is out and not yet served."""
        if offer.name in self.served_documents:
            document = case.document(self.served_documents[offer.name])
            return document is not None and not document.services.exists()
        return True

    def page_context(self, case, bound) -> dict:
        from creditportal.audit import case_timeline

        return {
            "documents": [(document, document_title(case, document)) for document in documents_of(case)],
            "deadlines": selectors.application_deadlines(application=case),
            "events": case_timeline(case),
            "records": [case.record]
            if case.record_id
            else list(case.designation.records.select_related("catalog_item")),
            "promised_wd": promised_period(application=case),
            "evidence_name": selectors.evidence_name(case) if case.evidence_file else "",
        }


class RestorationEvidenceView(SubjectAccessMixin, ScopedViewMixin, View):
    """The proof the subject handed in, through the application's scope (another department's is a 404), under
    the name it was handed in with (never the stored path); each download is logged."""

    model = RestorationApplication
    access_kind = AccessKind.DOCUMENT
    access_fields = ("restoration_evidence",)
    access_object = "application"

    @cached_property
    def application(self) -> RestorationApplication:
        application = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not application.evidence_file:
            raise Http404
        return application

    def deliver(self, request, pk: int):
        application = self.application
        name = selectors.evidence_name(application)
        record_event(
            action="restoration.evidence.downloaded", actor=request.user, target=application, data={"file": name}
        )
        return file_response(request, application.evidence_file, filename=name)


class RestorationActView(CaseActView):
    """A POST of one act on an application (``RestorationDetailView.acts``)."""

    page = RestorationDetailView


class RestorationStartView(SubjectAccessMixin, SubmitOnceMixin, ScopedViewMixin, ServiceFormMixin, FormView):
    """Receive a restoration application, started from the subject's page (``?subject=<pk>``), a designation's
    (``?designation=<pk>``) or a record's (``?record=<pk>``). Another department's subject is a 404; the page shows
    the subject's restorable designations and records, so it asks why and registers the look (R-SEC-3)."""

    access_fields = ("identity", "designations", "records")

    def access_target(self):
        start = self.start
        return target_of(start.get("designation") or start.get("record") or start["subject"])

    model = RestorationApplication
    scope_action = "add"
    form_class = forms.RestorationStartForm
    template_name = "restoration/restoration_start.html"
    success_message = _("The application was received.")
    routed: RestorationApplication | None = None

    def get_success_message(self) -> str:
        if self.routed is not None:
            return _routed_message(self.routed)
        return str(self.success_message)

    @cached_property
    def start(self) -> dict:
        from designations.models import Designation

        user = self.request.user
        params = self.request.GET
        try:
            if params.get("designation"):
                designation = get_object_or_404(
                    scope_queryset(user, Designation.objects.select_related("subject"), "view"),
                    pk=int(params["designation"]),
                )
                return {"subject": designation.subject, "designation": designation}
            if params.get("record"):
                record = get_object_or_404(
                    scope_queryset(user, CreditRecord.objects.select_related("subject", "catalog_item"), "view"),
                    pk=int(params["record"]),
                )
                return {"subject": record.subject, "record": record}
            if params.get("subject"):
                subject = get_object_or_404(
                    scope_queryset(user, CreditSubject.objects.all()), pk=int(params["subject"])
                )
                return {"subject": subject}
        except ValueError as error:
            raise Http404 from error
        raise Http404(_("Start a restoration from a subject's or a designation's page."))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["targets"] = selectors.target_choices(user=self.request.user, **self.start)
        kwargs["profile"] = current_profile()
        return kwargs

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.start)
        return context

    def perform(self, data):
        application = _receive(self.request, data)
        if _routed(self.request.user, application):
            # a designation shared with a credit authority (re-examination) is still the designating unit's to decide
            self.routed = application
            return _routed_url(application)
        return reverse("restoration_detail", args=[application.pk])


def _receive(request, data) -> RestorationApplication:
    """The application as the receive form typed it, through the service (which checks the law, R-RES-1)."""
    from designations.models import Designation

    kind, _sep, pk = data["target"].partition(":")
    target = {"designation": Designation(pk=int(pk))} if kind == "d" else {"record": CreditRecord(pk=int(pk))}
    now = timezone.now()
    received = data["received_on"]
    received_at = (
        now
        if received == timezone.localdate(now)
        else timezone.make_aware(datetime.datetime.combine(received, datetime.time(9)))
    )
    return services.restoration_receive(
        actor=request.user,
        reason=data["reason"],
        method=data["method"],
        evidence=data["evidence"],
        evidence_file=data.get("evidence_file"),
        commitment=data.get("commitment", ""),
        received_at=received_at,
        now=now,
        **target,
    )


def _routed(user, application) -> bool:
    """Received in a credit authority and routed to the deciding department (R-RES-1): not the receiver's to open."""
    return application.department_id not in department_ids_for(user, RECEIVE_PERMISSION)


def _routed_url(application) -> str:
    return f"{reverse('restoration_receive')}?routed={application.pk}"


def _routed_message(application) -> str:
    return str(
        _("Restoration application #%(id)s received and routed to %(department)s, which decides on it.")
        % {"id": application.pk, "department": application.department.display_name}
    )


#: The restoration receipt's lookup: its identifier is sealed (``creditportal.sealed_search``).
LOOKUP = ("identifier",)


class RestorationReceiveView(SubmitOnceMixin, LoginRequiredMixin, ServiceFormMixin, FormView):
    """A credit authority (any level) receives restoration applications for other departments' designations and
    records (R-RES-1; HN 32, HL 40), whose pages it cannot open: the caseworker types the subject's identifier
    (unified social credit code or identity card number) and sees what the subject may apply to restore, in
    whichever department; the application goes at once to the department that decides on it, and this page then
    says where it went (``?routed=``). Nobody else uses this page (403): every other department receives from its
    own subject's, designation's or record's page."""

    form_class = forms.RestorationStartForm
    template_name = "restoration/restoration_receive.html"
    routed: RestorationApplication | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not receives_for_others(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def identifier(self) -> str:
        """The identifier looked up: posted by the lookup form and kept in the session, never in the URL (issue 21,
        ``creditportal.sealed_search``)."""
        return (unsealed(self.request, LOOKUP).get("identifier") or "").strip()[:64]

    @cached_property
    def lookup(self) -> dict | None:
        if not self.identifier:
            return None
        return selectors.receivable_for_others(user=self.request.user, identifier=self.identifier)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.lookup is not None and self.lookup["shown"]:
            # R-SEC-3: the designations and records found appear to the authority: registered for their departments
            record_listed(request, self.lookup["shown"], page=page_name(request), fields=["designations", "records"])
        return response

    def post(self, request, *args, **kwargs):
        if "find" in request.POST:  # the lookup form
            return seal(request, LOOKUP, skip=("find",))
        if self.lookup is None:
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["targets"] = self.lookup["targets"] if self.lookup else []
        kwargs["profile"] = current_profile()
        return kwargs

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            identifier=self.identifier,
            lookup=self.lookup,
            routed=selectors.routed_receipt(user=self.request.user, pk=self.request.GET.get("routed")),
        )
        return context

    def perform(self, data):
        application = _receive(self.request, data)
        if _routed(self.request.user, application):
            self.routed = application
            return _routed_url(application)
        return reverse("restoration_detail", args=[application.pk])

    def get_success_message(self) -> str:
        if self.routed is not None:
            return _routed_message(self.routed)
        return str(_("The application was received."))


class RestorationQueueView(ScopedViewMixin, TemplateView):
    """The reviewer's queue: what waits to be accepted, reviewed and decided, the promised date first."""

    model = RestorationApplication
    scope_action = "change"
    template_name = "restoration/queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            record_listed_in(
                self.request, dict(selectors.work_queue(user=self.request.user)), page=page_name(self.request)
            )
        )
        context["revocations"] = record_listed_in(
            self.request,
            {"revocations": list(revocations_pending(user=self.request.user)[:50])},
            page=page_name(self.request),
        )["revocations"]
        context["receives_for_others"] = bool(receives_for_others(self.request.user))
        return context


# --- the archive (R-DIS-3): auditors only, every read logged -------------------------------------------------


class ArchiveMixin:
    request: HttpRequest

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not department_ids_for(request.user, selectors.ARCHIVE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin: the view it is combined with defines it


class ArchiveListView(ArchiveMixin, TemplateView):
    template_name = "restoration/archive_list.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            page = max(1, int(self.request.GET.get("page", 1)))
        except ValueError:
            page = 1
        start = (page - 1) * self.page_size
        rows = list(selectors.archive_queryset(user=self.request.user)[start : start + self.page_size + 1])
        shown = rows[: self.page_size]
        if shown:
            selectors.archive_read(user=self.request.user, records=shown, what="list")
            record_listed(
                self.request,
                [(record.subject_id, record.department_id, label_of(record)) for record in shown],
                page=page_name(self.request),
                fields=["record"],
            )
        context.update(records=shown, page=page, has_next=len(rows) > self.page_size)
        return context


class ArchiveDetailView(ArchiveMixin, SubjectAccessMixin, TemplateView):
    template_name = "restoration/archive_detail.html"
    access_fields = ("record", "basis", "history")
    access_object = "record"

    @cached_property
    def record(self):
        return get_object_or_404(
            selectors.archive_queryset(user=self.request.user).select_related("basis_document"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.record
        selectors.archive_read(user=self.request.user, records=[record], what="detail")
        context.update(record=record, history=list(record.history.order_by("-history_date")[:50]))
        return context


def my_work_panel(*, request, obj, bound: dict) -> dict:
    """The restoration section of "My work" (creditportal, issue 16): the applications waiting for the user's
    acceptance, review or decision (the promised date first, R-RES-5) and the revoked bases to act on (R-RES-6).
    The provider's corrections (R-REC-4) are done in one act, so none waits here."""
    user = request.user
    if not department_ids_for(user, "restoration.change_restorationapplication"):
        return {"restoration_work": None}
    work = record_listed_in(request, dict(selectors.work_queue(user=user)), page=page_name(request))
    return {
        "restoration_work": work,
        "revocations": record_listed_in(
            request, {"revocations": list(revocations_pending(user=user)[:50])}, page=page_name(request)
        )["revocations"],
        "receives_for_others": bool(receives_for_others(user)),
    }


def _apply_panel(kind: str):
    """The "Apply for credit restoration" button a lower page shows (a panel, ``restoration/panels/apply.html``):
    for whoever receives applications, and, for a designation or a record, only while it can be restored (R-RES-1:
    ``target_refusal``)."""
    from .workflow import target_refusal

    def panel(*, request, obj, bound: dict) -> dict:
        if not request.user.has_perm("restoration.add_restorationapplication"):
            return {"start_url": ""}
        if kind != "subject" and target_refusal(**{kind: obj}):
            return {"start_url": ""}
        return {"start_url": f"{reverse('restoration_start')}?{kind}={obj.pk}"}

    return panel


designation_restore_panel = _apply_panel("designation")
subject_restore_panel = _apply_panel("subject")
record_restore_panel = _apply_panel("record")


# --- published credit commitments (R-NAT-3; issue 22): no sign-in -----------------------------------------------


class PublicCommitmentListView(PublicListView):
    """The public credit commitments subjects made when applying for restoration, published from acceptance
    (``PublishedCommitment``): now, or as they stood at a past moment; a natural person's number masked."""

    template_name = "restoration/public_commitments.html"
    filterset_class = PublicCommitmentFilter
    url_name = "public_commitments"

    def get_queryset(self):
        return selectors.published_commitments()
