"""Views of the catalog app: the public catalog, and the credit authority's drafting and publishing pages.

Thin: forms check shape, ``catalog.services`` and ``catalog.imports`` check the law and write. A refusal is
shown the project's one way (docs/architecture.md, "Refusals"): every form page goes to its service through
``creditportal.forms.ServiceFormMixin`` (``CatalogFormView``: refused, the form again as typed, the reason at the
top and beside the field); an act of a version, measures list or standard is a button on the object's page
(``CatalogActView``), refused by showing that page again with the comments kept and the reason at the top, as
``creditportal.cases.views.CasePostView.render_refused`` shows a case page. The catalog's pages are not case
pages (one form with a button per act, the items, the history), so they keep their own templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar, Generic, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from django.views.generic.base import ContextMixin

from creditportal.citations import for_people
from creditportal.db_router import ReplicaReadMixin
from creditportal.forms import ServiceFormMixin
from creditportal.idempotency import FIELD as SUBMIT_TOKEN
from creditportal.idempotency import SubmitOnceMixin
from creditportal.models import TrackedModel
from creditportal.workflow import TransitionRefused, Workflow

from . import imports, jobs, policies, selectors, services, workflow
from .choices import ImportKind
from .forms import (
    ActForm,
    CatalogItemForm,
    ImportForm,
    MeasureForm,
    MeasureListCreateForm,
    PublishForm,
    StandardForm,
    VersionCreateForm,
)
from .models import CatalogItem, CatalogVersion, DesignationStandard, ImportJob, MeasureList, PublishedList

EXPORT_TYPES = imports.CONTENT_TYPES
ITEMS_PER_PAGE = 100
#: What a form sends besides the object's own fields: the service takes them as arguments, not as content.
NOT_CONTENT = frozenset({"reason", "expected_version", SUBMIT_TOKEN})

ObjT = TypeVar("ObjT", bound=TrackedModel)


class PublicCatalogView(ReplicaReadMixin, TemplateView):
    """Readable without logging in (HN 11 requires the catalog to be published); read from the replica when one
    is configured (creditportal.db_router)."""

    template_name = "catalog/public_catalog.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        version = selectors.catalog_published()
        user = self.request.user
        context.update(
            version=version,
            items=selectors.catalog_items(version=version) if version else [],
            measure_lists=selectors.measure_lists_published(),
            standards=selectors.standards_published(),
            can_manage=user.is_authenticated and (policies.can_author(user) or policies.can_approve(user)),
        )
        return context


class CatalogStaffMixin(LoginRequiredMixin, ContextMixin):
    """The drafting pages: staff of the provincial credit authority only (403 for everyone else)."""

    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (policies.can_author(request.user) or policies.can_approve(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            can_author=policies.can_author(self.request.user), can_approve=policies.can_approve(self.request.user)
        )
        return context


class CatalogFormView(SubmitOnceMixin, CatalogStaffMixin, ServiceFormMixin, FormView):
    """A form page of the authority's staff, sent once (creditportal.idempotency), whose form goes to a service
    (``perform``): done, a message and the object's page; refused, the form again as typed with the reason at
    the top and beside the field (ServiceFormMixin)."""

    template_name = "creditportal/form.html"


class CatalogManageView(CatalogStaffMixin, TemplateView):
    template_name = "catalog/manage.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        queue = selectors.awaiting_approval() if context["can_approve"] else []
        context.update(
            versions=selectors.catalog_versions(),
            measure_lists=selectors.measure_lists(),
            standards=selectors.standards(),
            queue=[(obj, workflow.PUBLISHED_LIST.can(obj, "approve", actor=self.request.user)) for obj in queue],
        )
        return context


class VersionCreateView(CatalogFormView):
    form_class = VersionCreateForm
    extra_context = {"title": gettext_lazy("New catalog version")}  # lazy: a class attribute is built once

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "jurisdiction": settings.CREDIT_JURISDICTION}

    def perform(self, data: dict) -> str:
        version = services.catalog_version_create(
            actor=self.request.user,
            jurisdiction=settings.CREDIT_JURISDICTION,
            title=data["title"],
            based_on=data["based_on"],
            reason=data["reason"],
        )
        self.success_message = _("Draft version %(n)s created.") % {"n": version.number}
        return reverse("catalog_version_detail", args=[version.pk])


class VersionDetailView(CatalogStaffMixin, TemplateView):
    template_name = "catalog/version_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        version = get_object_or_404(CatalogVersion, pk=self.kwargs["pk"])
        q = self.request.GET.get("q", "").strip()[:100]
        page = Paginator(selectors.catalog_items(version=version, q=q), ITEMS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            version=version,
            items=page.object_list,
            page=page,
            q=q,
            acts=workflow.PUBLISHED_LIST.offered(version, actor=self.request.user),
            others=CatalogVersion.objects.filter(jurisdiction=version.jurisdiction).exclude(pk=version.pk),
            act_form=ActForm(),
            history=version.history.select_related("history_user").order_by("-history_date")[:30],
        )
        return context


class CatalogActView(CatalogStaffMixin, ServiceFormMixin, FormView, Generic[ObjT]):
    """POST an act of a catalog object: a button of the form on its page (the comments, the version the page
    showed). Done: its page with a message. Refused (a bad field, or the service says no): its page again
    (``render_refused``)."""

    form_class = ActForm
    http_method_names = ["post"]
    model: type[ObjT]
    workflow: Workflow
    page_view: type[TemplateView]

    @cached_property
    def obj(self) -> ObjT:
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        act = self.workflow.transitions.get(kwargs["act"])
        if act is None or act.internal or act.target is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_success_message(self) -> str:
        return _("Done: %(act)s.") % {"act": self.workflow.transitions[self.kwargs["act"]].label}

    def render_refused(self, form: forms.Form) -> HttpResponse:
        """The one place a refused act is shown, as ``CasePostView.render_refused`` shows a case page: the object's
        page again, the act's form as typed (the comments kept) and the reason at the top: the service's (or the
        version the page showed, a hidden field), else the fields' own, which are also shown beside them (the
        comments, the effective date, the confirmation)."""
        page = self.page_view()
        page.setup(self.request, pk=self.obj.pk)
        context = page.get_context_data(pk=self.obj.pk)
        hidden = [error for field in form.hidden_fields() for error in field.errors]
        reasons = [*form.non_field_errors(), *hidden] or [error for field in form for error in field.errors]
        context.update(act_form=form, failed_act=self.kwargs["act"], refusal=[for_people(reason) for reason in reasons])
        return page.render_to_response(context)


class PublishedListActView(CatalogActView[PublishedList]):
    """Submit, discard, approve, return or publish a catalog version (R-CAT-1)."""

    model: type[PublishedList] = CatalogVersion
    workflow = workflow.PUBLISHED_LIST
    page_view: type[TemplateView] = VersionDetailView
    detail_url = "catalog_version_detail"
    acts: ClassVar[Mapping[str, Callable[..., object]]] = {
        "submit": services.published_list_submit,
        "discard": services.published_list_discard,
        "approve": services.published_list_approve,
        "return": services.published_list_return,
        "publish": services.published_list_publish,
    }

    def get_form_class(self) -> type[forms.Form]:
        return PublishForm if self.kwargs["act"] == "publish" else ActForm

    def perform(self, data: dict) -> str:
        extra = {"effective_on": data["effective_on"]} if "effective_on" in data else {}
        self.acts[self.kwargs["act"]](
            obj=self.obj,
            actor=self.request.user,
            reason=data["reason"],
            expected_version=data.get("expected_version"),
            **extra,
        )
        return reverse(self.detail_url, args=[self.obj.pk])


class ItemFormView(CatalogFormView):
    form_class = CatalogItemForm

    @cached_property
    def version(self) -> CatalogVersion:
        return get_object_or_404(CatalogVersion, pk=self.kwargs["pk"])

    @cached_property
    def item(self) -> CatalogItem | None:
        if "item_pk" not in self.kwargs:
            return None
        return get_object_or_404(CatalogItem, pk=self.kwargs["item_pk"], version=self.version)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Only a draft is edited (R-CAT-1): the form of another version is not shown; its page says why. (A form
        sent anyway is refused by the service and shown again, as typed.)"""
        refusal = workflow.PUBLISHED_LIST.can(self.version, "edit", actor=request.user)
        if refusal:  # refused outside a form: the version's page, the reason at its top
            messages.error(request, refusal)
            return redirect("catalog_version_detail", pk=self.version.pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"expected_version": self.item.row_version} if self.item else {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.item}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        title = _("Edit item %(code)s") % {"code": self.item.code} if self.item else _("New catalog item")
        return super().get_context_data(title=title, back_url=("catalog_version_detail", self.version.pk), **kwargs)

    def perform(self, data: dict) -> str:
        content = {name: value for name, value in data.items() if name not in NOT_CONTENT}
        services.catalog_item_save(
            actor=self.request.user,
            version=self.version,
            item=self.item,
            data=content,
            reason=data["reason"],
            expected_version=data["expected_version"],
        )
        self.success_message = _("Item %(code)s saved.") % {"code": content["code"]}
        return reverse("catalog_version_detail", args=[self.version.pk])


@contextmanager
def _refused_file() -> Iterator[None]:
    """A file that cannot be read (its encoding, its format, its size) is refused beside the file field; an act
    refused (the target no longer a draft, a permission) stays the form's, at the top."""
    try:
        yield
    except TransitionRefused:
        raise
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"file": error.messages}) from error


class ImportView(CatalogFormView):
    """Upload a CSV, XLSX or JSON file; a dry run reports every row's errors and writes nothing."""

    form_class = ImportForm
    template_name = "catalog/import.html"
    target_model: type[PublishedList] = CatalogVersion
    detail_url: str | None = "catalog_version_detail"
    template_kind = "items"
    #: The report of a dry run, or of rows with problems: nothing was written, the page shows it.
    report: imports.ImportReport | None = None

    def get_target(self) -> PublishedList | None:
        return get_object_or_404(self.target_model, pk=self.kwargs["pk"])

    def run(self, data: dict, dry_run: bool) -> imports.ImportReport:
        version = self.get_target()
        assert isinstance(version, CatalogVersion)  # noqa: S101 — this view's target_model
        return imports.import_catalog_items(
            actor=self.request.user,
            version=version,
            file=data["file"],
            fmt=data["format"] or None,
            dry_run=dry_run,
            reason=data["reason"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            target=self.get_target(),
            detail_url=self.detail_url,
            template_kind=self.template_kind,
            report=self.report,
            **kwargs,
        )

    def in_background(self, data: dict) -> ImportJob | None:
        """A file over PORTAL_IMPORT_BACKGROUND_ROWS rows: stored and run as a job (issue 9)."""
        rows = imports.count_rows(data["file"], data["format"] or None)
        if rows <= settings.PORTAL_IMPORT_BACKGROUND_ROWS:
            return None
        target = self.get_target()
        return jobs.import_job_create(
            actor=self.request.user,
            kind=self.template_kind,
            target_id=target.pk if target is not None else None,
            jurisdiction=settings.CREDIT_JURISDICTION,
            file=data["file"],
            fmt=data["format"] or None,
            dry_run=data["dry_run"],
            reason=data["reason"],
            rows_total=rows,
        )

    def get_success_url(self) -> str:
        target = self.get_target()
        if target is not None and self.detail_url:
            return reverse(self.detail_url, args=[target.pk])
        return reverse("catalog_manage")

    def perform(self, data: dict) -> str | None:
        with _refused_file():
            job = self.in_background(data)
            if job is not None:
                return reverse("catalog_import_job", args=[job.pk])
            report = self.run(data, data["dry_run"])
        if report.ok and not data["dry_run"]:
            self.success_message = ngettext("%(n)d row imported.", "%(n)d rows imported.", report.written) % {
                "n": report.written
            }
            return None
        self.report = report
        return None

    def form_valid(self, form: forms.Form) -> HttpResponse:
        """Written → the target's page; refused → the form again with the reason (ServiceFormMixin); a dry run, or
        rows with problems (nothing written) → the form again with the report."""
        response = super().form_valid(form)
        if self.report is None:
            return response
        return self.render_to_response(self.get_context_data(form=form))


class ImportJobView(CatalogStaffMixin, TemplateView):
    """A background import: its progress (the page reloads itself every 2 seconds while it runs), then its report."""

    template_name = "catalog/import_job.html"
    detail_urls: ClassVar[Mapping[str, str]] = {
        ImportKind.ITEMS: "catalog_version_detail",
        ImportKind.MEASURES: "measure_list_detail",
    }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=self.kwargs["pk"])
        detail_url = self.detail_urls.get(job.kind)
        context.update(
            job=job,
            running=job.status in workflow.IMPORT_JOB.sources_of("start", "finish"),  # still to start or finish
            report=imports.ImportReport.from_json(job.report) if job.report else None,
            back_url=reverse(detail_url, args=[job.target_id]) if detail_url else reverse("catalog_manage"),
        )
        return context

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **response_kwargs)
        if context["running"]:
            response["Refresh"] = "2"  # the HTTP twin of <meta http-equiv="refresh">: no script
        return response


class MeasureImportView(ImportView):
    target_model = MeasureList
    template_kind = "measures"
    detail_url = "measure_list_detail"

    def run(self, data: dict, dry_run: bool) -> imports.ImportReport:
        measure_list = self.get_target()
        assert isinstance(measure_list, MeasureList)  # noqa: S101 — this view's target_model
        return imports.import_measures(
            actor=self.request.user,
            measure_list=measure_list,
            file=data["file"],
            fmt=data["format"] or None,
            dry_run=dry_run,
            reason=data["reason"],
        )


class StandardImportView(ImportView):
    detail_url = None
    template_kind = "standards"

    def get_target(self) -> None:
        return None

    def run(self, data: dict, dry_run: bool) -> imports.ImportReport:
        return imports.import_standards(
            actor=self.request.user,
            jurisdiction=settings.CREDIT_JURISDICTION,
            file=data["file"],
            fmt=data["format"] or None,
            dry_run=dry_run,
            reason=data["reason"],
        )


def _export_response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


class ImportTemplateView(CatalogStaffMixin, View):
    """An empty CSV or XLSX file with the Chinese headers the exports use: fill it in, then import it.
    ``?kind=``: items (the default), measures or standards."""

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        kind = request.GET.get("kind", "items")
        if kind not in imports.TEMPLATES or fmt not in ("csv", "xlsx"):
            raise Http404
        return _export_response(imports.import_template(kind=kind, fmt=fmt), fmt, f"template-{kind}")


def _readable(request: HttpRequest, obj: PublishedList) -> bool:
    """A published version or list is public (HN 11); the others are read only by the authority's staff.
    Published: the state the next publication supersedes (catalog/workflow.py)."""
    if obj.status in workflow.PUBLISHED_LIST.sources_of("supersede"):
        return True
    user = request.user
    return user.is_authenticated and (policies.can_author(user) or policies.can_approve(user))


class VersionExportView(View):
    """A published version is public (HN 11); drafts are exported only by the authority's staff."""

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        version = get_object_or_404(CatalogVersion, pk=pk)
        if fmt not in EXPORT_TYPES or not _readable(request, version):
            raise Http404
        content = imports.export_catalog(version=version, fmt=fmt)
        return _export_response(content, fmt, f"catalog-{version.jurisdiction}-v{version.number}")


class MeasureListExportView(View):
    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        measure_list = get_object_or_404(MeasureList, pk=pk)
        if fmt not in EXPORT_TYPES or not _readable(request, measure_list):
            raise Http404
        content = imports.export_measures(measure_list=measure_list, fmt=fmt)
        return _export_response(
            content, fmt, f"measures-{measure_list.kind}-{measure_list.scope}-v{measure_list.number}"
        )


class StandardsExportView(View):
    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt not in EXPORT_TYPES:
            raise Http404
        content = imports.export_standards(standards=selectors.standards_published(), fmt=fmt)
        return _export_response(content, fmt, f"standards-{settings.CREDIT_JURISDICTION}")


class VersionDiffView(CatalogStaffMixin, TemplateView):
    template_name = "catalog/diff.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        new = get_object_or_404(CatalogVersion, pk=self.kwargs["pk"])
        others = CatalogVersion.objects.filter(jurisdiction=new.jurisdiction).exclude(pk=new.pk)
        against = self.request.GET.get("against", "")
        if against and not against.isdigit():
            raise Http404
        old: CatalogVersion | None
        if against:
            old = get_object_or_404(others, pk=against)
        else:
            old = new.based_on or others.filter(number__lt=new.number).order_by("-number").first()
        context.update(new=new, others=others, diff=selectors.catalog_diff(old=old, new=new) if old else None)
        return context


class MeasureListCreateView(CatalogFormView):
    form_class = MeasureListCreateForm
    extra_context = {"title": gettext_lazy("New measures list")}

    def perform(self, data: dict) -> str:
        measure_list = services.measure_list_create(
            actor=self.request.user,
            jurisdiction=settings.CREDIT_JURISDICTION,
            kind=data["kind"],
            scope=data["scope"],
            title=data["title"],
            reason=data["reason"],
            copy_published=data["copy_published"],
        )
        return reverse("measure_list_detail", args=[measure_list.pk])


class MeasureListDetailView(CatalogStaffMixin, TemplateView):
    template_name = "catalog/measure_list_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        measure_list = get_object_or_404(MeasureList, pk=self.kwargs["pk"])
        context.update(
            measure_list=measure_list,
            measures=measure_list.entries().order_by("code"),
            acts=workflow.PUBLISHED_LIST.offered(measure_list, actor=self.request.user),
            act_form=ActForm(),
        )
        return context


class MeasureListActView(PublishedListActView):
    """Submit, discard, approve, return or publish a measures list (R-CAT-7)."""

    model = MeasureList
    page_view = MeasureListDetailView
    detail_url = "measure_list_detail"


class MeasureCreateView(CatalogFormView):
    form_class = MeasureForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("New measure"), back_url=("measure_list_detail", self.kwargs["pk"]), **kwargs
        )

    def perform(self, data: dict) -> str:
        measure_list = get_object_or_404(MeasureList, pk=self.kwargs["pk"])
        content = {name: value for name, value in data.items() if name not in NOT_CONTENT}
        services.measure_save(actor=self.request.user, measure_list=measure_list, data=content, reason=data["reason"])
        return reverse("measure_list_detail", args=[measure_list.pk])


class StandardFormView(CatalogFormView):
    form_class = StandardForm

    @cached_property
    def standard(self) -> DesignationStandard | None:
        return get_object_or_404(DesignationStandard, pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get_initial(self) -> dict[str, Any]:
        return {"expected_version": self.standard.row_version} if self.standard else {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.standard, "jurisdiction": settings.CREDIT_JURISDICTION}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        title = (
            _("Edit standard %(code)s") % {"code": self.standard.code}
            if self.standard
            else _("New designation standard")
        )
        back = ("standard_detail", self.standard.pk) if self.standard else None
        return super().get_context_data(title=title, back_url=back, **kwargs)

    def perform(self, data: dict) -> str:
        content = {name: value for name, value in data.items() if name not in NOT_CONTENT | {"allowed_measures"}}
        standard = services.standard_save(
            actor=self.request.user,
            data=content,
            reason=data["reason"],
            standard=self.standard,
            expected_version=data["expected_version"],
            allowed_measures=list(data["allowed_measures"]),
            jurisdiction=settings.CREDIT_JURISDICTION,
        )
        return reverse("standard_detail", args=[standard.pk])


class StandardDetailView(CatalogStaffMixin, TemplateView):
    template_name = "catalog/standard_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        standard = get_object_or_404(DesignationStandard, pk=self.kwargs["pk"])
        today = timezone.localdate()
        context.update(
            standard=standard,
            acts=workflow.STANDARD.offered(standard, actor=self.request.user, today=today),
            comment_days=workflow.comment_days(standard, today),
            act_form=ActForm(),
            history=standard.history.select_related("history_user").order_by("-history_date")[:30],
        )
        return context


class StandardActView(CatalogActView[DesignationStandard]):
    """Open public comment, publish or withdraw a standard (R-CAT-6)."""

    model = DesignationStandard
    workflow = workflow.STANDARD
    page_view = StandardDetailView

    def perform(self, data: dict) -> str:
        services.standard_transition(
            standard=self.obj,
            name=self.kwargs["act"],
            actor=self.request.user,
            reason=data["reason"],
            expected_version=data.get("expected_version"),
        )
        return reverse("standard_detail", args=[self.obj.pk])
