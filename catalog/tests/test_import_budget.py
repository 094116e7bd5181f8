"""Spreadsheets are refused on their size before they are parsed (issue 21, R-SEC-6: a 22 KB file of 150,000 empty
rows held a web worker for 39 s): what the workbook unpacks to, from its zip directory; the sheet's lines, empty ones
included. The refusal says why, in the user's language."""

import io
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from catalog import imports


def _workbook(lines: int) -> io.BytesIO:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["code", "name"])
    for _ in range(lines):
        sheet.append([" ", " "])  # a row that reads empty
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "items.xlsx"
    return buffer


def test_r_sec_6_a_sheet_of_empty_rows_is_refused_without_reading_them_all():
    file = _workbook(150_000)
    assert len(file.getvalue()) < 2_000_000
    started = time.monotonic()
    with pytest.raises(ValidationError, match="empty ones included"):
        imports.read_rows(file)
    assert time.monotonic() - started < 10  # it stops at the budget, not at the end (39 s before)


def test_a_sheet_within_the_budget_is_read():
    file = _workbook(10)
    assert imports.read_rows(file) == []  # ten rows that read empty, and nothing else


def test_r_sec_6_a_workbook_that_unpacks_past_the_budget_is_refused_before_it_is_opened():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (imports.MAX_XLSX_UNPACKED_BYTES + 1))
    buffer.seek(0)
    buffer.name = "bomb.xlsx"
    assert len(buffer.getvalue()) < 1_000_000
    with pytest.raises(ValidationError, match="unpacks to 50 MB"):
        imports.read_rows(buffer)
    assert buffer.tell() == 0
