"""Views of the designations app: thin; the scope first, then a form, then one service."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, RedirectView, TemplateView

from creditportal import lists
from creditportal.access import SubjectAccessMixin, page_name, record_listed_in, target_of
from creditportal.audit import record_event
from creditportal.cases.views import Act, CaseActView, CaseDetailView, CasePostView
from creditportal.choices import AccessKind
from creditportal.db_router import ReplicaReadMixin
from creditportal.documents import documents_of, service_record_add
from creditportal.downloads import file_response, readable_name
from creditportal.filters import PublishedFilterSet
from creditportal.forms import ServiceFormMixin, act_call
from creditportal.idempotency import SubmitOnceMixin
from creditportal.lists import Column, ScopedExportView, ScopedListView
from creditportal.panels import panels_for
from creditportal.permissions import ScopedViewMixin, department_ids_for, scope_queryset
from creditportal.profiles import current_profile
from subjects.selectors import subject_queryset, subject_related_persons

from . import forms, policies, selectors, services
from .filters import DesignationFilter, PublicListFilter
from .models import Designation, Hearing, Publication, Statement
from .workflow import DESIGNATION

COLUMNS = (
    Column(gettext_lazy("Subject"), "subject.name", sort="subject__name"),
    Column(gettext_lazy("Standard"), "standard.title"),
    Column(gettext_lazy("State"), "get_state_display", sort="state"),
    Column(gettext_lazy("Under objection"), "objection_label"),
    Column(gettext_lazy("Decision number"), "decision_number", sort="decision_number"),
    Column(gettext_lazy("Listed until"), "listed_until", sort="listed_until"),
    Column(gettext_lazy("Department"), "department.display_name", sort="department__code"),
)


class DesignationListView(ScopedListView):
    access_subject_path = "subject_id"
    model = Designation
    filterset_class = DesignationFilter
    columns = COLUMNS
    select_related = ("subject", "standard", "department")
    title = gettext_lazy("Designations")
    export_url_name = "designation_export"
    detail_url_name = "designation_detail"
    extra_context = {"extra_url_name": "my_work", "extra_url_label": gettext_lazy("My work")}


class DesignationExportView(ScopedExportView):
    access_subject_path = "subject_id"
    model = Designation
    filterset_class = DesignationFilter
    columns = (Column(gettext_lazy("ID"), "pk"), *COLUMNS)
    select_related = ("subject", "standard", "department")
    filename = "designations"
    export_action = "designations.designation.exported"


def _with_reason(service, primary: bool = False, danger: bool = False) -> Act:
    """An act that needs only the reason (and the page's version) from the form."""
    return Act(forms.ActForm, act_call(service, "designation"), primary=primary, danger=danger)


def _served_to_subject(designation) -> dict:
    return {"recipient": designation.subject.name}


_SERVICE_FIELDS = ("method", "served_on", "recipient", "proof")


class DesignationDetailView(CaseDetailView):
    """The case file: every step with actor and documents, the clocks, and the acts the user may take
    (R-DES-1 to R-DES-10)."""

    model = Designation
    template_name = "designations/designation_detail.html"
    workflow = DESIGNATION
    act_url_name = "designation_act"
    detail_url_name = "designation_detail"
    #: Each act's form and how its cleaned data reaches the service; the acts that move the case on come first.
    acts = {
        "issue_notice": Act(
            forms.NoticeForm,
            act_call(services.designation_issue_notice, "designation", "statement_period_wd", languages=True),
            initial=lambda d: {"statement_period_wd": d.statement_period_wd},
            primary=True,
        ),
        "serve_notice": Act(
            forms.ServiceForm,
            act_call(services.designation_serve_notice, "designation", *_SERVICE_FIELDS),
            initial=_served_to_subject,
            primary=True,
        ),
        "close_statements": _with_reason(services.designation_close_statements, primary=True),
        "submit": _with_reason(services.designation_submit, primary=True),
        "return": _with_reason(services.designation_return),
        "recall": _with_reason(services.designation_recall),
        "approve": _with_reason(services.designation_approve, primary=True),
        "reject": _with_reason(services.designation_reject, danger=True),
        "reexamine": _with_reason(services.designation_reexamine, primary=True),
        "issue_decision": Act(
            forms.DecisionIssueForm,
            act_call(services.designation_issue_decision, "designation", languages=True),
            primary=True,
        ),
        "serve_decision": Act(
            forms.ServiceForm,
            act_call(services.designation_serve_decision, "designation", *_SERVICE_FIELDS),
            initial=_served_to_subject,
            primary=True,
        ),
        "remove": Act(
            forms.RemoveForm, act_call(services.designation_remove, "designation", "removal_reason"), danger=True
        ),
        "withdraw": _with_reason(services.designation_withdraw, danger=True),
    }

    def get_queryset(self):
        return selectors.designation_queryset(user=self.request.user)

    def guard_context(self, case) -> dict:
        return {"today": timezone.localdate(), "profile": current_profile()}

    def page_context(self, case, bound) -> dict:
        designation, user = case, self.request.user
        version = {"expected_version": designation.version}
        records = list(designation.records.select_related("catalog_item", "basis_document"))

        def form(form_class, prefix, **initial):
            # each form of the page has its own prefix, so every label points at its own input
            return bound.get(prefix) or form_class(initial={**version, **initial}, prefix=prefix)

        letters = [(document, form(forms.ServiceForm, f"sent-{document.pk}")) for document in documents_of(designation)]
        statements = [
            (statement, form(forms.ConsiderForm, f"consider-{statement.pk}"))
            for statement in designation.statements.all()
        ]
        hearings = [
            (hearing, form(forms.HearingMinutesForm, f"minutes-{hearing.pk}")) for hearing in designation.hearings.all()
        ]
        return {
            "designation": designation,
            "documents": letters,
            "statements": statements,
            "hearings": hearings,
            "provisional_warnings": selectors.provisional_warnings(designation=designation),
            "statement_form": form(forms.StatementForm, "statement"),
            "hearing_form": form(forms.HearingForm, "hearing"),
            "files": selectors.designation_files(designation=designation),
            "returned": selectors.return_comments(designation=designation),
            "locked_fields": selectors.locked_fields(designation=designation),
            "deadlines": selectors.designation_deadlines(designation=designation),
            "events": selectors.designation_timeline(designation=designation),
            "measures": designation.designation_measures.select_related("measure").exclude(status="dropped"),
            "records": records,
            "listing": selectors.listing_explanation(designation=designation, records=records),
            "related_persons": subject_related_persons(user=user, subject=designation.subject),
            "panels": panels_for("designation_detail", request=self.request, obj=designation, bound=bound),
            "header_panels": panels_for("designation_header", request=self.request, obj=designation, bound=bound),
            "can_work": policies.can_work(user, designation),
            "can_decide": policies.can_decide(user, designation),
        }


class DesignationPostView(CasePostView):
    """A POST on one designation's case page other than its acts (a statement, a hearing, a letter sent, an
    objection): the case kit's scope, form, service and refusal (``creditportal.cases.views.CasePostView``)."""

    page = DesignationDetailView
    success_message = gettext_lazy("Done.")

    @property
    def designation(self) -> Designation:
        return self.case


class DesignationActView(CaseActView):
    page = DesignationDetailView


class StatementView(SubmitOnceMixin, DesignationPostView):
    context_form_name = "statement"
    form_class = forms.StatementForm
    success_message = gettext_lazy("Statement recorded.")

    def perform(self, data):
        services.designation_record_statement(
            designation=self.designation,
            actor=self.request.user,
            kind=data["kind"],
            received_on=data["received_on"],
            text=data["text"],
            file=data["file"],
            reason=data["reason"],
        )


class StatementConsiderView(DesignationPostView):
    """Whether a statement or defence is adopted, and why (the decision states it)."""

    form_class = forms.ConsiderForm
    success_message = gettext_lazy("Recorded how the statement was weighed.")

    def perform(self, data):
        statement = get_object_or_404(
            scope_queryset(self.request.user, Statement.objects.filter(designation=self.designation), "change"),
            pk=self.kwargs["statement_pk"],
        )
        services.designation_consider_statement(
            statement=statement,
            actor=self.request.user,
            adopted=data["adopted"],
            considered=data["considered"],
            reason=data["reason"],
        )

    def form_name(self) -> str:
        return f"consider-{self.kwargs['statement_pk']}"


class HearingScheduleView(SubmitOnceMixin, DesignationPostView):
    context_form_name = "hearing"
    form_class = forms.HearingForm
    success_message = gettext_lazy("Hearing scheduled.")

    def perform(self, data):
        services.designation_schedule_hearing(
            designation=self.designation,
            actor=self.request.user,
            scheduled_at=data["scheduled_at"],
            place=data["place"],
            chaired_by=self.request.user,
            reason=data["reason"],
        )


class HearingMinutesView(DesignationPostView):
    form_class = forms.HearingMinutesForm
    success_message = gettext_lazy("Hearing minutes recorded.")

    def form_name(self) -> str:
        return f"minutes-{self.kwargs['hearing_pk']}"

    def perform(self, data):
        hearing = get_object_or_404(
            scope_queryset(self.request.user, Hearing.objects.filter(designation=self.designation)),
            pk=self.kwargs["hearing_pk"],
        )
        services.designation_record_hearing(
            hearing=hearing,
            actor=self.request.user,
            held_at=data["held_at"],
            minutes=data["minutes"],
            minutes_file=data["minutes_file"],
            reason=data["reason"],
        )


class DocumentSentView(SubmitOnceMixin, DesignationPostView):
    """Record that one of the case's letters was sent (R-DES-9: the reports to the authority above and the audit
    organ are tracked until then)."""

    form_class = forms.ServiceForm
    success_message = gettext_lazy("Sending recorded.")

    def perform(self, data):
        document = get_object_or_404(
            scope_queryset(self.request.user, documents_of(self.designation), "change"), pk=self.kwargs["document_pk"]
        )
        service_record_add(
            document=document,
            method=data["method"],
            served_on=data["served_on"],
            recipient=data["recipient"],
            proof=data["proof"],
            actor=self.request.user,
            reason=data["reason"],
        )

    def form_name(self) -> str:
        return f"sent-{self.kwargs['document_pk']}"


class SubjectScopedFormView(SubjectAccessMixin, ScopedViewMixin, FormView):
    """Forms that start from a subject in the user's scope (404 otherwise); the page asks why and registers the
    look (R-SEC-3)."""

    access_fields = ("identity",)
    access_object = "subject"

    model = Designation
    scope_action = "add"

    @cached_property
    def subject(self):
        return get_object_or_404(subject_queryset(user=self.request.user), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.subject  # noqa: B018
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class DesignationCreateView(SubmitOnceMixin, ServiceFormMixin, SubjectScopedFormView):
    form_class = forms.DesignationForm
    success_message = gettext_lazy("Designation drafted. Next: issue the prior notice.")
    template_name = "designations/designation_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "subject": self.subject, "user": self.request.user}

    def get_initial(self):
        profile = current_profile()
        return {
            "reason": _("Designation prepared"),
            "proposed_listing_months": 12,
            "statement_period_wd": profile.statement_period_wd if profile else None,
        }

    def perform(self, data) -> str:
        designation = services.designation_create(
            actor=self.request.user,
            subject=self.subject,
            standard=data["standard"],
            records=data["records"],
            measures=data["measures"],
            facts=data["facts"],
            reasons=data["reasons"],
            proposed_listing_months=data["proposed_listing_months"],
            leniency=data["leniency"],
            leniency_reasons=data["leniency_reasons"],
            proportionality_statement=data["proportionality_statement"],
            statement_period_wd=data.get("statement_period_wd"),
            reason=data["reason"],
        )
        return reverse("designation_detail", args=[designation.pk])


class DesignationUpdateView(SubjectAccessMixin, ScopedViewMixin, ServiceFormMixin, FormView):
    model = Designation
    access_fields = ("case",)
    access_object = "designation"
    success_message = gettext_lazy("Designation saved.")
    scope_action = "change"
    form_class = forms.DesignationForm
    template_name = "designations/designation_form.html"

    @cached_property
    def designation(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "subject": self.designation.subject,
            "instance": self.designation,
            "user": self.request.user,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.designation.subject, designation=self.designation, **kwargs)

    def perform(self, data) -> str:
        fields = {k: data[k] for k in services.DRAFT_FIELDS if k in data}
        services.designation_update(
            designation=self.designation,
            actor=self.request.user,
            reason=data["reason"],
            expected_version=data["expected_version"],
            records=data.get("records"),
            measures=data["measures"],
            **fields,
        )
        return reverse("designation_detail", args=[self.designation.pk])


class CourtListCreateView(SubmitOnceMixin, ServiceFormMixin, SubjectScopedFormView):
    """R-DES-8: a designation from a people's court Judgment Defaulters List entry."""

    success_message = gettext_lazy("Designation drafted from the court's list.")
    form_class = forms.CourtListForm
    template_name = "designations/designation_form.html"
    extra_context = {"court_list": True}

    def get_initial(self):
        return {"reason": _("Judgment Defaulters List entry"), "proposed_listing_months": 12}

    def perform(self, data) -> str:
        designation = services.designation_create_from_court_list(
            actor=self.request.user,
            subject=self.subject,
            standard=data["standard"],
            measures=data["measures"],
            list_reference=data["list_reference"],
            court=data["court"],
            judgment_number=data["judgment_number"],
            judgment_effective_on=data["judgment_effective_on"],
            facts=data["facts"],
            proposed_listing_months=data["proposed_listing_months"],
            reason=data["reason"],
        )
        return reverse("designation_detail", args=[designation.pk])


class WorkQueueView(ScopedViewMixin, RedirectView):
    """The designation queue is a section of "My work" now (issue 16, ``creditportal.views.MyWorkView``, which
    lists every kind of case and clock): its old address leads there."""

    model = Designation
    scope_action = "change"
    pattern_name = "my_work"


def my_work_panel(*, request, obj, bound: dict) -> dict:
    """The designations in "My work": awaiting the user's approval (never their own cases, four eyes) or the
    province's re-examination, the caseworker's cases waiting for approval (which they may recall), their drafts
    and their cases waiting for one of their acts. The clocks are in "My work"'s own list, with every other kind."""
    user = request.user
    if not department_ids_for(user, "designations.change_designation"):
        return {"queue": None}
    return record_listed_in(
        request,
        {
            "queue": selectors.work_queue(user=user),
            "approvals": selectors.approval_queue(user=user)[:50],
            "reexaminations": selectors.reexamination_queue(user=user)[:50],
        },
        page=page_name(request),
    )


class DesignationFileView(SubjectAccessMixin, ScopedViewMixin, View):
    """An uploaded file of a case (statement or waiver, hearing minutes, proof of service, objection evidence),
    through the case's scope (another department's case is a 404); each download is logged."""

    model = Designation
    kind = ""
    access_kind = AccessKind.DOCUMENT
    access_fields = ("file",)

    @cached_property
    def found(self):
        designation = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        found = selectors.designation_file(designation=designation, kind=self.kind, pk=self.kwargs["item_pk"])
        if found is None:
            raise Http404
        return designation, *found

    def access_target(self):
        designation, item, _file = self.found
        return target_of(designation, shown=[item])

    def deliver(self, request, pk: int, item_pk: int):
        designation, item, file = self.found
        stored = file.name.rsplit("/", 1)[-1]
        record_event(
            action="designations.file.downloaded",
            actor=request.user,
            target=item,
            data={"designation": designation.pk, "kind": self.kind, "file": stored},
        )
        name = readable_name(selectors.FILE_KINDS[self.kind][2], stored, number=item.pk)
        return file_response(request, file, filename=name)


# --- the public list (issue 22; HL 23, HN 16): no sign-in, published entries only --------------------------------


class PublicListView(lists.PublicListView):
    """The list of seriously untrustworthy entities as the public sees it: the entries published now (or ``as_of``
    a past moment: the publication ledger), searched by name or code and filtered by sector, department and date,
    in pages that are never counted past what is needed. Natural persons' numbers are masked (R-DIS-4); nothing
    ended, restored, revoked or archived appears (its entry was withdrawn when it left the list)."""

    template_name = "designations/public_list.html"
    filterset_class = PublicListFilter
    url_name = "public_list"

    def get_queryset(self):
        return selectors.publications()

    def get_context_data(self, **kwargs):
        from subjects.publication import penalties_published

        context = super().get_context_data(**kwargs)
        # the published administrative penalties, linked where the profile publishes them (R-NAT-2, SAMR-45)
        context["penalties_published"] = penalties_published()
        # the "under objection" label as it stood at the moment shown (now, or as of a past moment)
        selectors.objection_labels(context["page"].rows, as_of=context["as_of"])
        return context


class PublicEntryView(ReplicaReadMixin, TemplateView):
    """One entry of the public list: what was published, by whom, for how long, with which measures. An entry no
    longer on the list is a 404 (a past moment's entry is read with the same ``as_of`` as its list)."""

    template_name = "designations/public_entry.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        moment = PublishedFilterSet(self.request.GET, queryset=Publication.objects.none()).moment
        entry = get_object_or_404(selectors.public_entries(as_of=moment), pk=self.kwargs["pk"])
        # R-NAT-3: the public credit commitments made for this entry, as published at the same moment
        commitments = entry.designation.published_commitments.as_of(moment).order_by("published_at", "id")
        selectors.objection_labels([entry], as_of=moment)
        context.update(entry=entry, as_of=moment, commitments=commitments)
        return context
