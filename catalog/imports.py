"""Load catalog versions, measure lists and standards from the CSV, XLSX or JSON files the national level
sends, and export them in the same formats.

An import is all or nothing: every row is checked first (a dry run reports every error by row and column and
writes nothing); the real run writes only when no row has an error. The format is detected from the file (its
name, then its content). A catalog item whose code the draft already holds is updated, so export → edit →
import round-trips: only the rows that differ are written, in bulk, each with its history row.

CSV and XLSX files are for people: their headers and values are those the pages show, in Chinese (选项的中文
名称, 是/否); the importer reads those and the column codes and value codes too (older files, JSON). JSON is
for systems: column codes and value codes.
"""

from __future__ import annotations

import base64
import copy
import csv
import datetime
import io
import json
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditportal import audit
from creditportal.lists import safe_text
from creditportal.models import Department

from . import services, workflow
from .choices import (
    CatalogCategory,
    Character,
    ConsentCategory,
    DisclosureMode,
    InfoClass,
    ProhibitedCategory,
    PublicationStatus,
    Sector,
    SeriousCategory,
)
from .models import (
    CatalogItem,
    CatalogVersion,
    DesignationStandard,
    MeasureList,
    PunishmentMeasure,
)

MAX_ROWS = 5000
#: Issue 21: what a workbook may unpack to, and how many lines (empty ones included) its first sheet may hold, both
#: checked before or while reading, so that a small file of empty rows cannot hold a worker (an XLSX is a zip).
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_XLSX_LINES = MAX_ROWS + 1000
BATCH = 500
FORMATS = ("csv", "xlsx", "json")
#: The language of the headers and labels of a CSV or XLSX file (the pages' language, whatever the user's).
FILE_LANGUAGE = "zh-hans"
XLSX_MAGIC = b"PK\x03\x04"
#: Formula-neutralised cells start with this quote (``creditportal.lists.safe_text``); an import removes it again
#: so that an export re-imports unchanged.
_FORMULA_QUOTE = "'"
_FORMULA_STARTS = "=+-@\t\r"


def column_label(column: str) -> str:
    """A column as the pages and the files' headers name it (显示期限上限), not its code (display_max_months)."""
    for model in (CatalogItem, PunishmentMeasure, DesignationStandard):
        fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
        if column in fields:
            return str(fields[column].verbose_name)
    return column


@dataclass
class RowError:
    row: int  # 1 = the first data row (the header is row 0)
    column: str
    message: str

    @property
    def label(self) -> str:
        return column_label(self.column) if self.column else ""


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: int = 0
    dry_run: bool = True
    unchanged: int = 0  # rows identical to the entry the draft holds: nothing to write

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message) -> None:
        self.errors.append(RowError(row, column, str(message)))

    @property
    def errors_by_row(self) -> list[RowError]:
        """The problems in the file's order: by row (the header first), then by column as the file has them."""
        return sorted(self.errors, key=lambda error: error.row)

    def error_report(self) -> bytes:
        """The problems as a CSV file (UTF-8 with BOM, opens in Excel): row, column, problem."""
        out = io.StringIO()
        writer = csv.writer(out)
        from creditportal.citations import for_people

        writer.writerow([_("Row"), _("Column"), _("Problem")])
        for error in self.errors_by_row:
            # People read the file: the deployment's articles, never rule ids (creditportal.citations).
            writer.writerow([error.row or _("header"), safe_text(error.label), safe_text(for_people(error.message))])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    @property
    def error_report_href(self) -> str:
        """The error report as a link's address: the file travels with the page, nothing is kept on the server
        (a dry run writes nothing, and the uploaded file is not stored)."""
        return "data:text/csv;charset=utf-8;base64," + base64.b64encode(self.error_report()).decode("ascii")

    def as_json(self) -> dict:
        """Kept on a background job (catalog.jobs) and shown by its page."""
        return {
            "rows": self.rows,
            "written": self.written,
            "dry_run": self.dry_run,
            "unchanged": self.unchanged,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
        }

    @classmethod
    def from_json(cls, data: dict) -> ImportReport:
        return cls(
            rows=data.get("rows", 0),
            written=data.get("written", 0),
            dry_run=data.get("dry_run", True),
            unchanged=data.get("unchanged", 0),
            errors=[RowError(**e) for e in data.get("errors", [])],
        )


#: Told how many rows are checked so far, once per batch (a background job shows it as a progress bar).
Progress = Callable[[int], None]


def _progress(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % BATCH == 0 or done == total):
        progress(done)


# --- parsing ----------------------------------------------------------------------------------------------


def detect_format(file, fmt: str | None = None) -> str:
    """``fmt`` when the user chose one; otherwise from the file's name, then from its first bytes."""
    if fmt:
        return fmt
    name = (getattr(file, "name", "") or "").lower()
    for known in FORMATS:
        if name.endswith("." + known):
            return known
    head = file.read(64)
    file.seek(0)
    if isinstance(head, str):
        head = head.encode("utf-8")
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def count_rows(file, fmt: str | None = None) -> int:
    """How many rows the file holds (to choose between the page and a background job); the file is rewound."""
    try:
        return len(read_rows(file, fmt))
    finally:
        file.seek(0)


def read_rows(file, fmt: str | None = None) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, with or without BOM), XLSX (the first sheet) or JSON (a list of objects) file, as
    dicts of strings. ``fmt`` empty: detected from the file."""
    fmt = detect_format(file, fmt)
    if fmt == "xlsx":
        rows = _xlsx_rows(file)
    elif fmt in ("csv", "json"):
        raw = file.read()
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(_("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")) from None
        if fmt == "json":
            rows = _json_rows(raw)
        else:
            reader = csv.DictReader(io.StringIO(raw))
            rows = [{(k or "").strip(): (v or "").strip() for k, v in r.items()} for r in reader]
    else:
        raise ValidationError(_("Choose CSV, XLSX or JSON."))
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("At most %(max)d rows per file.") % {"max": MAX_ROWS})
    return [{k: _unquote_formula(v) for k, v in row.items()} for row in rows]


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(file) -> list[dict[str, str]]:
    """The first sheet: a header row, then one row per entry (empty rows skipped)."""
    from openpyxl import load_workbook

    _xlsx_budget(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("The file is not an Excel workbook (XLSX) that can be read.")) from None
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = [_xlsx_cell(v) for v in next(lines, ())]
        rows: list[dict[str, str]] = []
        for number, line in enumerate(lines, start=2):
            if number > MAX_XLSX_LINES:
                raise ValidationError(
                    _(
                        "The sheet has more than %(max)d lines, empty ones included: delete the empty rows below the "
                        "data (at most %(rows)d rows per file)."
                    )
                    % {"max": MAX_XLSX_LINES, "rows": MAX_ROWS}
                )
            values = [_xlsx_cell(v) for v in line]
            if not any(values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ValidationError(_("At most %(max)d rows per file.") % {"max": MAX_ROWS})
            rows.append({name: values[i] if i < len(values) else "" for i, name in enumerate(header) if name})
        return rows
    finally:
        workbook.close()


def _xlsx_budget(file) -> None:
    """Refuse a workbook that unpacks to more than ``MAX_XLSX_UNPACKED_BYTES``, from its zip directory alone (nothing
    is decompressed); the file is left at its start."""
    import zipfile

    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise ValidationError(_("The file is not an Excel workbook (XLSX) that can be read.")) from None
    finally:
        file.seek(0)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ValidationError(
            _("The workbook unpacks to %(mb)d MB, more than the %(max)d MB an import may hold.")
            % {"mb": unpacked // (1024 * 1024), "max": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _json_rows(raw: str) -> list[dict[str, str]]:
    """A list of flat objects (or an object holding that list under rows/items/measures/standards).

    A value is text, a number, yes/no, null, or a list of those (joined with ";"). Anything nested deeper is
    refused with a message, never passed on: a file of thousands of nested brackets would otherwise exhaust
    Python's recursion limit (an HTTP 500).
    """
    too_deep = ValidationError(
        _(
            "The JSON file is nested too deeply: an import is a list of objects, one per row, whose values are "
            "text, numbers, yes/no or lists of those."
        ),
        code="too_deep",
    )
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The file is not valid JSON (line %(line)d: %(msg)s).") % {"line": error.lineno, "msg": error.msg}
        ) from None
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

_LABELS_CACHE: dict[tuple[type, str], dict[str, str]] = {}


def _choice_labels(choices: type[models.Choices]) -> dict[str, str]:
    """Every label of a choice list, in the files' language and in English, lower-cased -> its code."""
    key = (choices, translation.get_language() or "")
    if key not in _LABELS_CACHE:
        mapping = {}
        for language in ("en", FILE_LANGUAGE):
            with translation.override(language):
                mapping.update({str(label).strip().lower(): code for code, label in choices.choices})
        _LABELS_CACHE[key] = mapping
    return _LABELS_CACHE[key]


class CodeField(forms.ChoiceField):
    """One of a choice list's codes, as the file writes it, or its label as the page shows it (in Chinese or
    English); a wrong value is answered with the codes allowed."""

    def __init__(self, choices: type[models.Choices], **kwargs):
        self.text_choices = choices
        super().__init__(choices=choices.choices, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return _choice_labels(self.text_choices).get(value.strip().lower(), value) if value else value

    def validate(self, value):
        if value and not self.valid_value(value):
            # the labels a person reads on the pages (and may write in the file), not the stored codes
            separator = "、" if (translation.get_language() or "").startswith("zh") else ", "
            allowed = separator.join(str(label) for _code, label in self.text_choices.choices if _code)
            raise ValidationError(
                _("“%(value)s” is not one of: %(allowed)s."),
                code="invalid_choice",
                params={"value": value, "allowed": allowed},
            )
        super().validate(value)


class YesNoField(forms.Field):
    """yes/no, true/false, 1/0, 是/否; empty is no."""

    YES, NO = {"1", "true", "yes", "y", "是"}, {"", "0", "false", "no", "n", "否"}
    WRITTEN = {True: "是", False: "否"}  # as a CSV or XLSX export writes them

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        lowered = (value or "").strip().lower()
        if lowered in self.YES:
            return True
        if lowered in self.NO:
            return False
        raise ValidationError(_("“%(value)s” is not yes or no."), code="invalid", params={"value": value})


#: The departments an import may name, read once per file (by code and by name): no query per row.
_DEPARTMENTS: ContextVar[dict[str, Department] | None] = ContextVar("import_departments", default=None)


class DepartmentField(forms.Field):
    """A department by its code (as exports write it) or its official name."""

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        known = _DEPARTMENTS.get()
        if known is None:
            department = Department.objects.filter(code=value).first() or Department.objects.filter(name=value).first()
        else:
            department = known.get(value)
        if department is None:
            raise ValidationError(
                _("No department has the code “%(value)s”."), code="invalid_choice", params={"value": value}
            )
        return department


def _text(required: bool = True) -> forms.CharField:
    # Kept as written (no stripping): the model's own checks judge length, as for the item form.
    return forms.CharField(required=required, strip=False)


def _months(required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(required=required, min_value=0)


def _date() -> forms.DateField:
    return forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD.")},
    )


class ImportRowForm(forms.Form):
    """One data row of an import file, bound to its ``{column: text}``. The form's fields are the file's columns,
    in the order an export writes them; every error is reported with its row and column."""

    #: The model whose fields' verbose names label the columns, as on the pages.
    model: type[models.Model] | None = None

    def __init__(self, row: dict[str, str]):
        super().__init__(data=row)
        for column in self.fields.values():
            column.error_messages["required"] = gettext_lazy("This column is required.")

    def rebind(self, row: dict[str, str]) -> ImportRowForm:
        """The same form bound to the next row: building a form copies every field, which costs more than
        reading the row (an import of thousands of rows spent half its time there)."""
        self.data, self._errors = row, None
        return self

    @classmethod
    def columns(cls) -> list[str]:
        return list(cls.base_fields)

    @classmethod
    def label(cls, column: str) -> str:
        """The column's header in a CSV or XLSX file: the field's label on the pages (in the active language)."""
        assert cls.model is not None  # noqa: S101 — every row form names its model
        field = cls.model._meta.get_field(column)
        assert isinstance(field, models.Field)  # noqa: S101 — a column is one of the model's own fields
        return str(field.verbose_name)

    @classmethod
    def headers(cls) -> list[str]:
        """The Chinese headers of a CSV or XLSX export or template, in column order."""
        with translation.override(FILE_LANGUAGE):
            return [cls.label(column) for column in cls.columns()]

    @classmethod
    def header_map(cls) -> dict[str, str]:
        """Every header a file may use for a column -> the column: its code, its Chinese and English labels."""
        mapping = {}
        for column in cls.columns():
            for language in ("en", FILE_LANGUAGE):
                with translation.override(language):
                    mapping[cls.label(column).strip().lower()] = column
            mapping[column.lower()] = column
        return mapping


class CatalogItemRow(ImportRowForm):
    """A catalog item (R-CAT-2: its attributes; the model and the profile judge the rest)."""

    model = CatalogItem
    code = _text()
    name = _text()
    conduct = _text()
    category = CodeField(CatalogCategory)
    providing_department = DepartmentField()
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
    restoration_barred_by = _text(required=False)
    info_class = CodeField(InfoClass, required=False)
    publication_necessary = YesNoField()


class MeasureRow(ImportRowForm):
    """A measure of a measures list (R-CAT-7: with its legal clause)."""

    model = PunishmentMeasure
    code = _text()
    text = _text()
    legal_clause = _text()
    max_duration_months = _months(required=False)


class StandardRow(ImportRowForm):
    """A designation standard; ``allowed_measures`` lists measure codes separated by ";" (R-CAT-6, R-CAT-7)."""

    model = DesignationStandard
    code = _text()
    title = _text()
    sector = _text()
    serious_category = CodeField(SeriousCategory)
    conduct_criteria = _text()
    legal_basis = _text()
    allowed_measures = _text()
    removal_conditions = _text()
    listing_max_months = _months(required=False)
    removal_procedure = _text()
    remedies = _text()
    comment_starts_on = _date()
    comment_ends_on = _date()


def _parse(rows, row_form: type[ImportRowForm], report: ImportReport) -> list[dict]:
    """Each row through ``row_form``: the values that parsed (a column in error is left out), every error reported."""
    parsed = []
    headers = row_form.header_map()
    every_department = list(Department.objects.all())
    departments: dict[str, Department] = {}
    for department in every_department:
        departments.setdefault(department.name, department)
    departments.update({d.code: d for d in every_department})
    token = _DEPARTMENTS.set(departments)
    if rows:
        for name in sorted(n for n in rows[0] if n.strip().lower() not in headers):
            report.add(0, name, gettext_lazy("Unknown column: remove it or check its spelling."))
    form = row_form({})
    for index, row in enumerate(rows, start=1):
        form.rebind({headers[k.strip().lower()]: v for k, v in row.items() if k.strip().lower() in headers})
        form.is_valid()
        for column, messages in form.errors.items():
            report.add(index, column, " ".join(str(message) for message in messages))
        parsed.append(form.cleaned_data)
    _DEPARTMENTS.reset(token)
    return parsed


def _duplicates(parsed, report: ImportReport, key: str = "code") -> None:
    seen: dict[str, int] = {}
    for index, values in enumerate(parsed, start=1):
        code = values.get(key)
        if code in seen:
            report.add(
                index, key, _("Duplicate of row %(row)d: codes are unique within a version.") % {"row": seen[code]}
            )
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


def _read(file, fmt: str | None, row_form: type[ImportRowForm], dry_run: bool) -> tuple[ImportReport, list[dict]]:
    """Parse every row of the file with ``row_form``; duplicate codes are errors too."""
    report = ImportReport(dry_run=dry_run)
    rows = read_rows(file, fmt)
    report.rows = len(rows)
    parsed = _parse(rows, row_form, report)
    _duplicates(parsed, report)
    return report, parsed


def import_catalog_items(
    *,
    actor,
    version: CatalogVersion,
    file,
    fmt: str | None,
    dry_run: bool,
    reason: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Add the file's items to a draft catalog version, and update the items whose code it already holds
    (R-CAT-1, R-CAT-2). Only rows that differ are written: new items in bulk, changed ones in bulk, each with
    its history row; an unchanged row writes nothing."""
    report, parsed = _read(file, fmt, CatalogItemRow, dry_run)
    existing = {item.code: item for item in version.items.select_related("providing_department")}
    new_items: list[CatalogItem] = []
    changed: list[CatalogItem] = []
    changed_fields: set[str] = set()
    for index, values in enumerate(parsed, start=1):
        # Check the rest of the row even when a column failed to parse, so every problem is reported at once.
        failed = {e.column for e in report.errors if e.row == index}
        given = {k: v for k, v in values.items() if v is not None}
        code = values.get("code")  # absent when the column failed to parse
        current = existing.get(code) if code is not None else None
        if current is not None:
            item = copy.copy(current)
            differs = {name for name, value in given.items() if getattr(item, name) != value}
            for name in differs:
                setattr(item, name, given[name])
        else:
            item, differs = CatalogItem(version=version, **given), set()
        try:
            services.catalog_item_validate(item=item, exclude=failed, in_bulk=True)
        except ValidationError as error:
            _model_errors(report, index, error, skip=failed)
        if current is None:
            new_items.append(item)
        elif differs:
            changed.append(item)
            changed_fields |= differs
        _progress(progress, index, len(parsed))
    if version.status != PublicationStatus.DRAFT:
        report.add(0, "", _("Version %(n)s is not a draft: import into a new draft.") % {"n": version.number})
    if report.ok and not report.dry_run:
        report.written = _write_items(
            actor=actor,
            version=version,
            new_items=new_items,
            changed=changed,
            fields=sorted(changed_fields),
            reason=reason,
        )
    report.unchanged = len(parsed) - len(new_items) - len(changed)
    return report


def _bulk_create(objs, *, actor, reason: str):
    return audit.bulk_create_tracked(objs, actor=actor, reason=reason, batch_size=BATCH)


def _bulk_update(objs, fields, *, actor, reason: str):
    return audit.bulk_update_tracked(objs, fields, actor=actor, reason=reason, batch_size=BATCH)


@transaction.atomic
def _write_items(
    *,
    actor,
    version: CatalogVersion,
    new_items: list[CatalogItem],
    changed: list[CatalogItem],
    fields: list[str],
    reason: str,
) -> int:
    """Set-based: the draft locked and checked once, then one INSERT and one UPDATE per batch, history rows in
    bulk (R-SEC-4); one audit event names the codes (the four-eyes check reads it, R-CAT-1)."""
    locked = CatalogVersion.objects.select_for_update().get(pk=version.pk)
    workflow.PUBLISHED_LIST.apply(locked, "edit", actor=actor)
    if changed:
        # lock the rows being changed (evaluated: a lazy queryset would lock nothing)
        list(CatalogItem.objects.select_for_update().filter(pk__in=[item.pk for item in changed]).values_list("pk"))
        _bulk_update(changed, fields, actor=actor, reason=reason)
    if new_items:
        _bulk_create(new_items, actor=actor, reason=reason)
    if new_items or changed:
        audit.tracked_save(locked, actor=actor, reason=reason, validate=False)
        audit.record_event(
            action="catalog.items.imported",
            actor=actor,
            target=locked,
            reason=reason,
            data={"added": [i.code for i in new_items], "changed": [i.code for i in changed]},
        )
    return len(new_items) + len(changed)


def import_measures(
    *,
    actor,
    measure_list: MeasureList,
    file,
    fmt: str | None,
    dry_run: bool,
    reason: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Add the file's measures to a draft measures list (R-CAT-7: each with its legal clause)."""
    report, parsed = _read(file, fmt, MeasureRow, dry_run)
    existing = set(measure_list.entries().values_list("code", flat=True))
    for index, values in enumerate(parsed, start=1):
        if values.get("code") in existing:
            report.add(index, "code", _("The list already has a measure with this code."))
        if (
            measure_list.kind == "punishment"
            and not values.get("max_duration_months")
            and not any(e.row == index and e.column == "max_duration_months" for e in report.errors)
        ):
            report.add(index, "max_duration_months", _("A punishment measure states its maximum duration (R-CAT-7)."))
        _progress(progress, index, len(parsed))
    return _write_into_draft(
        report,
        parsed,
        target=measure_list,
        save=lambda values: services.measure_save(actor=actor, measure_list=measure_list, data=values, reason=reason),
    )


def import_standards(
    *, actor, jurisdiction: str, file, fmt: str | None, dry_run: bool, reason: str, progress: Progress | None = None
) -> ImportReport:
    """Create the file's standards as drafts; their measures must be on published lists (R-CAT-6, R-CAT-7)."""
    report, parsed = _read(file, fmt, StandardRow, dry_run)
    published = {
        m.code: m
        for m in PunishmentMeasure.objects.filter(
            measure_list__jurisdiction=jurisdiction, measure_list__status=PublicationStatus.PUBLISHED
        )
    }
    existing = set(DesignationStandard.objects.filter(jurisdiction=jurisdiction).values_list("code", flat=True))
    measures_by_row = {}
    for index, values in enumerate(parsed, start=1):
        if values.get("code") in existing:
            report.add(index, "code", _("A standard with this code exists already."))
        codes = [c.strip() for c in values.get("allowed_measures", "").split(";") if c.strip()]
        unknown = [c for c in codes if c not in published]
        if unknown:
            report.add(
                index,
                "allowed_measures",
                _("Not on a published measures list: %(codes)s (R-CAT-7).") % {"codes": ", ".join(unknown)},
            )
        measures_by_row[index] = [published[c] for c in codes if c in published]
        start, end = values.get("comment_starts_on"), values.get("comment_ends_on")
        if start and end and end < start:
            report.add(index, "comment_ends_on", _("The comment period cannot end before it starts."))
        _progress(progress, index, len(parsed))
    if report.ok and not dry_run:
        with transaction.atomic():
            for index, values in enumerate(parsed, start=1):
                data = {k: v for k, v in values.items() if k != "allowed_measures"}
                services.standard_save(
                    actor=actor,
                    data=data,
                    reason=reason,
                    jurisdiction=jurisdiction,
                    allowed_measures=measures_by_row[index],
                )
                report.written += 1
    return report


# --- exports ---------------------------------------------------------------------------------------------

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _serialise(value, *, for_people: bool) -> str:
    if isinstance(value, bool):
        return YesNoField.WRITTEN[value] if for_people else ("true" if value else "false")
    if isinstance(value, Department):
        return value.code
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _value(obj, name: str, *, for_people: bool) -> str:
    """A field's value as a file writes it: for people, a choice as the page shows it (in Chinese)."""
    try:
        model_field = obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 — a column that is not a model field (none today)
        model_field = None
    if for_people and model_field is not None and model_field.choices and getattr(obj, name):
        with translation.override(FILE_LANGUAGE):
            return str(getattr(obj, f"get_{name}_display")())
    return _serialise(getattr(obj, name, None), for_people=for_people)


def _render(row_form: type[ImportRowForm], rows: list[dict], fmt: str) -> bytes:
    """CSV, XLSX or JSON of the rows; a cell that a spreadsheet would run as a formula is neutralised in all
    three (the JSON is opened in spreadsheets too), as every other export does. CSV and XLSX carry the Chinese
    headers of the pages, JSON the column codes."""
    columns = row_form.columns()
    rows = [{name: safe_text(value) for name, value in row.items()} for row in rows]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")
    headers = row_form.headers()
    if fmt == "xlsx":
        return _xlsx(headers, [[row[name] for name in columns] for row in rows])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([row[name] for name in columns] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(headers: list[str], rows: list[list[str]]) -> bytes:
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
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text: nothing in a cell is evaluated as a formula
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_catalog(*, version: CatalogVersion, fmt: str) -> bytes:
    items = version.items.select_related("providing_department").order_by("code")
    people = fmt != "json"
    rows = [{name: _value(item, name, for_people=people) for name in CatalogItemRow.columns()} for item in items]
    return _render(CatalogItemRow, rows, fmt)


def export_measures(*, measure_list: MeasureList, fmt: str) -> bytes:
    people = fmt != "json"
    rows = [
        {name: _value(m, name, for_people=people) if hasattr(m, name) else "" for name in MeasureRow.columns()}
        for m in measure_list.entries().order_by("code")
    ]
    return _render(MeasureRow, rows, fmt)


def export_standards(*, standards, fmt: str) -> bytes:
    people, rows = fmt != "json", []
    for standard in standards:
        row = {
            name: _value(standard, name, for_people=people)
            for name in StandardRow.columns()
            if name != "allowed_measures"
        }
        row["allowed_measures"] = ";".join(m.code for m in standard.allowed_measures.order_by("code"))
        rows.append({name: row[name] for name in StandardRow.columns()})
    return _render(StandardRow, rows, fmt)


TEMPLATES = {"items": CatalogItemRow, "measures": MeasureRow, "standards": StandardRow}


def import_template(*, kind: str, fmt: str) -> bytes:
    """A file with the Chinese headers an export writes, to fill in and import; an XLSX explains each column on a
    second sheet (``catalog.import_templates``)."""
    from .import_templates import import_template as template

    return template(kind=kind, fmt=fmt)
