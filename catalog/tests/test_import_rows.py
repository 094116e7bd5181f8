"""Import rows are read by one form per row type: every message, Django's own and ours, in the user's language."""

import io
import json

import pytest
from django.utils import translation

from catalog import imports, services

pytestmark = pytest.mark.django_db

STANDARD = {
    "code": "HN-S-30",
    "title": "标准",
    "sector": "食品",
    "serious_category": "public_safety",
    "conduct_criteria": "x",
    "legal_basis": "x",
    "allowed_measures": "N-01",
    "removal_conditions": "x",
    "removal_procedure": "x",
    "remedies": "x",
    "comment_starts_on": "2026-09-01",
    "comment_ends_on": "2026-09-30",
}


def _json(*rows) -> io.BytesIO:
    return io.BytesIO(json.dumps(list(rows), ensure_ascii=False).encode())


def test_each_row_type_has_its_form_and_an_export_writes_its_columns(published):
    item, _standard = published
    content = imports.export_catalog(version=item.version, fmt="json").decode()
    assert list(json.loads(content)[0]) == imports.CatalogItemRow.columns()
    assert imports.MeasureRow.columns() == ["code", "text", "legal_clause", "max_duration_months"]
    assert imports.StandardRow.columns()[-2:] == ["comment_starts_on", "comment_ends_on"]


def test_row_errors_read_in_chinese_per_row_and_column(drafter, published):
    measures = services.measure_list_create(
        actor=drafter, jurisdiction="HN", kind="punishment", scope="local", title="地方补充清单", reason="x"
    )
    with translation.override("zh-hans"):
        report = imports.import_measures(
            actor=drafter,
            measure_list=measures,
            fmt="json",
            dry_run=True,
            reason="x",
            file=_json(
                {"code": "L-01", "text": "", "legal_clause": "x", "max_duration_months": "十二"},
                {"code": "L-02", "text": "措施", "legal_clause": "x", "max_duration_months": -1},
            ),
        )
        standards = imports.import_standards(
            actor=drafter,
            jurisdiction="HN",
            fmt="json",
            dry_run=True,
            reason="x",
            file=_json({**STANDARD, "comment_ends_on": "30/09/2026", "serious_category": "gossip"}),
        )
    messages = {(e.row, e.column): e.message for e in report.errors + standards.errors}
    assert messages[(1, "text")] == "此列为必填项。"
    assert messages[(1, "max_duration_months")] == "输入整数。"  # Django's own message, translated for free
    assert messages[(2, "max_duration_months")] == "确保该值大于或等于0。"
    assert messages[(1, "comment_ends_on")] == "请按 YYYY-MM-DD 格式填写日期。"
    assert messages[(1, "serious_category")].startswith("“gossip”不是以下取值之一：")
