"""What an import's user is given (issue 16): a template that explains its columns on a second sheet named in
Chinese, the problems in the file's row order, and the problems as a file to download."""

import base64
import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from catalog import imports, services
from catalog.tests.test_imports import BAD_CATEGORY, BAD_PERIOD, GOOD_1, HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(drafter, published):
    return services.catalog_version_create(
        actor=drafter, jurisdiction="HN", title="第二版", based_on=published[0].version, reason="Next version"
    )


@pytest.mark.parametrize("kind", sorted(imports.TEMPLATES))
def test_the_xlsx_template_names_its_sheet_and_explains_every_column(client, drafter, kind, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(drafter)
    response = client.get(reverse("catalog_import_template", args=["xlsx"]) + f"?kind={kind}")
    workbook = load_workbook(io.BytesIO(response.content))
    data, explained = workbook.worksheets
    headers = imports.TEMPLATES[kind].headers()
    assert [c.value for c in data[1]] == headers and data.max_row == 1  # the sheet an import reads: headers only
    assert not data.title.startswith("Sheet") and re.search(r"[\u4e00-\u9fff]", data.title)
    assert explained.title == "填写说明"
    rows = list(explained.iter_rows(min_row=2, max_row=len(headers) + 1, values_only=True))
    assert [row[0] for row in rows] == headers
    assert all(row[1] in {"是", "否"} and row[2] for row in rows)


def test_the_problems_come_in_row_order_and_download_as_csv(client, drafter, draft, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(drafter)
    file = io.BytesIO(("\ufeff" + "\n".join([HEADER, GOOD_1, BAD_PERIOD, BAD_CATEGORY]) + "\n").encode("utf-8"))
    file.name = "items.csv"
    response = client.post(
        reverse("catalog_version_import", args=[draft.pk]),
        {"file": file, "format": "", "dry_run": "on", "reason": "检查"},
    )
    html = response.content.decode()
    table = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    shown = [int(row) for row in re.findall(r"<tr><td>(\d+)</td>", table)]
    assert len(shown) >= 2 and shown == sorted(shown)
    href = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', html)
    assert href, "no downloadable error report"
    report = list(csv.reader(io.StringIO(base64.b64decode(href.group(1)).decode("utf-8-sig"))))
    assert report[0] == ["行号", "列", "问题"]
    assert [int(row[0]) for row in report[1:]] == shown
