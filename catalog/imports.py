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
from dataclasses import dataclass, field

from django import forms
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


# --- one form per row type: the columns, how each is read, and the messages (translated like every form's) ---

class CodeField(forms.ChoiceField):
    """One of a choice list's codes, as the file writes it; a wrong code is answered with the codes allowed."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices=choices.choices, **kwargs)

    def validate(self, value):
        if value and not self.valid_value(value):
            allowed = ", ".join(sorted(str(code) for code, _label in self.choices))
            raise ValidationError(_("“%(value)s” is not one of: %(allowed)s."), code="invalid_choice",
                                  params={"value": value, "allowed": allowed})
        super().validate(value)


class YesNoField(forms.Field):
    """yes/no, true/false, 1/0, 是/否; empty is no."""

    YES, NO = {"1", "true", "yes", "y", "是"}, {"", "0", "false", "no", "n", "否"}

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        lowered = (value or "").strip().lower()
        if lowered in self.YES:
            return True
        if lowered in self.NO:
            return False
        raise ValidationError(_("“%(value)s” is not yes or no."), code="invalid", params={"value": value})


def _text(required: bool = True) -> forms.CharField:
    # Kept as written (no stripping): the model's own checks judge length, as for the item form.
    return forms.CharField(required=required, strip=False)


def _months(required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(required=required, min_value=0)


def _date() -> forms.DateField:
    return forms.DateField(required=False, input_formats=["%Y-%m-%d"],
                           error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD.")})


class ImportRowForm(forms.Form):
    """One data row of an import file, bound to its ``{column: text}``. The form's fields are the file's columns,
    in the order an export writes them; every error is reported with its row and column."""

    def __init__(self, row: dict[str, str]):
        super().__init__(data=row)
        for column in self.fields.values():
            column.error_messages["required"] = gettext_lazy("This column is required.")

    @classmethod
    def columns(cls) -> list[str]:
        return list(cls.base_fields)


class CatalogItemRow(ImportRowForm):
    """A catalog item (R-CAT-2: its attributes; the model and the profile judge the rest)."""

    code = _text()
    name = _text()
    conduct = _text()
    category = CodeField(CatalogCategory)
    providing_department = forms.ModelChoiceField(
        queryset=Department.objects.all(), to_field_name="code",
        error_messages={"invalid_choice": gettext_lazy("No department has the code “%(value)s”.")})
    data_source = _text()
    character = CodeField(Character)
    disclosure_mode = CodeField(DisclosureMode)
    display_min_months = _months()
    display_max_months = _months()
    update_frequency = _text()
    legal_basis = _text()
    personal_information = YesNoField()
    is_untrustworthy = YesNoField()
    is_administrative_punishment = YesNoField()
    sector = CodeField(Sector, required=False)
    prohibited_category = CodeField(ProhibitedCategory, required=False)
    consent_category = CodeField(ConsentCategory, required=False)


class MeasureRow(ImportRowForm):
    """A measure of a measures list (R-CAT-7: with its legal clause)."""

    code = _text()
    text = _text()
    legal_clause = _text()
    max_duration_months = _months(required=False)


class StandardRow(ImportRowForm):
    """A designation standard; ``allowed_measures`` lists measure codes separated by ";" (R-CAT-6, R-CAT-7)."""

    code = _text()
    title = _text()
    sector = _text()
    serious_category = CodeField(SeriousCategory)
    conduct_criteria = _text()
    legal_basis = _text()
    allowed_measures = _text()
    removal_conditions = _text()
    removal_procedure = _text()
    remedies = _text()
    comment_starts_on = _date()
    comment_ends_on = _date()


def _parse(rows, row_form: type[ImportRowForm], report: ImportReport) -> list[dict]:
    """Each row through ``row_form``: the values that parsed (a column in error is left out), every error reported."""
    parsed = []
    if rows:
        for name in sorted(set(rows[0]) - set(row_form.columns())):
            report.add(0, name, gettext_lazy("Unknown column: remove it or check its spelling."))
    for index, row in enumerate(rows, start=1):
        form = row_form(row)
        form.is_valid()
        for column, messages in form.errors.items():
            report.add(index, column, " ".join(messages))
        parsed.append(form.cleaned_data)
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


def _read(file, fmt: str, row_form: type[ImportRowForm], dry_run: bool) -> tuple[ImportReport, list[dict]]:
    """Parse every row of the file with ``row_form``; duplicate codes are errors too."""
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(file, fmt)
    report.rows = len(rows)
    parsed = _parse(rows, row_form, report)
    _duplicates(parsed, report)
    return report, parsed


def import_catalog_items(*, actor, version: CatalogVersion, file, fmt: str, dry_run: bool, reason: str) -> ImportReport:
    """Add the file's items to a draft catalog version (R-CAT-1, R-CAT-2)."""
    report, parsed = _read(file, fmt, CatalogItemRow, dry_run)
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
    report, parsed = _read(file, fmt, MeasureRow, dry_run)
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
    report, parsed = _read(file, fmt, StandardRow, dry_run)
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


def _render(columns: list[str], rows: list[dict], fmt: str) -> bytes:
    """CSV or JSON of the rows; a cell that a spreadsheet would run as a formula is neutralised in both (the
    JSON is opened in spreadsheets too), as every other export does."""
    rows = [{name: safe_text(value) for name, value in row.items()} for row in rows]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_catalog(*, version: CatalogVersion, fmt: str) -> bytes:
    items = version.items.select_related("providing_department").order_by("code")
    columns = CatalogItemRow.columns()
    rows = [{name: _serialise(getattr(item, name)) for name in columns} for item in items]
    return _render(columns, rows, fmt)


def export_measures(*, measure_list: MeasureList, fmt: str) -> bytes:
    columns = MeasureRow.columns()
    rows = [{name: _serialise(getattr(m, name, None)) for name in columns}
            for m in measure_list.entries().order_by("code")]
    return _render(columns, rows, fmt)


def export_standards(*, standards, fmt: str) -> bytes:
    columns, rows = StandardRow.columns(), []
    for standard in standards:
        row = {name: _serialise(getattr(standard, name, None)) for name in columns}
        row["allowed_measures"] = ";".join(m.code for m in standard.allowed_measures.order_by("code"))
        rows.append(row)
    return _render(columns, rows, fmt)
