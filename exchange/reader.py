"""Reading a providing unit's file of credit records row by row, in constant memory (issue 23).

CSV (UTF-8, with or without a byte-order mark), XLSX (the first sheet, read-only mode: openpyxl streams its XML)
and JSON Lines (one object per line). The first CSV/XLSX row names the columns, by their Chinese header
(记录编号 …) or their code (``provider_key`` …); JSON Lines objects use the codes. Each row comes out as
``(row number, {code: text}, bytes read so far)``: the row number is the one a person sees in the file (the
header is row 1), so the error report points at it.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import FileFormat

XLSX_MAGIC = b"PK\x03\x04"
#: The language of a file's headers (the pages' language, whatever the uploader's).
FILE_LANGUAGE = "zh-hans"


@dataclass(frozen=True)
class Column:
    code: str
    label: Promise
    required: bool = False


COLUMNS = (
    Column("provider_key", _("Provider's record key"), required=True),
    Column("subject_kind", _("Subject kind"), required=True),
    Column("subject_name", _("Subject name"), required=True),
    Column("id_type", _("Identifier type")),
    Column("identifier", _("Identifier"), required=True),
    Column("catalog_item", _("Catalog item code"), required=True),
    Column("summary", _("Summary"), required=True),
    Column("determined_on", _("Determination date"), required=True),
    Column("conduct_ended_on", _("Conduct ended on")),
    Column("basis_type", _("Basis document type")),
    Column("basis_number", _("Basis document number")),
    Column("basis_authority", _("Issuing authority")),
    Column("basis_effective_on", _("Basis document effective on")),
    Column("simplified_procedure", _("Simplified procedure")),
)
CODES = tuple(c.code for c in COLUMNS)

#: A people's court's Judgment Defaulters List (R-DES-8): one entry per row.
DEFAULTER_COLUMNS = (
    Column("list_reference", _("Judgment Defaulters List entry"), required=True),
    Column("court", _("Court"), required=True),
    Column("judgment_number", _("Court document number"), required=True),
    Column("judgment_effective_on", _("Court document effective on"), required=True),
    Column("subject_kind", _("Subject kind"), required=True),
    Column("subject_name", _("Subject name"), required=True),
    Column("id_type", _("Identifier type")),
    Column("identifier", _("Identifier"), required=True),
    Column("facts", _("Facts")),
)


def columns_of(kind: str) -> tuple[Column, ...]:
    return DEFAULTER_COLUMNS if kind == "defaulters" else COLUMNS


class FileRefused(ValueError):
    """The file as a whole cannot be read (format, header): nothing is imported; the message is for the user."""


def column_label(code: str) -> str:
    for column in (*COLUMNS, *DEFAULTER_COLUMNS):
        if column.code == code:
            return str(column.label)
    return code


def header_row(columns: tuple[Column, ...] = COLUMNS) -> list[str]:
    """The header of a CSV or XLSX file, in the file language."""
    with translation.override(FILE_LANGUAGE):
        return [str(c.label) for c in columns]


def _header_names(columns: tuple[Column, ...]) -> dict[str, str]:
    names = {}
    for language in (FILE_LANGUAGE, "en"):
        with translation.override(language):
            names.update({str(c.label).strip().lower(): c.code for c in columns})
    names.update({c.code: c.code for c in columns})
    return names


def detect_format(name: str, head: bytes) -> str:
    """The file's format from its content first, then its name."""
    lowered = name.lower()
    if head.startswith(XLSX_MAGIC):
        return FileFormat.XLSX
    if lowered.endswith((".jsonl", ".ndjson", ".json")) or head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{"):
        return FileFormat.JSONL
    if lowered.endswith((".csv", ".txt")) or head:
        return FileFormat.CSV
    raise FileRefused(str(_("The file is empty.")))


def _codes_of(header: list, columns: tuple[Column, ...]) -> list[str | None]:
    names = _header_names(columns)
    codes = [names.get(str(cell or "").strip().lower()) for cell in header]
    missing = [c for c in columns if c.required and c.code not in codes]
    if missing:
        raise FileRefused(
            str(_("The header row lacks these columns: %(columns)s. Download the template to see them."))
            % {"columns": "、".join(str(c.label) for c in missing)}
        )
    return codes


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _CountingReader(io.RawIOBase):
    """Counts the bytes read from the stored file (the progress bar's numerator)."""

    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        self.count += len(data)
        buffer[: len(data)] = data
        return len(data)


def read_rows(file, fmt: str, columns: tuple[Column, ...] = COLUMNS) -> Iterator[tuple[int, dict[str, str], int]]:
    """Rows of ``file`` (a binary file opened at its start) as ``(row number, {code: text}, bytes read)``."""
    counter = _CountingReader(file)
    if fmt == FileFormat.XLSX:
        yield from _xlsx_rows(counter, columns)
    elif fmt == FileFormat.JSONL:
        yield from _jsonl_rows(counter, columns)
    else:
        yield from _csv_rows(counter, columns)


def _csv_rows(counter: _CountingReader, columns: tuple[Column, ...]):
    stream = io.TextIOWrapper(io.BufferedReader(counter, 1 << 16), encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            raise FileRefused(str(_("The file is empty.")))
        codes = _codes_of(header, columns)
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            yield number, {code: cell.strip() for code, cell in zip(codes, cells, strict=False) if code}, counter.count
    except UnicodeDecodeError:
        raise FileRefused(str(_("The file is not UTF-8 text. Save it as CSV (UTF-8) and send it again."))) from None
    except csv.Error as error:
        raise FileRefused(str(_("The CSV file cannot be read: %(error)s")) % {"error": error}) from None


def _jsonl_rows(counter: _CountingReader, columns: tuple[Column, ...]):
    stream = io.BufferedReader(counter, 1 << 16)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    for number, line in enumerate(stream, start=1):
        try:
            text = decoder.decode(line).strip()
        except UnicodeDecodeError:
            raise FileRefused(str(_("Line %(line)s is not UTF-8 text.")) % {"line": number}) from None
        if not text:
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            yield number, {"__error__": str(_("This line is not a JSON object."))}, counter.count
            continue
        if not isinstance(data, dict):
            yield number, {"__error__": str(_("This line is not a JSON object."))}, counter.count
            continue
        yield number, {c.code: _text(data.get(c.code)) for c in columns}, counter.count


def _xlsx_rows(counter: _CountingReader, columns: tuple[Column, ...]):
    import zipfile

    from openpyxl import load_workbook

    # openpyxl needs a seekable file: the stored file is one; the counter reports what the zip reader consumed.
    raw = counter.raw
    try:
        workbook = load_workbook(raw, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRefused(str(_("The file is not a readable XLSX workbook."))) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise FileRefused(str(_("The file is empty.")))
        codes = _codes_of(list(header), columns)
        for number, cells in enumerate(rows, start=2):
            if not any(cell not in (None, "") for cell in cells):
                continue
            values = {code: _text(cell) for code, cell in zip(codes, cells, strict=False) if code}
            yield number, values, raw.tell()
    finally:
        workbook.close()
