"""Pages of the exchange app: thin, the services write and the selectors read (issue 23)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from creditportal.citations import for_people
from creditportal.forms import ServiceFormMixin
from creditportal.lists import Column, ScopedListView, csv_response
from creditportal.permissions import ScopedViewMixin

from . import selectors, services
from .choices import ImportKind
from .filters import RecordImportFilter
from .forms import DefaulterImportForm, RecordImportForm
from .models import RecordImport
from .reader import column_label, columns_of, header_row
from .workflow import RECORD_IMPORT

#: Refused rows shown on the job's page; the whole report is the CSV download.
ERRORS_ON_PAGE = 100

LIST_COLUMNS = (
    Column(_("Import"), "pk", sort="pk"),
    Column(_("Kind"), "get_kind_display"),
    Column(_("File"), "file_name"),
    Column(_("Department"), "department.name"),
    Column(_("Status"), "get_status_display"),
    Column(_("Records written"), "rows_written"),
    Column(_("Rows refused"), "rows_refused"),
    Column(_("Uploaded by"), "created_by"),
    Column(_("Created"), "created_at", sort="created_at"),
)


class RecordImportListView(ScopedListView):
    """The department's imports of credit records, newest first."""

    model = RecordImport
    filterset_class = RecordImportFilter
    columns = LIST_COLUMNS
    select_related = ("department", "created_by")
    title = _("Record imports")
    create_url_name = "record_import_create"
    detail_url_name = "record_import_detail"
    extra_context = {
        "extra_url_name": "defaulter_import_create",
        "extra_url_label": _("Import a Judgment Defaulters List"),
    }


class RecordImportCreateView(ScopedViewMixin, ServiceFormMixin, FormView):
    """Upload a file of credit records: stored, then imported in the background (its page shows the progress)."""

    model = RecordImport
    scope_action = "add"
    form_class = RecordImportForm
    template_name = "exchange/record_import_form.html"
    success_message = _("File received: it is imported in the background.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    kind = ImportKind.RECORDS
    template_url_name = "record_import_template"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        columns = [(c, column_label(c.code)) for c in columns_of(self.kind)]
        return super().get_context_data(
            columns=columns, kind=self.kind, template_url_name=self.template_url_name, **kwargs
        )

    def perform(self, data: dict) -> str:
        job = services.record_import_create(
            actor=self.request.user,
            department=data["department"],
            file=data["file"],
            reason=data["reason"],
            kind=self.kind,
            standard=data.get("standard"),
            listing_months=data.get("listing_months"),
        )
        return reverse("record_import_detail", args=[job.pk])


class DefaulterImportCreateView(RecordImportCreateView):
    """Upload a people's court's Judgment Defaulters List: each entry drafts a designation for review (R-DES-8)."""

    form_class = DefaulterImportForm
    kind = ImportKind.DEFAULTERS
    template_url_name = "defaulter_import_template"
    success_message = _("List received: its entries are drafted as designations in the background.")


class _ImportMixin(ScopedViewMixin):
    model = RecordImport
    kwargs: dict[str, Any]

    @cached_property
    def job(self) -> RecordImport:
        """Through the scope: another department's import is a 404."""
        return get_object_or_404(selectors.record_import_queryset(user=self.request.user), pk=self.kwargs["pk"])


class RecordImportDetailView(_ImportMixin, TemplateView):
    """An import's progress (the page reloads itself while it runs), its totals and its first refused rows."""

    template_name = "exchange/record_import_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        job = self.job
        errors = list(selectors.record_import_errors(job=job, limit=ERRORS_ON_PAGE))
        for error in errors:
            error.column_label = column_label(error.column) if error.column else ""
        return super().get_context_data(
            job=job,
            running=job.status in RECORD_IMPORT.sources_of("finish"),
            waiting=job.status in RECORD_IMPORT.sources_of("start") - RECORD_IMPORT.sources_of("finish"),
            errors=errors,
            more_errors=job.rows_refused > len(errors),
            **kwargs,
        )

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        if context["running"] or context["waiting"]:
            response["Refresh"] = "2"  # the HTTP twin of <meta http-equiv="refresh">: no script
        return response


class RecordImportErrorsView(_ImportMixin, View):
    """The error report: every refused row, its column and the reason, in Chinese (CSV, streamed)."""

    def get(self, request, *args, **kwargs):
        job = self.job
        rows = (
            [str(error.row), column_label(error.column) if error.column else "", for_people(error.message)]
            for error in selectors.record_import_errors(job=job)
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return csv_response([_("Row"), _("Column"), _("Reason")], rows, f"record-import-{job.pk}-errors-{stamp}.csv")


class RecordImportTemplateView(ScopedViewMixin, View):
    """The template: the header row the import reads, in Chinese (CSV)."""

    model = RecordImport
    scope_action = "add"
    kind = ImportKind.RECORDS

    def get(self, request, *args, **kwargs):
        return csv_response(header_row(columns_of(self.kind)), iter(()), f"{self.kind}-import-template.csv")


class DefaulterImportTemplateView(RecordImportTemplateView):
    kind = ImportKind.DEFAULTERS
