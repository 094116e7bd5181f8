"""Load catalog versions, measure lists and standards from the CSV or JSON files the national level sends,
and export published ones in the same formats.

An import is all or nothing: every row is checked first (a dry run reports every error by row and column and
writes nothing); the real run writes only when no row has an error.
"""
from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditportal.lists import safe_text
from creditportal.models import Department

from . import services
from .choices import (
    CatalogCategory,
    Character,
    ConsentCategory,
    DisclosureMode,
    ProhibitedCategory,
    PublicationStatus,
    Sector,
    SeriousCategory,
)
from .models import CatalogItem, CatalogVersion, DesignationStandard, MeasureList, PunishmentMeasure

MAX_ROWS = 5000
#: Formula-neutralised cells start with this quote (``creditportal.lists.safe_text``); an import removes it again
#: so that an export re-imports unchanged.
_FORMULA_QUOTE = "'"
_FORMULA_STARTS = "=+-@\t\r"


@dataclass
class RowError:
    row: int  # 1 = the first data row (the header is row 0)
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: int = 0
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message) -> None:
        self.errors.append(RowError(row, column, str(message)))


# --- parsing ----------------------------------------------------------------------------------------------

def read_rows(file, fmt: str) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, with or without BOM) or JSON (a list of objects) file, as dicts of strings."""
    raw = file.read()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")) from None
    if fmt == "json":
        rows = _json_rows(raw)
    elif fmt == "csv":
        reader = csv.DictReader(io.StringIO(raw))
        rows = [{(k or "").strip(): (v or "").strip() for k, v in r.items()} for r in reader]
    else:
        raise ValidationError(_("Choose CSV or JSON."))
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("At most %(max)d rows per file.") % {"max": MAX_ROWS})
    return [{k: _unquote_formula(v) for k, v in row.items()} for row in rows]


def _json_rows(raw: str) -> list[dict[str, str]]:
    """A list of flat objects (or an object holding that list under rows/items/measures/standards).

    A value is text, a number, yes/no, null, or a list of those (joined with ";"). Anything nested deeper is
    refused with a message, never passed on: a file of thousands of nested brackets would otherwise exhaust
    Python's recursion limit (an HTTP 500).
    """
    too_deep = ValidationError(
        _("The JSON file is nested too deeply: an import is a list of objects, one per row, whose values are "
          "text, numbers, yes/no or lists of those."), code="too_deep")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValidationError(_("The file is not valid JSON (line %(line)d: %(msg)s).")
                              % {"line": error.lineno, "msg": error.msg}) from None
    except RecursionError:
        raise too_deep from None
    if isinstance(data, dict):
        data = data.get("rows") or data.get("items") or data.get("measures") or data.get("standards")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ValidationError(_("A JSON import is a list of objects, one per row."))
    rows = []
    for row in data:
        values = {}
        for key, value in row.items():
            if isinstance(value, list) and all(_is_scalar(v) for v in value):
                value = ";".join("" if v is None else str(v) for v in value)
            elif not _is_scalar(value):
                raise too_deep
            values[str(key)] = "" if value is None else str(value)
        rows.append(values)
    return rows


def _is_scalar(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _unquote_formula(value: str) -> str:
    """Undo the export's formula neutralisation ('=… back to =…), so an export re-imports unchanged."""
    if len(value) > 1 and value[0] == _FORMULA_QUOTE and value[1] in _FORMULA_STARTS:
        return value[1:]
    return value


Parser = Callable[[str], object]


def _choice(choices) -> Parser:
    values = {v for v, _label in choices.choices}

    def parse(value: str):
        if value not in values:
            raise ValidationError(_("“%(value)s” is not one of: %(allowed)s.")
                                  % {"value": value, "allowed": ", ".join(sorted(values))})
        return value
    return parse


def _optional_choice(choices) -> Parser:
    inner = _choice(choices)
    return lambda value: inner(value) if value else ""


def _int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
    if number < 0:
        raise ValidationError(_("A negative number is not allowed."))
    return number


def _optional_int(value: str):
    return _int(value) if value else None


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "y", "是"}:
        return True
    if lowered in {"", "0", "false", "no", "n", "否"}:
        return False
    raise ValidationError(_("“%(value)s” is not yes or no.") % {"value": value})


def _date(value: str):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}) from None


def _text(value: str) -> str:
    return value


def _department(value: str):
    department = Department.objects.filter(code=value).first()
    if department is None:
        raise ValidationError(_("No department has the code “%(value)s”.") % {"value": value})
    return department


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = True


ITEM_COLUMNS = (
    Column("code", _text), Column("name", _text), Column("conduct", _text),
    Column("category", _choice(CatalogCategory)), Column("providing_department", _department),
    Column("data_source", _text), Column("character", _choice(Character)),
    Column("disclosure_mode", _choice(DisclosureMode)), Column("display_min_months", _int),
    Column("display_max_months", _int), Column("update_frequency", _text), Column("legal_basis", _text),
    Column("personal_information", _bool, False), Column("is_untrustworthy", _bool, False),
    Column("is_administrative_punishment", _bool, False), Column("sector", _optional_choice(Sector), False),
    Column("prohibited_category", _optional_choice(ProhibitedCategory), False),
    Column("consent_category", _optional_choice(ConsentCategory), False),
)
MEASURE_COLUMNS = (Column("code", _text), Column("text", _text), Column("legal_clause", _text),
                   Column("max_duration_months", _optional_int, False))
STANDARD_COLUMNS = (
    Column("code", _text), Column("title", _text), Column("sector", _text),
    Column("serious_category", _choice(SeriousCategory)), Column("conduct_criteria", _text),
    Column("legal_basis", _text), Column("allowed_measures", _text), Column("removal_conditions", _text),
    Column("removal_procedure", _text), Column("remedies", _text),
    Column("comment_starts_on", _date, False), Column("comment_ends_on", _date, False),
)


def _parse(rows, columns, report: ImportReport) -> list[dict]:
    parsed = []
    if rows:
        unknown = set(rows[0]) - {c.name for c in columns}
        for name in sorted(unknown):
            report.add(0, name, gettext_lazy("Unknown column: remove it or check its spelling."))
    for index, row in enumerate(rows, start=1):
        values = {}
        for column in columns:
            raw = row.get(column.name, "")
            if not raw and column.required:
                report.add(index, column.name, gettext_lazy("This column is required."))
                continue
            try:
                values[column.name] = column.parse(raw)
            except ValidationError as error:
                report.add(index, column.name, " ".join(error.messages))
        parsed.append(values)
    return parsed


def _duplicates(parsed, report: ImportReport, key: str = "code") -> None:
    seen: dict[str, int] = {}
    for index, values in enumerate(parsed, start=1):
        code = values.get(key)
        if code in seen:
            report.add(index, key, _("Duplicate of row %(row)d: codes are unique within a version.")
                       % {"row": seen[code]})
        elif code:
            seen[code] = index


def _model_errors(report: ImportReport, index: int, error: ValidationError, skip=frozenset()) -> None:
    if hasattr(error, "error_dict"):
        for column, messages in error.message_dict.items():
            if column in skip:
                continue  # already reported by the parser
            report.add(index, "" if column == "__all__" else column, " ".join(messages))
    else:
        report.add(index, "", " ".join(error.messages))


# --- imports ---------------------------------------------------------------------------------------------

def _write_into_draft(report: ImportReport, parsed: list[dict], *, target, save) -> ImportReport:
    """All or nothing: refuse a target that is not a draft; write every row, in one transaction, only when no
    row has an error and this is not a dry run."""
    if target.status != PublicationStatus.DRAFT:
        report.add(0, "", _("Version %(n)s is not a draft: import into a new draft.") % {"n": target.number})
    if report.ok and not report.dry_run:
        with transaction.atomic():
            for values in parsed:
                save(values)
                report.written += 1
    return report


def _read(file, fmt: str, columns, dry_run: bool) -> tuple[ImportReport, list[dict]]:
    """Parse every row of the file against ``columns``; duplicate codes are errors too."""
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(file, fmt)
    report.rows = len(rows)
    parsed = _parse(rows, columns, report)
    _duplicates(parsed, report)
    return report, parsed


def import_catalog_items(*, actor, version: CatalogVersion, file, fmt: str, dry_run: bool, reason: str) -> ImportReport:
    """Add the file's items to a draft catalog version (R-CAT-1, R-CAT-2)."""
    report, parsed = _read(file, fmt, ITEM_COLUMNS, dry_run)
    existing = set(version.items.values_list("code", flat=True))
    for index, values in enumerate(parsed, start=1):
        if values.get("code") in existing:
            report.add(index, "code", _("The version already has an item with this code."))
        # Check the rest of the row even when a column failed to parse, so every problem is reported at once.
        failed = {e.column for e in report.errors if e.row == index}
        item = CatalogItem(version=version, **{k: v for k, v in values.items() if v is not None})
        try:
            services.catalog_item_validate(item=item, exclude=failed)
        except ValidationError as error:
            _model_errors(report, index, error, skip=failed)
    return _write_into_draft(report, parsed, target=version, save=lambda values: services.catalog_item_save(
        actor=actor, version=version, data=values, reason=reason))


def import_measures(*, actor, measure_list: MeasureList, file, fmt: str, dry_run: bool, reason: str) -> ImportReport:
    """Add the file's measures to a draft measures list (R-CAT-7: each with its legal clause)."""
    report, parsed = _read(file, fmt, MEASURE_COLUMNS, dry_run)
    existing = set(measure_list.entries().values_list("code", flat=True))
    for index, values in enumerate(parsed, start=1):
        if values.get("code") in existing:
            report.add(index, "code", _("The list already has a measure with this code."))
        if measure_list.kind == "punishment" and not values.get("max_duration_months") and \
                not any(e.row == index and e.column == "max_duration_months" for e in report.errors):
            report.add(index, "max_duration_months", _("A punishment measure states its maximum duration (R-CAT-7)."))
    return _write_into_draft(report, parsed, target=measure_list, save=lambda values: services.measure_save(
        actor=actor, measure_list=measure_list, data=values, reason=reason))


def import_standards(*, actor, jurisdiction: str, file, fmt: str, dry_run: bool, reason: str) -> ImportReport:
    """Create the file's standards as drafts; their measures must be on published lists (R-CAT-6, R-CAT-7)."""
    report, parsed = _read(file, fmt, STANDARD_COLUMNS, dry_run)
    published = {m.code: m for m in PunishmentMeasure.objects.filter(
        measure_list__jurisdiction=jurisdiction, measure_list__status=PublicationStatus.PUBLISHED)}
    existing = set(DesignationStandard.objects.filter(jurisdiction=jurisdiction).values_list("code", flat=True))
    measures_by_row = {}
    for index, values in enumerate(parsed, start=1):
        if values.get("code") in existing:
            report.add(index, "code", _("A standard with this code exists already."))
        codes = [c.strip() for c in values.get("allowed_measures", "").split(";") if c.strip()]
        unknown = [c for c in codes if c not in published]
        if unknown:
            report.add(index, "allowed_measures", _("Not on a published measures list: %(codes)s (R-CAT-7).")
                       % {"codes": ", ".join(unknown)})
        measures_by_row[index] = [published[c] for c in codes if c in published]
        start, end = values.get("comment_starts_on"), values.get("comment_ends_on")
        if start and end and end < start:
            report.add(index, "comment_ends_on", _("The comment period cannot end before it starts."))
    if report.ok and not dry_run:
        with transaction.atomic():
            for index, values in enumerate(parsed, start=1):
                data = {k: v for k, v in values.items() if k != "allowed_measures"}
                services.standard_save(actor=actor, data=data, reason=reason, jurisdiction=jurisdiction,
                                       allowed_measures=measures_by_row[index])
                report.written += 1
    return report


# --- exports ---------------------------------------------------------------------------------------------

def _serialise(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Department):
        return value.code
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _render(columns, rows: list[dict], fmt: str) -> bytes:
    """CSV or JSON of the rows; a cell that a spreadsheet would run as a formula is neutralised in both (the
    JSON is opened in spreadsheets too), as every other export does."""
    rows = [{name: safe_text(value) for name, value in row.items()} for row in rows]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[c.name for c in columns])
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_catalog(*, version: CatalogVersion, fmt: str) -> bytes:
    items = version.items.select_related("providing_department").order_by("code")
    rows = [{c.name: _serialise(getattr(item, c.name)) for c in ITEM_COLUMNS} for item in items]
    return _render(ITEM_COLUMNS, rows, fmt)


def export_measures(*, measure_list: MeasureList, fmt: str) -> bytes:
    rows = [{c.name: _serialise(getattr(m, c.name, None)) for c in MEASURE_COLUMNS}
            for m in measure_list.entries().order_by("code")]
    return _render(MEASURE_COLUMNS, rows, fmt)


def export_standards(*, standards, fmt: str) -> bytes:
    rows = []
    for standard in standards:
        row = {c.name: _serialise(getattr(standard, c.name, None)) for c in STANDARD_COLUMNS}
        row["allowed_measures"] = ";".join(m.code for m in standard.allowed_measures.order_by("code"))
        rows.append(row)
    return _render(STANDARD_COLUMNS, rows, fmt)
