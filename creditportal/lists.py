"""The list pattern every list follows: scoped, filtered (django-filter), sorted, paged, exported.

Pages never COUNT(*) the rows: a page fetches one row more than it shows to know whether a next page
exists, and the page range is bounded (PORTAL_MAX_PAGES) so deep offsets stay cheap. Past that, the
user narrows the filter; exports give the full filtered set.

The total a list shows is exact when it is small and an estimate at scale (:func:`list_total`): known
without a query when every row fits on the pages seen, else a count bounded at PORTAL_EXACT_COUNT_LIMIT + 1
rows, else PostgreSQL's planner estimate of the filtered query ("about N").
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import django_filters
from django.conf import settings
from django.contrib import messages
from django.db import connections
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from django_stubs_ext import StrOrPromise

from .access import label_of, page_name, record_exported, record_listed
from .audit import record_event
from .db_router import ReplicaReadMixin, reporting_database
from .masking import RESIDENT_NUMBER, masked_filters
from .permissions import ScopedViewMixin, department_ids_for, scope_queryset, scoped_page
from .sealed_search import lost, seal, unsealed


class PageNumbers:
    """The previous and next page's numbers of a page whose ``number`` is known (a list's, a deadline group's)."""

    number: int

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


@dataclass
class BoundedPage(PageNumbers):
    """One page of a list whose total is not counted."""

    rows: list
    number: int
    has_next: bool
    max_pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def at_limit(self) -> bool:
        """The last page the list offers, although more rows match: narrow the filter or export."""
        return self.number >= self.max_pages and self.has_next


def page_number(request) -> int:
    """The page asked for (``?page=``), within 1 .. PORTAL_MAX_PAGES; anything else is the first."""
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        number = 1
    return min(max(number, 1), settings.PORTAL_MAX_PAGES)


def bounded_page(fetch, number: int) -> tuple[BoundedPage, int | None]:
    """Page ``number`` of a list: ``fetch(offset, limit)`` returns the rows from ``offset``, one more than a page
    (whether a next page exists, without counting). Returns the page and, when the page reached the end, how many
    rows the list has (so its total needs no query)."""
    size = settings.PORTAL_PAGE_SIZE
    rows = list(fetch((number - 1) * size, size + 1))
    page = BoundedPage(rows=rows[:size], number=number, has_next=len(rows) > size, max_pages=settings.PORTAL_MAX_PAGES)
    seen = (number - 1) * size + len(page.rows) if not page.has_next and (page.rows or number == 1) else None
    return page, seen


def public_page(request, filterset) -> dict:
    """A public page's list (issue 22): no scope (what is published is public), the filter's rows in its
    queryset's order, paged as every list is; nothing listed while the filter is refused. The template's
    context: ``filter``, ``page``, ``total``, ``as_of`` and ``query`` (the filter without the page)."""
    number = page_number(request)
    valid = filterset.is_valid()
    page, seen = bounded_page(lambda offset, limit: filterset.qs[offset : offset + limit] if valid else [], number)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": filterset,
        "page": page,
        "total": list_total(filterset.qs, seen=seen) if valid else None,
        "as_of": filterset.moment,
        "query": query.urlencode(),
    }


@dataclass(frozen=True)
class Total:
    """How many rows a list has: exact, or the planner's estimate when there are too many to count."""

    count: int
    exact: bool


def exact_count_limit() -> int:
    return getattr(settings, "PORTAL_EXACT_COUNT_LIMIT", 10_000)


def planner_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows ``queryset`` returns (EXPLAIN, nothing executed); None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def list_total(queryset: QuerySet, *, seen: int | None = None) -> Total:
    """The total of a filtered, scoped list: ``seen`` when the pages already hold every row; else an exact
    count when it is at most PORTAL_EXACT_COUNT_LIMIT (a count over a slice, so it reads no more rows than
    that); else the planner's estimate, never below what was counted."""
    if seen is not None:
        return Total(seen, exact=True)
    limit = exact_count_limit()
    counted = queryset.order_by().values("pk")[: limit + 1].count()
    if counted <= limit:
        return Total(counted, exact=True)
    estimate = planner_estimate(queryset)
    return Total(max(estimate or 0, counted), exact=False)


@dataclass(frozen=True)
class Column:
    """A column of a list and its export: a label and a dotted attribute path (or a callable)."""

    label: StrOrPromise
    attr: str
    sort: str | None = None

    def value(self, row):
        value = row
        for part in self.attr.split("."):
            value = getattr(value, part, None)
            if callable(value):
                value = value()
            if value is None:
                return ""
        return value


#: Said when a page's sealed search is no longer in the session (``creditportal.sealed_search.lost``).
SEALED_LOST = gettext_lazy(
    "This search has expired (identity numbers are not kept in the address): type the number again and filter."
)


class ScopedListMixin(ScopedViewMixin):
    """Filtering, sorting and the scope, shared by the list page and its export."""

    filterset_class: type[django_filters.FilterSet]
    columns: tuple[Column, ...] = ()
    default_ordering = "-pk"
    select_related: tuple[str, ...] = ()
    #: The row's credit subject (``"pk"`` for the subjects themselves, ``"subject_id"`` for their cases): each
    #: subject listed or exported goes into the access log (R-SEC-3, ``creditportal.access``); None for rows of
    #: no subject.
    access_subject_path: str | None = None
    #: Filters that take an identity number: posted, kept in the session, never in the URL
    #: (``creditportal.sealed_search``).
    sealed_params: tuple[str, ...] = ()

    def filter_data(self):
        """The filters asked for: the query string, with the sealed values put back."""
        return unsealed(self.request, self.sealed_params) if self.sealed_params else self.request.GET

    def access_fields(self) -> list[str]:
        return [c.attr for c in self.columns]

    def base_queryset(self) -> QuerySet:
        """The rows the filter narrows (before the scope): the model's, with ``select_related``."""
        return self.get_scope_model()._default_manager.select_related(*self.select_related)

    def get_filterset(self):
        return self.filterset_class(self.filter_data(), queryset=self.base_queryset(), request=self.request)

    def get_ordering_param(self) -> str:
        allowed = {c.sort for c in self.columns if c.sort}
        allowed |= {f"-{s}" for s in list(allowed)}
        value = self.request.GET.get("sort", "")
        return value if value in allowed else self.default_ordering

    def get_ordering(self) -> list[str]:
        first = self.get_ordering_param()
        tiebreak = "-pk" if first.startswith("-") else "pk"
        return [first] if first.lstrip("-") == "pk" else [first, tiebreak]


class ScopedListView(ScopedListMixin, TemplateView):
    """A scoped, filtered, sorted list with bounded pagination and export links."""

    def _department_may(self, action: str) -> bool:
        meta = self.get_scope_model()._meta
        return bool(department_ids_for(self.request.user, f"{meta.app_label}.{action}_{meta.model_name}"))

    template_name = "creditportal/list.html"
    title: StrOrPromise = ""
    create_url_name: str | None = None
    export_url_name: str | None = None
    detail_url_name: str | None = None

    def post(self, request, *args, **kwargs):
        """The filter form of a list with sealed filters posts (``sealed_params``): back to the list, the number
        kept in the session."""
        if not self.sealed_params:
            return HttpResponseNotAllowed(["GET"])
        return seal(request, self.sealed_params)

    def get_page_number(self) -> int:
        return page_number(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        number = self.get_page_number()
        sealed_lost = bool(self.sealed_params) and lost(self.request)
        listed = filterset.is_valid() and not sealed_lost
        page, seen = bounded_page(
            lambda offset, limit: (
                scoped_page(self.request.user, filterset.qs, ordering=self.get_ordering(), offset=offset, limit=limit)
                if listed
                else []
            ),
            number,
        )
        if self.access_subject_path and page.rows:
            record_listed(
                self.request,
                [(getattr(row, self.access_subject_path), row.department_id, label_of(row)) for row in page.rows],
                page=page_name(self.request),
                fields=self.access_fields(),
            )
        total = None
        if filterset.is_valid():
            # The last page, reached: the rows before it and on it are all there are (no query).
            total = list_total(scope_queryset(self.request.user, filterset.qs), seen=seen)
        query = self.request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        context.update(
            title=self.title,
            filter=filterset,
            page=page,
            total=total,
            columns=self.columns,
            current_sort=self.get_ordering_param(),
            query=query.urlencode(),
            sort_query=sort_query.urlencode(),
            # No button a role cannot use (issue 16): "New" for those who may add the model, the extra link (a
            # work queue) for those who may change it; the auditor, who reads, sees neither.
            create_url_name=self.create_url_name if self._department_may("add") else None,
            extra_link_allowed=self._department_may("change"),
            export_url_name=self.export_url_name,
            filter_posts=bool(self.sealed_params),
            sealed_lost=SEALED_LOST if sealed_lost else "",
            detail_url_name=self.detail_url_name,
        )
        return context


class ScopedExportView(ScopedListMixin, View):
    """The filtered list as CSV (streamed) or XLSX; the export itself is registered (R-SEC-3)."""

    filename = "export"
    export_action = ""

    formats = ("csv", "xlsx")

    def get(self, request, fmt: str):
        if fmt not in self.formats:
            raise Http404
        filterset = self.get_filterset()
        if not filterset.is_valid():
            return HttpResponse(_("The filter is not valid: correct it on the list page first."), status=400)
        if self.sealed_params and lost(request):
            return HttpResponse(SEALED_LOST, status=400)
        # Exports read from the read replica when one is configured (creditportal.db_router; the scope is the same)
        queryset = scope_queryset(request.user, filterset.qs).order_by(*self.get_ordering()).using(reporting_database())
        queryset = queryset[: settings.PORTAL_EXPORT_MAX_ROWS]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if self.access_subject_path:
            record_exported(
                request,
                queryset,
                subject_path=self.access_subject_path,
                page=page_name(request),
                fields=self.access_fields(),
            )
        record_event(
            action=self.export_action,
            actor=request.user,
            data={"format": fmt, "filters": masked_filters(self.filter_data())},
        )
        headers = [force_str(c.label) for c in self.columns]
        rows = ([_cell(c.value(row)) for c in self.columns] for row in queryset.iterator(chunk_size=2000))
        if fmt == "xlsx":
            return _xlsx_response(headers, rows, f"{self.filename}-{stamp}.xlsx")
        return csv_response(headers, rows, f"{self.filename}-{stamp}.csv")


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return force_str(value)


def safe_text(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell never starts with = + - @ as code."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(headers, rows: Iterator[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # BOM, so spreadsheet programs read the Chinese text as UTF-8
        yield writer.writerow(headers)
        for row in rows:
            yield writer.writerow([safe_text(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_response(headers, rows: Iterator[list], filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    header_cells = []
    for label in headers:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_text_cell(sheet, v) for v in row])
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    workbook.save(response)
    return response


def _text_cell(sheet, value: str):
    """A cell stored as text: nothing a user typed is evaluated as a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


class PublicListView(ReplicaReadMixin, TemplateView):
    """A public page's list (issue 22; no sign-in): a ``PublicSearchFilterSet`` over a publication ledger, paged
    as every list is (``public_page``). A natural person's identity number typed into the search is not searched,
    nor kept in the page's address or echoed back (R-DIS-4; issue 21): the list again without it, saying why."""

    filterset_class: type
    url_name = ""

    def get_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if RESIDENT_NUMBER.search(request.GET.get("q", "")):
            messages.info(
                request,
                _("The public list is not searched by a natural person's identity number: search the name instead."),
            )
            query = request.GET.copy()
            query.pop("q")
            query.pop("page", None)
            return redirect(f"{reverse(self.url_name)}?{query.urlencode()}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(public_page(self.request, self.filterset_class(self.request.GET, queryset=self.get_queryset())))
        return context
