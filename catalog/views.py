"""Views of the catalog app: the public catalog, and the credit authority's drafting and publishing pages.

Thin: forms check shape, ``catalog.services`` and ``catalog.imports`` check the law and write.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from creditportal.db_router import ReplicaReadMixin
from creditportal.forms import ServiceFormMixin, add_service_errors
from creditportal.idempotency import SubmitOnceMixin
from creditportal.workflow import Workflow

from . import imports, jobs, policies, selectors, services, workflow
from .choices import ImportJobStatus, ImportKind, PublicationStatus
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
from .models import CatalogItem, CatalogVersion, DesignationStandard, ImportJob, MeasureList

EXPORT_TYPES = imports.CONTENT_TYPES
ITEMS_PER_PAGE = 100


class PublicCatalogView(ReplicaReadMixin, TemplateView):
    """Readable without logging in (HN 11 requires the catalog to be published); read from the replica when one
    is configured (creditportal.db_router)."""

    template_name = "catalog/public_catalog.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = selectors.catalog_published()
        context.update(
            version=version,
            items=selectors.catalog_items(version=version) if version else [],
            measure_lists=selectors.measure_lists_published(),
            standards=selectors.standards_published(),
            can_manage=self.request.user.is_authenticated
            and (policies.can_author(self.request.user) or policies.can_approve(self.request.user)),
        )
        return context


class CatalogStaffMixin(LoginRequiredMixin):
    """The drafting pages: staff of the provincial credit authority only (403 for everyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (policies.can_author(request.user) or policies.can_approve(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_author=policies.can_author(self.request.user), can_approve=policies.can_approve(self.request.user)
        )
        return context


class CatalogManageView(CatalogStaffMixin, TemplateView):
    template_name = "catalog/manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queue = selectors.awaiting_approval() if context["can_approve"] else []
        context.update(
            versions=selectors.catalog_versions(),
            measure_lists=selectors.measure_lists(),
            standards=selectors.standards(),
            queue=[(obj, workflow.PUBLISHED_LIST.can(obj, "approve", actor=self.request.user)) for obj in queue],
        )
        return context


class VersionCreateView(SubmitOnceMixin, CatalogStaffMixin, FormView):
    form_class = VersionCreateForm
    template_name = "creditportal/form.html"
    extra_context = {"title": gettext_lazy("New catalog version")}  # lazy: a class attribute is built once

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "jurisdiction": settings.CREDIT_JURISDICTION}

    def form_valid(self, form):
        version = services.catalog_version_create(
            actor=self.request.user,
            jurisdiction=settings.CREDIT_JURISDICTION,
            title=form.cleaned_data["title"],
            based_on=form.cleaned_data["based_on"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(self.request, _("Draft version %(n)s created.") % {"n": version.number})
        return redirect("catalog_version_detail", pk=version.pk)


class VersionDetailView(CatalogStaffMixin, TemplateView):
    template_name = "catalog/version_detail.html"

    def get_context_data(self, **kwargs):
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


class CatalogActView(CatalogStaffMixin, ServiceFormMixin, FormView):
    """POST an act on a catalog object. Refused: its page again, the reason at the top and the comments kept."""

    form_class = ActForm
    http_method_names = ["post"]
    model: type
    workflow: Workflow
    page_view: type[TemplateView]

    @cached_property
    def obj(self):
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        act = self.workflow.transitions.get(kwargs["act"])
        if act is None or act.internal or act.target is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_success_message(self) -> str:
        return _("Done: %(act)s.") % {"act": self.workflow.transitions[self.kwargs["act"]].label}

    def render_refused(self, form):
        page = self.page_view()
        page.setup(self.request, pk=self.obj.pk)
        context = page.get_context_data(pk=self.obj.pk)
        for error in form.non_field_errors() or [e for errors in form.errors.values() for e in errors]:
            messages.error(self.request, error)  # shown at the top of the page rendered now
        context.update(act_form=form, failed_act=self.kwargs["act"])
        return render(self.request, page.template_name, context)


class PublishedListActView(CatalogActView):
    """Approve, return or publish a catalog version (R-CAT-1)."""

    model = CatalogVersion
    workflow = workflow.PUBLISHED_LIST
    detail_url = "catalog_version_detail"
    acts = {
        "submit": services.published_list_submit,
        "discard": services.published_list_discard,
        "approve": services.published_list_approve,
        "return": services.published_list_return,
        "publish": services.published_list_publish,
    }

    @property
    def page_view(self):
        return VersionDetailView

    def get_form_class(self):
        return PublishForm if self.kwargs["act"] == "publish" else ActForm

    def perform(self, data) -> str:
        extra = {"effective_on": data["effective_on"]} if "effective_on" in data else {}
        self.acts[self.kwargs["act"]](
            obj=self.obj,
            actor=self.request.user,
            reason=data["reason"],
            expected_version=data.get("expected_version"),
            **extra,
        )
        return reverse(self.detail_url, args=[self.obj.pk])


class MeasureListActView(PublishedListActView):
    model = MeasureList
    detail_url = "measure_list_detail"

    @property
    def page_view(self):
        return MeasureListDetailView


class ItemFormView(SubmitOnceMixin, CatalogStaffMixin, FormView):
    form_class = CatalogItemForm
    template_name = "creditportal/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.version = get_object_or_404(CatalogVersion, pk=kwargs["pk"])
        self.item = (
            get_object_or_404(CatalogItem, pk=kwargs["item_pk"], version=self.version) if "item_pk" in kwargs else None
        )
        if request.user.is_authenticated and self.version.status != PublicationStatus.DRAFT:
            messages.error(
                request,
                _("Version %(n)s is %(status)s: only a draft can be edited. Create the next draft from it.")
                % {"n": self.version.number, "status": self.version.get_status_display()},
            )
            return redirect("catalog_version_detail", pk=self.version.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"expected_version": self.item.row_version} if self.item else {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.item}

    def get_context_data(self, **kwargs):
        title = _("Edit item %(code)s") % {"code": self.item.code} if self.item else _("New catalog item")
        return super().get_context_data(title=title, back_url=("catalog_version_detail", self.version.pk), **kwargs)

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"reason", "expected_version"}}
        try:
            services.catalog_item_save(
                actor=self.request.user,
                version=self.version,
                item=self.item,
                data=data,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["expected_version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Item %(code)s saved.") % {"code": data["code"]})
        return redirect("catalog_version_detail", pk=self.version.pk)


class ImportView(SubmitOnceMixin, CatalogStaffMixin, FormView):
    """Upload a CSV or JSON file; a dry run reports every row's errors and writes nothing."""

    form_class = ImportForm
    template_name = "catalog/import.html"
    target_model = CatalogVersion
    detail_url = "catalog_version_detail"

    def get_target(self):
        return get_object_or_404(self.target_model, pk=self.kwargs["pk"])

    def run(self, form, dry_run: bool):
        return imports.import_catalog_items(
            actor=self.request.user,
            version=self.get_target(),
            file=form.cleaned_data["file"],
            fmt=form.cleaned_data["format"] or None,
            dry_run=dry_run,
            reason=form.cleaned_data["reason"],
        )

    template_kind = "items"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            target=self.get_target(), detail_url=self.detail_url, template_kind=self.template_kind, **kwargs
        )

    def in_background(self, form) -> ImportJob | None:
        """A file over PORTAL_IMPORT_BACKGROUND_ROWS rows: stored and run as a job (issue 9)."""
        data = form.cleaned_data
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

    def form_valid(self, form):
        dry_run = form.cleaned_data["dry_run"]
        try:
            job = self.in_background(form)
            if job is not None:
                return redirect("catalog_import_job", pk=job.pk)
            report = self.run(form, dry_run)
        except ValidationError as error:
            form.add_error("file", error.messages)
            return self.form_invalid(form)
        if report.ok and not dry_run:
            messages.success(
                self.request,
                ngettext("%(n)d row imported.", "%(n)d rows imported.", report.written) % {"n": report.written},
            )
            target = self.get_target()
            return redirect(self.detail_url, pk=target.pk) if target is not None else redirect("catalog_manage")
        return self.render_to_response(self.get_context_data(form=form, report=report))


class ImportJobView(CatalogStaffMixin, TemplateView):
    """A background import: its progress (the page reloads itself every 2 seconds while it runs), then its report."""

    template_name = "catalog/import_job.html"
    detail_urls = {ImportKind.ITEMS: "catalog_version_detail", ImportKind.MEASURES: "measure_list_detail"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=self.kwargs["pk"])
        detail_url = self.detail_urls.get(job.kind)
        context.update(
            job=job,
            running=job.status in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING),
            report=imports.ImportReport.from_json(job.report) if job.report else None,
            back_url=reverse(detail_url, args=[job.target_id]) if detail_url else reverse("catalog_manage"),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["running"]:
            response["Refresh"] = "2"  # the HTTP twin of <meta http-equiv="refresh">: no script
        return response


class MeasureImportView(ImportView):
    target_model = MeasureList
    template_kind = "measures"
    detail_url = "measure_list_detail"

    def run(self, form, dry_run: bool):
        return imports.import_measures(
            actor=self.request.user,
            measure_list=self.get_target(),
            file=form.cleaned_data["file"],
            fmt=form.cleaned_data["format"] or None,
            dry_run=dry_run,
            reason=form.cleaned_data["reason"],
        )


class StandardImportView(ImportView):
    detail_url = None
    template_kind = "standards"

    def get_target(self):
        return None

    def run(self, form, dry_run: bool):
        return imports.import_standards(
            actor=self.request.user,
            jurisdiction=settings.CREDIT_JURISDICTION,
            file=form.cleaned_data["file"],
            fmt=form.cleaned_data["format"] or None,
            dry_run=dry_run,
            reason=form.cleaned_data["reason"],
        )


def _export_response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


class ImportTemplateView(CatalogStaffMixin, View):
    """An empty CSV or XLSX file with the Chinese headers the exports use: fill it in, then import it.
    ``?kind=``: items (the default), measures or standards."""

    def get(self, request, fmt: str):
        kind = request.GET.get("kind", "items")
        if kind not in imports.TEMPLATES or fmt not in ("csv", "xlsx"):
            raise Http404
        return _export_response(imports.import_template(kind=kind, fmt=fmt), fmt, f"template-{kind}")


class VersionExportView(View):
    """A published version is public (HN 11); drafts are exported only by the authority's staff."""

    def get(self, request, pk: int, fmt: str):
        version = get_object_or_404(CatalogVersion, pk=pk)
        if fmt not in EXPORT_TYPES:
            raise Http404
        if version.status != PublicationStatus.PUBLISHED and not (
            request.user.is_authenticated and (policies.can_author(request.user) or policies.can_approve(request.user))
        ):
            raise Http404
        content = imports.export_catalog(version=version, fmt=fmt)
        return _export_response(content, fmt, f"catalog-{version.jurisdiction}-v{version.number}")


class MeasureListExportView(View):
    def get(self, request, pk: int, fmt: str):
        measure_list = get_object_or_404(MeasureList, pk=pk)
        if fmt not in EXPORT_TYPES:
            raise Http404
        if measure_list.status != PublicationStatus.PUBLISHED and not (
            request.user.is_authenticated and (policies.can_author(request.user) or policies.can_approve(request.user))
        ):
            raise Http404
        content = imports.export_measures(measure_list=measure_list, fmt=fmt)
        return _export_response(
            content, fmt, f"measures-{measure_list.kind}-{measure_list.scope}-v{measure_list.number}"
        )


class StandardsExportView(View):
    def get(self, request, fmt: str):
        if fmt not in EXPORT_TYPES:
            raise Http404
        content = imports.export_standards(standards=selectors.standards_published(), fmt=fmt)
        return _export_response(content, fmt, f"standards-{settings.CREDIT_JURISDICTION}")


class VersionDiffView(CatalogStaffMixin, TemplateView):
    template_name = "catalog/diff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        new = get_object_or_404(CatalogVersion, pk=self.kwargs["pk"])
        others = CatalogVersion.objects.filter(jurisdiction=new.jurisdiction).exclude(pk=new.pk)
        against = self.request.GET.get("against", "")
        if against and not against.isdigit():
            raise Http404
        if against:
            old = get_object_or_404(others, pk=against)
        else:
            old = new.based_on or others.filter(number__lt=new.number).order_by("-number").first()
        context.update(new=new, others=others, diff=selectors.catalog_diff(old=old, new=new) if old else None)
        return context


class MeasureListCreateView(SubmitOnceMixin, CatalogStaffMixin, FormView):
    form_class = MeasureListCreateForm
    template_name = "creditportal/form.html"
    extra_context = {"title": gettext_lazy("New measures list")}

    def form_valid(self, form):
        data = form.cleaned_data
        measure_list = services.measure_list_create(
            actor=self.request.user,
            jurisdiction=settings.CREDIT_JURISDICTION,
            kind=data["kind"],
            scope=data["scope"],
            title=data["title"],
            reason=data["reason"],
            copy_published=data["copy_published"],
        )
        return redirect("measure_list_detail", pk=measure_list.pk)


class MeasureListDetailView(CatalogStaffMixin, TemplateView):
    template_name = "catalog/measure_list_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure_list = get_object_or_404(MeasureList, pk=self.kwargs["pk"])
        context.update(
            measure_list=measure_list,
            measures=measure_list.entries().order_by("code"),
            acts=workflow.PUBLISHED_LIST.offered(measure_list, actor=self.request.user),
            act_form=ActForm(),
        )
        return context


class MeasureCreateView(SubmitOnceMixin, CatalogStaffMixin, FormView):
    form_class = MeasureForm
    template_name = "creditportal/form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New measure"), back_url=("measure_list_detail", self.kwargs["pk"]), **kwargs
        )

    def form_valid(self, form):
        measure_list = get_object_or_404(MeasureList, pk=self.kwargs["pk"])
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"reason", "expected_version"}}
        try:
            services.measure_save(
                actor=self.request.user, measure_list=measure_list, data=data, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return redirect("measure_list_detail", pk=measure_list.pk)


class StandardFormView(SubmitOnceMixin, CatalogStaffMixin, FormView):
    form_class = StandardForm
    template_name = "creditportal/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.standard = get_object_or_404(DesignationStandard, pk=kwargs["pk"]) if "pk" in kwargs else None
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"expected_version": self.standard.row_version} if self.standard else {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.standard, "jurisdiction": settings.CREDIT_JURISDICTION}

    def get_context_data(self, **kwargs):
        title = (
            _("Edit standard %(code)s") % {"code": self.standard.code}
            if self.standard
            else _("New designation standard")
        )
        back = ("standard_detail", self.standard.pk) if self.standard else None
        return super().get_context_data(title=title, back_url=back, **kwargs)

    def form_valid(self, form):
        data = {
            k: v for k, v in form.cleaned_data.items() if k not in {"reason", "allowed_measures", "expected_version"}
        }
        try:
            standard = services.standard_save(
                actor=self.request.user,
                data=data,
                reason=form.cleaned_data["reason"],
                standard=self.standard,
                expected_version=form.cleaned_data["expected_version"],
                allowed_measures=list(form.cleaned_data["allowed_measures"]),
                jurisdiction=settings.CREDIT_JURISDICTION,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return redirect("standard_detail", pk=standard.pk)


class StandardDetailView(CatalogStaffMixin, TemplateView):
    template_name = "catalog/standard_detail.html"

    def get_context_data(self, **kwargs):
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


class StandardActView(CatalogActView):
    """Open public comment, publish or withdraw a standard (R-CAT-6)."""

    model = DesignationStandard
    workflow = workflow.STANDARD

    @property
    def page_view(self):
        return StandardDetailView

    def perform(self, data) -> str:
        services.standard_transition(
            standard=self.obj,
            name=self.kwargs["act"],
            actor=self.request.user,
            reason=data["reason"],
            expected_version=data.get("expected_version"),
        )
        return reverse("standard_detail", args=[self.obj.pk])
