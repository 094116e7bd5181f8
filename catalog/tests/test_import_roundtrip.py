"""Import as its users need it (issue 9): export → edit → import updates only the item changed, with history;
XLSX files; the format detected from the file; templates and exports with the pages' Chinese headers and labels,
and the old English column codes still read."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from catalog import imports, services
from catalog.models import CatalogItem
from catalog.tests.test_imports import GOOD_1, GOOD_2, HEADER

pytestmark = pytest.mark.django_db


def _named(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


@pytest.fixture
def draft(drafter, published):
    version = services.catalog_version_create(
        actor=drafter, jurisdiction="HN", title="第二版", based_on=published[0].version, reason="Next version"
    )
    imports.import_catalog_items(
        actor=drafter,
        version=version,
        file=_named(("\n".join([HEADER, GOOD_1, GOOD_2]) + "\n").encode(), "old.csv"),
        fmt=None,
        dry_run=False,
        reason="Load",
    )
    return version


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_export_uses_the_pages_chinese_headers_and_labels(draft):
    rows = _rows(imports.export_catalog(version=draft, fmt="csv"))
    assert rows[0] == imports.CatalogItemRow.headers() and rows[0][:2] == ["编码", "名称"]
    assert "code" not in rows[0] and "display_max_months" not in rows[0]
    deception = next(row for row in rows if row[0] == "HN-09-001")
    assert "公开" in deception and "是" in deception and "public" not in deception and "true" not in deception


def test_export_edit_one_cell_import_changes_only_that_item_with_history(draft, drafter):
    before = {i.code: (i.pk, i.history.count(), i.name) for i in draft.items.all()}
    rows = _rows(imports.export_catalog(version=draft, fmt="csv"))
    name_column = rows[0].index("名称")
    for row in rows[1:]:
        if row[0] == "HN-02-001":
            row[name_column] = "表彰奖励信息（修订）"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    report = imports.import_catalog_items(
        actor=drafter,
        version=draft,
        file=_named(out.getvalue().encode(), "e.csv"),
        fmt=None,
        dry_run=False,
        reason="Renamed one item",
    )
    assert report.ok, report.errors
    assert report.written == 1 and report.unchanged == len(before) - 1
    after = {i.code: (i.pk, i.history.count(), i.name) for i in draft.items.all()}
    assert set(after) == set(before)
    for code, (pk, count, name) in after.items():
        assert pk == before[code][0]
        if code == "HN-02-001":
            assert (count, name) == (before[code][1] + 1, "表彰奖励信息（修订）")
            assert CatalogItem.objects.get(pk=pk).history.first().history_change_reason == "Renamed one item"
        else:
            assert (count, name) == before[code][1:]


def test_xlsx_export_reimports_unchanged_and_its_format_is_detected(draft, drafter):
    content = imports.export_catalog(version=draft, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [
        c.value for c in sheet[1]
    ] == imports.CatalogItemRow.headers() and "名称" in imports.CatalogItemRow.headers()
    other = services.catalog_version_create(actor=drafter, jurisdiction="HN", title="x", reason="x")
    report = imports.import_catalog_items(
        actor=drafter, version=other, file=io.BytesIO(content), fmt=None, dry_run=False, reason="From Excel"
    )  # no name: detected from its bytes
    assert report.ok, report.errors
    fields = services.ITEM_FIELDS
    assert [tuple(getattr(i, f) for f in fields) for i in other.items.order_by("code")] == [
        tuple(getattr(i, f) for f in fields) for i in draft.items.order_by("code")
    ]


def test_an_xlsx_typed_by_hand_with_numbers_is_read(draft, drafter):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    values: list = GOOD_1.replace("HN-09-001", "HN-09-077").split(",")
    values[8], values[9] = 3, 36.0  # Excel stores numbers
    sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    report = imports.import_catalog_items(
        actor=drafter, version=draft, file=_named(out.getvalue(), "x.xlsx"), fmt=None, dry_run=False, reason="x"
    )
    assert report.ok, report.errors
    assert draft.items.get(code="HN-09-077").display_max_months == 36


@pytest.mark.parametrize(
    ("content", "name", "fmt"),
    [
        (b"[]", "a.json", "json"),
        (b'\xef\xbb\xbf[{"code": "x"}]', "", "json"),
        (b"code,name\n", "", "csv"),
        (b"PK\x03\x04rest", "", "xlsx"),
        (b"code\n", "a.CSV", "csv"),
    ],
)
def test_the_format_is_detected_from_the_name_then_the_content(content, name, fmt):
    assert imports.detect_format(_named(content, name)) == fmt


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(draft, drafter):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not an Excel workbook"):
        imports.import_catalog_items(
            actor=drafter, version=draft, file=_named(b"PK\x03\x04broken", "a.xlsx"), fmt=None, dry_run=True, reason="x"
        )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_has_the_export_headers_and_imports_once_filled(client, drafter, draft, fmt):
    client.force_login(drafter)
    response = client.get(reverse("catalog_import_template", args=[fmt]) + "?kind=items")
    assert response.status_code == 200
    if fmt == "csv":
        header = _rows(response.content)[0]
    else:
        header = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert header == imports.CatalogItemRow.headers()
    page = client.get(reverse("catalog_version_import", args=[draft.pk])).content.decode()
    assert reverse("catalog_import_template", args=["xlsx"]) + "?kind=items" in page


def test_the_import_page_detects_the_format_when_none_is_chosen(client, drafter, draft):
    client.force_login(drafter)
    content = imports.export_catalog(version=draft, fmt="xlsx")
    response = client.post(
        reverse("catalog_version_import", args=[draft.pk]),
        {"file": _named(content, "catalog.xlsx"), "format": "", "dry_run": "on", "reason": "Check"},
    )
    html = response.content.decode()
    assert "rows are valid" in html and "rows are the same as in the draft" in html


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_import_is_set_based_the_same_queries_for_30_rows_or_a_whole_batch(drafter, published, dry_run):
    """One query per batch of ``imports.BATCH`` rows, not one per row (a batch more: two queries more)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (30, imports.BATCH):
        draft = services.catalog_version_create(actor=drafter, jurisdiction="HN", title=str(size), reason="x")
        rows = [GOOD_1.replace("HN-09-001", f"HN-77-{n:04d}") for n in range(size)]
        file = _named(("\n".join([HEADER, *rows]) + "\n").encode(), "big.csv")
        with CaptureQueriesContext(connection) as queries:
            report = imports.import_catalog_items(
                actor=drafter, version=draft, file=file, fmt=None, dry_run=dry_run, reason="Bulk"
            )
        assert report.ok and report.written == (0 if dry_run else size)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
    if not dry_run:
        assert (
            CatalogItem.history.filter(code__startswith="HN-77-", history_change_reason="Bulk").count()
            == 30 + imports.BATCH
        )
