"""Views of the subjects app: thin; scoping by ScopedViewMixin, writes by services."""

import datetime
from typing import Any

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from django.views.generic import DetailView, FormView, TemplateView, View

from creditportal.access import SubjectAccessMixin, declare_purpose
from creditportal.audit import record_event
from creditportal.cases.views import CasePostView
from creditportal.choices import AccessKind, AccessPurpose
from creditportal.citations import for_people
from creditportal.db_router import ReplicaReadMixin
from creditportal.downloads import file_response, readable_name
from creditportal.forms import ServiceFormMixin
from creditportal.idempotency import SubmitOnceMixin
from creditportal.lists import Column, PublicListView, ScopedExportView, ScopedListView
from creditportal.masking import masked_filters
from creditportal.models import AccessEntry
from creditportal.panels import panels_for
from creditportal.permissions import ScopedViewMixin, department_ids_for
from creditportal.profiles import current_profile

from . import selectors, services
from .filters import AccessLogFilter, PublicPenaltyFilter, RecordFilter, SubjectFilter
from .forms import (
    ConsentWithdrawForm,
    CreditReportForm,
    CreditReportRevokeForm,
    DeletionOnRequestForm,
    InquiryAuthorisationForm,
    InquiryAuthorisationWithdrawForm,
    ProviderCorrectionForm,
    RecordActForm,
    RecordForm,
    RelatedPersonForm,
    RevocationForm,
    ServiceConsentForm,
    SharingNoticeServiceForm,
    SubjectForm,
)
from .models import CreditRecord, CreditReport, CreditSubject, InquiryAuthorisation, ServiceConsent
from .workflow import RECORD

#: The name (and prefix) of the form on a record's page that hides or shows trustworthiness information (R-REC-5).
VISIBILITY = "visibility"
#: The name (and prefix) of the form on a record's page that deletes it on the subject's written application (R-REC-5).
DELETION = "deletion"
#: The record's act (and the prefix of its form on the record's page) recording the service of the written notice
#: before sharing (R-REC-3).
SHARING_NOTICE = "serve_sharing_notice"
RESTORATION_INFO = "serve_restoration_info"

SUBJECT_COLUMNS = (
    Column(gettext_lazy("Name"), "name", sort="name"),
    Column(gettext_lazy("Kind"), "get_kind_display", sort="kind"),
    Column(gettext_lazy("Identifier type"), "get_id_type_display"),
    Column(gettext_lazy("Identifier"), "masked_id_number", sort="id_number"),
    Column(gettext_lazy("Under objection"), "objection_label"),
    Column(gettext_lazy("Department"), "department.display_name", sort="department__code"),
    Column(gettext_lazy("Registered"), "created_at", sort="pk"),
)
SUBJECT_EXPORT_COLUMNS = (
    Column(gettext_lazy("ID"), "pk"),
    Column(gettext_lazy("Name"), "name", sort="name"),
    Column(gettext_lazy("Kind"), "get_kind_display", sort="kind"),
    Column(gettext_lazy("Identifier type"), "get_id_type_display"),
    # R-DIS-4, issue 21: a list leaves the portal, so natural persons' numbers go masked (organisations' codes whole)
    Column(gettext_lazy("Identifier"), "masked_id_number", sort="id_number"),
    Column(gettext_lazy("Ownership"), "get_ownership_display"),
    Column(gettext_lazy("Under objection"), "objection_label"),
    Column(gettext_lazy("Department"), "department.name", sort="department__code"),
    Column(gettext_lazy("Registered"), "created_at", sort="pk"),
)


class InquiryRegisteredMixin:
    """R-SEC-3 (HB 19, NDRC 13): every inquiry into credit information is registered — who, when, what.

    A list registers a search (``search_action`` with the filters, a searched identity number masked) whenever a
    filter is given, as an audit event; the subjects it showed go into the access log (``creditportal.access``), as
    does every page that opens one (``SubjectAccessMixin``).
    """

    search_action = ""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)  # type: ignore[misc]  # a mixin of a View
        # a searched identity number is kept masked (issue 21)
        filters = masked_filters(self.filter_data() if hasattr(self, "filter_data") else request.GET)
        if self.search_action and filters:
            record_event(action=self.search_action, actor=request.user, data={"filters": filters})
        return response


class SubjectListView(InquiryRegisteredMixin, ScopedListView):
    access_subject_path = "pk"
    sealed_params = ("id_number",)
    search_action = "subjects.subject.searched"
    model = CreditSubject
    filterset_class = SubjectFilter
    columns = SUBJECT_COLUMNS
    select_related = ("department",)
    title = gettext_lazy("Credit subjects")
    create_url_name = "subject_create"
    export_url_name = "subject_export"
    detail_url_name = "subject_detail"


class SubjectExportView(ScopedExportView):
    access_subject_path = "pk"
    sealed_params = ("id_number",)
    model = CreditSubject
    filterset_class = SubjectFilter
    columns = SUBJECT_EXPORT_COLUMNS
    select_related = ("department",)
    filename = "credit-subjects"
    export_action = "subjects.subject.exported"


class SubjectDetailView(SubjectAccessMixin, ScopedViewMixin, DetailView):
    access_fields = ("identity", "contacts", "records", "related_persons", "history")

    @cached_property
    def may_reveal(self) -> bool:
        """R-DIS-4: who reads a person masked may ask for the whole number when he audits the subject's department
        (its auditors, who read its access log)."""
        return self.get_object().department_id in department_ids_for(self.request.user, "creditportal.view_accessentry")

    @cached_property
    def reveals_identity(self) -> bool:
        """R-DIS-4: an auditor of the subject's department asked for the whole number: shown, and the access-log
        entry says so (``identity_revealed``)."""
        return self.request.GET.get("reveal") == "identity" and self.may_reveal

    def fields_shown(self) -> tuple[str, ...]:
        return (*self.access_fields, "identity_revealed") if self.reveals_identity else self.access_fields

    model = CreditSubject
    template_name = "subjects/subject_detail.html"
    context_object_name = "subject"

    def get_queryset(self):
        return super().get_queryset().select_related("department")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, subject = self.request.user, self.object
        context.update(
            related_persons=selectors.subject_related_persons(user=user, subject=subject),
            records=selectors.subject_records(user=user, subject=subject),
            history=selectors.subject_history(subject=subject),
            lookers=selectors.subject_lookers(user=user, subject=subject),
            reveal_identity=self.reveals_identity,
            may_reveal=self.may_reveal,
            panels=panels_for("subject_detail", request=self.request, obj=subject),
            reports=selectors.subject_reports(user=user, subject=subject),
            authorisations=selectors.subject_authorisations(user=user, subject=subject),
            service_consents=selectors.subject_service_consents(user=user, subject=subject),
        )
        return context


ACCESS_LOG_COLUMNS = (
    Column(gettext_lazy("At"), "at", sort="at"),
    Column(gettext_lazy("Who"), "user"),
    Column(gettext_lazy("Role"), "role_labels"),
    Column(gettext_lazy("Department of the person"), "user_department.display_name"),
    Column(gettext_lazy("Subject"), "subject_name"),
    Column(gettext_lazy("How"), "get_kind_display"),
    Column(gettext_lazy("What was shown"), "shown_label"),
    Column(gettext_lazy("Purpose"), "get_purpose_display"),
    Column(gettext_lazy("Purpose stated"), "purpose_text"),
    Column(gettext_lazy("From address"), "address"),
)


class AccessLogListView(InquiryRegisteredMixin, ScopedListView):
    """R-SEC-3 (issue 21): who looked at the department's subjects, how and why, for its auditors; searchable by
    subject, person, how, purpose and day, and exported. Reading it is itself registered (a search event)."""

    search_action = "subjects.access.searched"
    model = AccessEntry
    filterset_class = AccessLogFilter
    columns = ACCESS_LOG_COLUMNS
    default_ordering = "-at"
    title = gettext_lazy("Access log")
    export_url_name = "access_log_export"

    def base_queryset(self):
        return selectors.access_log_queryset()


class AccessLogExportView(ScopedExportView):
    model = AccessEntry
    filterset_class = AccessLogFilter
    columns = ACCESS_LOG_COLUMNS
    default_ordering = "-at"
    filename = "access-log"
    export_action = "subjects.access.exported"

    def base_queryset(self):
        return selectors.access_log_queryset()


class SubjectFormMixin(ServiceFormMixin):
    form_class: type[forms.Form] | None = SubjectForm
    template_name: str | None = "subjects/subject_form.html"
    saved: CreditSubject

    def save(self, data) -> CreditSubject:
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()  # type: ignore[misc]  # a mixin: the view it is combined with defines it
        kwargs["user"] = self.request.user
        return kwargs

    def perform(self, data) -> str:
        self.saved = self.save(data)
        return reverse("subject_detail", args=[self.saved.pk])

    def get_success_message(self) -> str:
        return str(self.success_message) % {"name": self.saved.name}


class SubjectCreateView(SubmitOnceMixin, ScopedViewMixin, SubjectFormMixin, FormView):
    model = CreditSubject
    scope_action = "add"
    success_message = gettext_lazy("Subject %(name)s registered.")

    def save(self, data):
        data = dict(data)
        data.pop("expected_version")  # a new subject has no version yet
        subject = services.subject_create(
            actor=self.request.user, department=data.pop("department"), reason=data.pop("reason"), **data
        )
        # R-SEC-2: who registers a subject handles its case: his page of it is not asked about (still registered)
        declare_purpose(self.request, subject.pk, AccessPurpose.CASE, "")
        return subject


class SubjectUpdateView(SubjectAccessMixin, ScopedViewMixin, SubjectFormMixin, FormView):
    model = CreditSubject
    access_fields = ("identity", "contacts")
    access_object = "subject"
    scope_action = "change"
    success_message = gettext_lazy("Subject %(name)s saved.")

    def get_form_kwargs(self):
        self.object = self.get_object()
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    @cached_property
    def subject(self) -> CreditSubject:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_object(self, queryset=None):
        return self.subject

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subject"] = self.object
        return context

    def save(self, data):
        data = dict(data)
        reason, expected_version = data.pop("reason"), data.pop("expected_version")
        return services.subject_update(
            subject=self.object, actor=self.request.user, reason=reason, expected_version=expected_version, **data
        )


RECORD_COLUMNS = (
    Column(gettext_lazy("Subject"), "subject.name", sort="subject__name"),
    Column(gettext_lazy("Catalog item"), "catalog_item.name"),
    Column(gettext_lazy("Kind"), "get_kind_display", sort="kind"),
    Column(gettext_lazy("Status"), "get_status_display", sort="status"),
    Column(gettext_lazy("Under objection"), "objection_label"),
    Column(gettext_lazy("Determined on"), "determined_on", sort="determined_on"),
    Column(gettext_lazy("Disclosed until"), "disclosure_until", sort="disclosure_until"),
    Column(gettext_lazy("Department"), "department.display_name", sort="department__code"),
)


class RecordListView(InquiryRegisteredMixin, ScopedListView):
    access_subject_path = "subject_id"
    search_action = "subjects.record.searched"
    model = CreditRecord
    filterset_class = RecordFilter
    columns = RECORD_COLUMNS
    select_related = ("subject", "catalog_item", "department")
    title = gettext_lazy("Credit records")
    export_url_name = "record_export"
    detail_url_name = "record_detail"
    # issue 23: files of records from providing units, imported in the background
    extra_context = {"extra_url_name": "record_import_list", "extra_url_label": gettext_lazy("Batch imports")}


class RecordExportView(ScopedExportView):
    access_subject_path = "subject_id"
    model = CreditRecord
    filterset_class = RecordFilter
    columns = (
        Column(gettext_lazy("ID"), "pk"),
        *RECORD_COLUMNS,
        Column(gettext_lazy("Basis document"), "basis_document.number"),
    )
    select_related = ("subject", "catalog_item", "department", "basis_document")
    filename = "credit-records"
    export_action = "subjects.record.exported"


class RecordDetailView(SubjectAccessMixin, ScopedViewMixin, DetailView):
    access_fields = ("record", "basis", "history")
    model = CreditRecord
    template_name = "subjects/record_detail.html"
    context_object_name = "record"
    detail_url_name = "record_detail"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "subject",
                "catalog_item",
                "catalog_item__version",
                "basis_document",
                "department",
                "recorded_by",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = self.object.history.select_related("history_user").order_by("-history_date")[:50]
        context["panels"] = panels_for("record_detail", request=self.request, obj=self.object)
        # hide or show (R-REC-5): as the person filled it when refused (TrustworthyVisibilityView), else empty
        context["visibility_form"] = (kwargs.get("bound") or {}).get(VISIBILITY) or RecordActForm(
            prefix=VISIBILITY, initial={"expected_version": self.object.row_version}
        )
        # delete on the subject's written application (R-REC-5): as filled when refused, else empty (the date is
        # the application's, typed from it, never assumed to be today)
        context["deletion_form"] = (kwargs.get("bound") or {}).get(DELETION) or DeletionOnRequestForm(
            prefix=DELETION, initial={"expected_version": self.object.row_version}
        )
        context["sharing_notice"] = self.sharing_notice(kwargs.get("bound") or {})
        context["restoration_info"] = self.restoration_info(kwargs.get("bound") or {})
        context["disclosure_basis"] = selectors.disclosure_basis(self.object)
        return context

    def sharing_notice(self, bound: dict) -> dict | None:
        """R-REC-3 (HB 22): the written notice before sharing, where one was issued: whether it is still to be served,
        and the act recording its service when the user may take it (with the reason it cannot be taken now, e.g.
        its PDF not yet made), its form as the person filled it when refused (``SharingNoticeServeView``)."""
        record = self.object
        document = record.sharing_notice()
        return self.notice_panel(document, SHARING_NOTICE, record.sharing_notice_served_on is None, bound)

    def restoration_info(self, bound: dict) -> dict | None:
        """R-NAT-4 (两书同达): the notice on credit restoration issued with a penalty record, and the act recording its
        service (``RestorationInfoServeView``)."""
        document = self.object.restoration_info()
        pending = document is not None and not document.services.exists()
        return self.notice_panel(document, RESTORATION_INFO, pending, bound)

    def notice_panel(self, document, act: str, pending: bool, bound: dict) -> dict | None:
        """A notice about this record on its page: the document, whether its service is still to be recorded, and the
        act recording it (with the reason it cannot be taken now), its form as filled when refused."""
        if document is None:
            return None
        record = self.object
        offers = RECORD.offered(record, actor=self.request.user, names=[act]) if pending else []
        offer = offers[0] if offers else None
        form = bound.get(act) or SharingNoticeServiceForm(
            prefix=act,
            initial={
                "expected_version": record.row_version,
                "served_on": timezone.localdate(),
                "recipient": record.subject.name,
            },
        )
        return {
            "document": document,
            "pending": pending,
            "offer": offer,
            "refusal": for_people(offer.refusal) if offer and offer.refusal else None,
            "form": form,
            "show_form": offer is not None and (offer.refusal is None or form.is_bound),
        }


class RecordCreateView(SubjectAccessMixin, SubmitOnceMixin, ScopedViewMixin, ServiceFormMixin, FormView):
    """Enter a record for a subject; the lawful-data guard refuses with the rule that forbids it."""

    access_fields = ("identity",)
    access_object = "subject"

    model = CreditRecord
    scope_action = "add"
    form_class = RecordForm
    template_name = "subjects/record_form.html"

    @cached_property
    def subject(self) -> CreditSubject:
        """Looked up after the permission check, through the scope: another department's subject is a 404."""
        return get_object_or_404(selectors.subject_queryset(user=self.request.user), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.subject  # noqa: B018  (404 before rendering the form)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "subject": self.subject}

    success_message = gettext_lazy("Credit record entered.")

    def form_valid(self, form):
        self.form = form  # the record's department and basis document come from the form's own fields
        return super().form_valid(form)

    def perform(self, data) -> str:
        record = services.record_create(
            department=self.form.recording_department(),
            actor=self.request.user,
            subject=self.subject,
            catalog_item=data["catalog_item"],
            summary=data["summary"],
            determined_on=data["determined_on"],
            conduct_ended_on=data["conduct_ended_on"],
            basis=self.form.basis(),
            reason=data["reason"],
        )
        return reverse("record_detail", args=[record.pk])


class RelatedPersonAddView(SubjectAccessMixin, SubmitOnceMixin, ScopedViewMixin, ServiceFormMixin, FormView):
    """Note an organisation's legal representative or another responsible person (R-REC-2)."""

    access_fields = ("identity",)
    access_object = "organisation"

    model = CreditSubject
    scope_action = "change"
    form_class = RelatedPersonForm
    template_name = "creditportal/form.html"

    @cached_property
    def organisation(self) -> CreditSubject:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.organisation  # noqa: B018  (404 before anything else)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {"reason": gettext_lazy("Related person noted")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=gettext_lazy("Add a related person: %(name)s") % {"name": self.organisation.name},
            back_url=("subject_detail", self.organisation.pk),
            **kwargs,
        )

    success_message = gettext_lazy("Related person noted.")

    def perform(self, data) -> str:
        services.related_person_register(
            organisation=self.organisation,
            actor=self.request.user,
            role=data["role"],
            name=data["name"],
            id_type=data["id_type"],
            id_number=data["id_number"],
            since=data["since"],
            reason=data["reason"],
        )
        return reverse("subject_detail", args=[self.organisation.pk])


# --- a record's own acts: its basis revoked (R-RES-6), the provider's correction (R-REC-4), hide/show (R-REC-5) ---
# Their addresses stayed under /restoration/records/ (restoration/urls.py includes ``record_act_urlpatterns``).


def record_revocation_panel(*, request, obj, bound: dict) -> dict:
    """On a credit record's page: the legal documents that revoked its basis, their ground and dates, and when
    the record was revoked for them (R-RES-6)."""
    return {"revocations": selectors.record_revocations(record=obj)}


class RecordActMixin(SubjectAccessMixin, ScopedViewMixin):
    """A write on one credit record of the user's departments (404 outside the scope); its form page asks why and
    registers the look (R-SEC-3)."""

    access_fields = ("record",)
    access_object = "record"

    model = CreditRecord
    scope_action = "change"
    kwargs: dict[str, Any]

    @cached_property
    def record(self) -> CreditRecord:
        return get_object_or_404(self.get_queryset().select_related("subject", "catalog_item"), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # type: ignore[misc]  # a mixin: the view it is combined with defines it
        context["record"] = self.record
        return context

    def get_success_url(self):
        return reverse("record_detail", args=[self.record.pk])


class RevocationCreateView(SubmitOnceMixin, RecordActMixin, ServiceFormMixin, FormView):
    """R-RES-6: register that the record's basis was revoked; the profile's clock starts."""

    form_class = RevocationForm
    template_name = "subjects/revocation_form.html"
    success_message = gettext_lazy("The revoked basis was registered: revoke the record within the deadline.")

    def get(self, request, *args, **kwargs):
        self.record  # noqa: B018
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = current_profile()
        context["removal_wd"] = profile.revoked_basis_removal_wd if profile else None
        context["report_wd"] = profile.revoked_basis_report_wd if profile else None
        return context

    def perform(self, data):
        services.revocation_receive(
            record=self.record,
            actor=self.request.user,
            reason=data["reason"],
            ground=data["ground"],
            legal_document=data["legal_document"],
            effective_on=data["effective_on"],
            received_on=data["received_on"],
        )
        return reverse("restoration_queue")


class RevocationCompleteView(RecordActMixin, ServiceFormMixin, FormView):
    """R-RES-6: revoke the record; what rests on it ends with it (``subjects.endings``)."""

    form_class = RecordActForm
    http_method_names = ["post"]
    success_message = gettext_lazy("The record was revoked and the designations relying on it taken down.")
    template_name = "subjects/revocation_form.html"

    def post(self, request, *args, **kwargs):
        self.record  # noqa: B018
        return super().post(request, *args, **kwargs)

    def perform(self, data):
        services.revocation_complete(record=self.record, actor=self.request.user, reason=data["reason"])
        return reverse("restoration_queue")


class ProviderCorrectionView(SubmitOnceMixin, RecordActMixin, ServiceFormMixin, FormView):
    """R-REC-4: the provider corrects its own error; the correction is sent on."""

    form_class = ProviderCorrectionForm
    template_name = "subjects/correction_form.html"
    success_message = gettext_lazy("Corrected; the correction will be sent on to the sharing platform.")

    def get(self, request, *args, **kwargs):
        self.record  # noqa: B018
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        record = self.record
        return {
            "summary": record.summary,
            "determined_on": record.determined_on,
            "conduct_ended_on": record.conduct_ended_on,
            "discovered_on": timezone.localdate(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = current_profile()
        context["correction_wd"] = profile.provider_correction_wd if profile else None
        return context

    def perform(self, data):
        record = self.record
        changes = {
            name: data[name]
            for name in ("summary", "determined_on", "conduct_ended_on")
            if data.get(name) != getattr(record, name)
        }
        services.record_provider_correct(
            record=record,
            actor=self.request.user,
            reason=data["reason"],
            changes=changes,
            discovered_on=data["discovered_on"],
        )
        return None


class TrustworthyVisibilityView(CasePostView):
    """R-REC-5: hide trustworthiness information at the subject's request, or show it again; where the regulation
    says so (HB 31), delete and archive it on the subject's written application, uploaded with the day it was
    received. The forms live on the record's page: refused (no reason, no application or not a document, a date in
    the future or before the record, not trustworthiness information, a page opened before someone else acted), that
    page is shown again with the reason and what was typed (``CasePostView.render_refused``)."""

    page = RecordDetailView  # type: ignore[assignment]  # a record's page, not a case kit page: only its context
    scope_action = "change"
    form_class = RecordActForm
    context_form_name = VISIBILITY
    success_message = gettext_lazy("Done.")

    def form_name(self) -> str:
        return DELETION if self.kwargs["act"] == "delete" else VISIBILITY

    def get_form_class(self):
        return DeletionOnRequestForm if self.kwargs["act"] == "delete" else RecordActForm

    def perform(self, data):
        if self.kwargs["act"] == "delete":  # R-REC-5 (HB 31): deleted and archived where the regulation says so
            services.trustworthy_delete(
                record=self.case,
                actor=self.request.user,
                reason=data["reason"],
                application=data.get("application"),
                application_received_on=data.get("application_received_on"),
                expected_version=data["expected_version"],
            )
            return None
        services.trustworthy_hide(
            record=self.case,
            actor=self.request.user,
            reason=data["reason"],
            hide=self.kwargs["act"] == "hide",
            expected_version=data["expected_version"],
        )
        return None

    def get_success_url(self) -> str:
        if self.kwargs["act"] == "delete":  # an archived record is never displayed again: back to its subject
            return reverse("subject_detail", args=[self.case.subject_id])
        return super().get_success_url()


class SharingNoticeServeView(SubmitOnceMixin, CasePostView):
    """R-REC-3 (HB 22): record how the written notice before sharing reached the subject. The form lives on the
    record's page: refused (its PDF not made yet, a date in the future or before the notice was issued, a page opened
    before someone else acted), that page is shown again with the reason and what was typed."""

    page = RecordDetailView  # type: ignore[assignment]  # a record's page, not a case kit page: only its context
    scope_action = "change"
    form_class = SharingNoticeServiceForm
    context_form_name = SHARING_NOTICE
    success_message = gettext_lazy("The service of the written notice was recorded.")
    #: The service that records the notice's service (the restoration notice's view names its own).
    serve = staticmethod(services.sharing_notice_serve)

    def perform(self, data):
        self.serve(
            record=self.case,
            actor=self.request.user,
            reason=data["reason"],
            method=data["method"],
            served_on=data["served_on"],
            recipient=data["recipient"],
            proof=data.get("proof"),
            expected_version=data["expected_version"],
        )
        return None


class RestorationInfoServeView(SharingNoticeServeView):
    """R-NAT-4 (两书同达): record how the notice on credit restoration reached the subject with the penalty decision."""

    context_form_name = RESTORATION_INFO
    success_message = gettext_lazy("The service of the notice on credit restoration was recorded.")
    serve = staticmethod(services.restoration_info_serve)


class RecordDeletionApplicationView(SubjectAccessMixin, ScopedViewMixin, View):
    """R-REC-5 (HB 31): the subject's written application on which its trustworthiness information was deleted, under a
    name that says what it is (``creditportal.downloads``). The record is archived, so the file is read as the record
    is (``selectors.deletion_applications``): by its department's auditors; anyone else, another department's
    included, gets a 404. Each download is logged."""

    model = CreditRecord
    access_kind = AccessKind.DOCUMENT
    access_fields = ("deletion_application",)
    access_object = "record"

    @cached_property
    def record(self) -> CreditRecord:
        return get_object_or_404(selectors.deletion_applications(user=self.request.user), pk=self.kwargs["pk"])

    def deliver(self, request, pk: int):
        record = self.record
        stored = (record.deletion_application.name or "").rsplit("/", 1)[-1]
        record_event(
            action="subjects.record.deletion_application.downloaded",
            actor=request.user,
            target=record,
            data={"file": stored},
        )
        name = readable_name(gettext("the subject's application for deletion"), stored, number=record.pk)
        return file_response(request, record.deletion_application, filename=name)


# --- credit reports (HN 28; R-SEC-1) -----------------------------------------------------------------------------


class _ObjectFormView(SubjectAccessMixin, SubmitOnceMixin, ScopedViewMixin, ServiceFormMixin, FormView):
    """A form about one object found through the scope (``target``: another department's is a 404 before anything
    else), done by a service, back to the subject's page at ``anchor``."""

    access_object = "target"
    template_name = "creditportal/form.html"
    anchor = ""

    def get_target(self):
        return get_object_or_404(self.get_queryset().select_related("subject"), pk=self.kwargs["pk"])

    @cached_property
    def target(self):
        return self.get_target()

    def get(self, request, *args, **kwargs):
        self.target  # noqa: B018  (404 before rendering the form)
        return super().get(request, *args, **kwargs)

    @property
    def subject_id(self) -> int:
        return self.target.pk if isinstance(self.target, CreditSubject) else self.target.subject_id

    def subject_page(self) -> str:
        return reverse("subject_detail", args=[self.subject_id]) + self.anchor

    def get_title(self):
        return ""

    def get_context_data(self, **kwargs):
        """The form page's title, and "Cancel" back to the subject's page."""
        return super().get_context_data(title=self.get_title(), back_url=("subject_detail", self.subject_id), **kwargs)


class _SubjectFormView(_ObjectFormView):
    """A form that starts from a subject (``target``), found through the subjects' scope."""

    def get_target(self) -> CreditSubject:
        return get_object_or_404(selectors.subject_queryset(user=self.request.user), pk=self.kwargs["pk"])


class CreditReportCreateView(_SubjectFormView):
    """Issue a subject's credit report at its request (HN 28), or to a third party under its written authorisation
    (R-SEC-2): the period and sectors; free; the PDF carries its verification code and QR code."""

    access_fields = ("records",)
    model = CreditReport
    scope_action = "add"
    form_class = CreditReportForm
    template_name = "subjects/credit_report_form.html"
    success_message = gettext_lazy("Credit report issued: its PDF is being prepared.")
    anchor = "#reports-heading"

    def get_initial(self):
        """The last five years by default (the longest a record is disclosed), to today."""
        today = timezone.localdate()
        return {"period_from": today - datetime.timedelta(days=5 * 365 + 1), "period_to": today}

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.target, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "subject": self.target}

    def perform(self, data) -> str:
        services.credit_report_issue(
            subject=self.target,
            actor=self.request.user,
            reason=data["reason"],
            period_from=data["period_from"],
            period_to=data["period_to"],
            sectors=data["sectors"],
            authorisation=data["authorisation"],
        )
        return self.subject_page()


class CreditReportRevokeView(_ObjectFormView):
    """Revoke a credit report issued in error (HN 28): its public verification says "revoked" with the reason."""

    access_fields = ("records",)
    model = CreditReport
    scope_action = "change"
    form_class = CreditReportRevokeForm
    success_message = gettext_lazy("Credit report revoked.")
    anchor = "#reports-heading"

    def get_title(self):
        return gettext_lazy("Revoke the credit report %(code)s") % {"code": self.target.verification_code}

    def perform(self, data) -> str:
        services.credit_report_revoke(report=self.target, actor=self.request.user, reason=data["reason"])
        return self.subject_page()


class InquiryAuthorisationCreateView(_SubjectFormView):
    """R-SEC-2: register the subject's written authorisation of a third party's inquiry (the signed document on
    file, the agreed use, a bounded period)."""

    access_fields = ("identity",)
    model = InquiryAuthorisation
    scope_action = "add"
    form_class = InquiryAuthorisationForm
    success_message = gettext_lazy("Inquiry authorisation registered.")
    anchor = "#authorisations-heading"

    def get_title(self):
        return gettext_lazy("Register an inquiry authorisation: %(name)s") % {"name": self.target.name}

    def perform(self, data) -> str:
        fields = ("requester", "requester_code", "purpose", "valid_from", "valid_until", "document", "received_on")
        services.authorisation_register(
            subject=self.target, actor=self.request.user, reason=data["reason"], **{k: data[k] for k in fields}
        )
        return self.subject_page()


class InquiryAuthorisationWithdrawView(_ObjectFormView):
    """The subject withdraws its authorisation (R-SEC-2): from now on it allows no inquiry."""

    access_fields = ("identity",)
    model = InquiryAuthorisation
    scope_action = "change"
    form_class = InquiryAuthorisationWithdrawForm
    success_message = gettext_lazy("Inquiry authorisation withdrawn.")
    anchor = "#authorisations-heading"

    def get_title(self):
        return gettext_lazy("Withdraw the authorisation of %(requester)s") % {"requester": self.target.requester}

    def perform(self, data) -> str:
        services.authorisation_withdraw(authorisation=self.target, actor=self.request.user, reason=data["reason"])
        return self.subject_page()


class ServiceConsentCreateView(_SubjectFormView):
    """APL art. 61: record the subject's consent to electronic service with the confirmation it signed."""

    access_fields = ("contacts",)
    model = ServiceConsent
    scope_action = "add"
    form_class = ServiceConsentForm
    success_message = gettext_lazy("Consent to electronic service registered.")
    anchor = "#service-heading"

    def get_title(self):
        return gettext_lazy("Register a consent to electronic service: %(name)s") % {"name": self.target.name}

    def perform(self, data) -> str:
        services.service_consent_register(
            subject=self.target,
            actor=self.request.user,
            reason=data["reason"],
            address=data["address"],
            consented_on=data["consented_on"],
            confirmation=data["confirmation"],
        )
        return self.subject_page()


class ServiceConsentWithdrawView(_ObjectFormView):
    """The subject withdraws its consent: from now on its documents are served on paper."""

    access_fields = ("contacts",)
    model = ServiceConsent
    scope_action = "change"
    form_class = ConsentWithdrawForm
    success_message = gettext_lazy("Consent to electronic service withdrawn.")
    anchor = "#service-heading"

    def get_title(self):
        return gettext_lazy("Withdraw the consent to electronic service at %(address)s") % {
            "address": self.target.address
        }

    def perform(self, data) -> str:
        services.service_consent_withdraw(consent=self.target, actor=self.request.user, reason=data["reason"])
        return self.subject_page()


class _SignedFileView(SubjectAccessMixin, ScopedViewMixin, View):
    """A file the subject signed (an authorisation, a confirmation), through its scope (another department's is a
    404), under the name it was handed in with; each download is logged."""

    access_kind = AccessKind.DOCUMENT
    access_object = "target"
    file_field = ""
    label = ""
    action = ""

    @cached_property
    def target(self):
        return get_object_or_404(self.get_queryset().select_related("subject"), pk=self.kwargs["pk"])

    def deliver(self, request, pk: int):
        target = self.target
        file = getattr(target, self.file_field)
        stored = (file.name or "").rsplit("/", 1)[-1]
        name = getattr(target, f"{self.file_field}_name") or readable_name(
            gettext(self.label), stored, number=target.pk
        )
        record_event(action=self.action, actor=request.user, target=target.subject, data={"id": target.pk})
        return file_response(request, file, filename=name)


class ServiceConsentDocumentView(_SignedFileView):
    model = ServiceConsent
    access_fields = ("service_consent",)
    file_field = "confirmation"
    label = gettext_noop("the subject's signed confirmation of electronic service")
    action = "subjects.service_consent.downloaded"


class InquiryAuthorisationDocumentView(_SignedFileView):
    model = InquiryAuthorisation
    access_fields = ("inquiry_authorisation",)
    file_field = "document"
    label = gettext_noop("the subject's written authorisation")
    action = "subjects.inquiry.authorisation_downloaded"


class ReportVerifyView(ReplicaReadMixin, TemplateView):
    """The public verification of a credit report by its code (no sign-in; HN 28): valid, superseded or revoked,
    with what identifies it (the subject's name, a person's number masked, when and by whom it was issued) and the
    SHA-256 of its PDF, to compare with the copy in hand. Nothing of its content."""

    template_name = "subjects/report_verify.html"

    def get_context_data(self, **kwargs):
        from .services.reports import normalised_code

        context = super().get_context_data(**kwargs)
        code = normalised_code(self.request.GET.get("code", ""))[:32]
        context.update(code=code, verification=selectors.report_verification(code) if code else None)
        return context


# --- the published administrative penalties (issue 22; R-NAT-2, SAMR-45): no sign-in -------------------------------


class PublicPenaltyListView(PublicListView):
    """The administrative penalties of the general and serious classes as the public reads them, where the profile
    publishes them: the penalties on display now (or ``as_of`` a past moment: their ledger), searched by name or code
    and filtered by department. Natural persons' numbers are masked (R-DIS-4); nothing ended, restored, revoked,
    archived or of the minor class appears (a row is withdrawn when its record leaves display)."""

    template_name = "subjects/public_penalties.html"
    filterset_class = PublicPenaltyFilter
    url_name = "public_penalties"

    def get_queryset(self):
        return selectors.published_penalties()

    def get_context_data(self, **kwargs):
        from .publication import penalties_published

        context = super().get_context_data(**kwargs)
        context["penalties_published"] = penalties_published()
        return context
