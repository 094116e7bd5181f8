"""Import and export of catalogs, measures and standards: dry run, every bad row reported, nothing written."""

import io
import json

import pytest

from catalog import imports, services
from catalog.models import CatalogItem, DesignationStandard, PunishmentMeasure

pytestmark = pytest.mark.django_db

HEADER = (
    "code,name,conduct,category,providing_department,data_source,character,disclosure_mode,"
    "display_min_months,display_max_months,update_frequency,legal_basis,personal_information,is_untrustworthy,"
    "is_administrative_punishment,sector,prohibited_category,consent_category"
)
GOOD_1 = "HN-09-001,提供虚假材料信息,提供虚假材料骗取许可,deception,HN-DRC,各行业主管部门,public,public_announcement,3,36,每月,《条例》第11条,false,true,false,general,,"
GOOD_2 = "HN-02-001,表彰奖励信息,获得省级以上表彰,commendation,HN-DRC,人社部门,public,public_announcement,0,60,每季度,《条例》第19条,true,false,false,general,,"
BAD_CATEGORY = (
    "HN-09-002,名称,行为,nonsense,HN-DRC,来源,public,public_announcement,3,36,每月,依据,false,true,false,general,,"
)
BAD_DEPT_AND_INT = (
    "HN-09-003,名称,行为,deception,NO-SUCH,来源,public,public_announcement,x,36,每月,依据,false,true,false,general,,"
)
BAD_EVERYTHING = (
    "HN-09-005,名称,行为,deception,NO-SUCH,来源,public,public_announcement,3,96,每月,依据,false,true,false,general,,"
)
BAD_PERIOD = (
    "HN-09-004,名称,行为,deception,HN-DRC,来源,public,public_announcement,3,72,每月,依据,false,true,false,general,,"
)
DUPLICATE = GOOD_1.replace("提供虚假材料信息", "重复")


def _csv(*rows) -> io.BytesIO:
    return io.BytesIO(("\ufeff" + "\n".join([HEADER, *rows]) + "\n").encode("utf-8"))


@pytest.fixture
def draft(drafter, authority, published):
    return services.catalog_version_create(actor=drafter, jurisdiction="HN", title="v2", reason="x")


def test_a_mixed_file_reports_every_bad_row_and_column_and_writes_nothing(draft, drafter):
    for dry_run in (True, False):
        report = imports.import_catalog_items(
            actor=drafter,
            version=draft,
            file=_csv(GOOD_1, BAD_CATEGORY, BAD_DEPT_AND_INT, BAD_PERIOD, DUPLICATE),
            fmt="csv",
            dry_run=dry_run,
            reason="Import",
        )
        found = {(e.row, e.column) for e in report.errors}
        assert {
            (2, "category"),
            (3, "providing_department"),
            (3, "display_min_months"),
            (4, "display_max_months"),
            (5, "code"),
        } <= found
        assert (3, "display_max_months") not in found  # 36 is lawful: only real problems are reported
        assert report.rows == 5 and report.written == 0
        assert not CatalogItem.objects.filter(version=draft).exists()
        assert not CatalogItem.history.filter(version=draft).exists()


def test_every_problem_of_a_row_is_reported_at_once(draft, drafter):
    report = imports.import_catalog_items(
        actor=drafter, version=draft, file=_csv(BAD_EVERYTHING), fmt="csv", dry_run=True, reason="Import"
    )
    assert {(e.row, e.column) for e in report.errors} == {(1, "providing_department"), (1, "display_max_months")}


def test_a_clean_file_dry_run_writes_nothing_then_the_real_run_writes_all(draft, drafter):
    report = imports.import_catalog_items(
        actor=drafter, version=draft, file=_csv(GOOD_1, GOOD_2), fmt="csv", dry_run=True, reason="Import"
    )
    assert report.ok and report.written == 0 and not draft.items.exists()
    report = imports.import_catalog_items(
        actor=drafter,
        version=draft,
        file=_csv(GOOD_1, GOOD_2),
        fmt="csv",
        dry_run=False,
        reason="National catalog 2026",
    )
    assert report.written == 2
    assert draft.items.get(code="HN-02-001").history.get().history_change_reason == "National catalog 2026"


def test_an_import_into_a_published_version_is_refused(published, drafter):
    report = imports.import_catalog_items(
        actor=drafter, version=published[0].version, file=_csv(GOOD_1), fmt="csv", dry_run=False, reason="x"
    )
    assert not report.ok and report.written == 0


def test_export_then_import_round_trips_in_csv_and_json(published, drafter):
    version = published[0].version
    for fmt in ("csv", "json"):
        content = imports.export_catalog(version=version, fmt=fmt)
        draft = services.catalog_version_create(actor=drafter, jurisdiction="HN", title=fmt, reason="x")
        report = imports.import_catalog_items(
            actor=drafter, version=draft, file=io.BytesIO(content), fmt=fmt, dry_run=False, reason="Round trip"
        )
        assert report.ok, report.errors
        fields = services.ITEM_FIELDS
        assert [tuple(getattr(i, f) for f in fields) for i in draft.items.all()] == [
            tuple(getattr(i, f) for f in fields) for i in version.items.all()
        ]


def test_json_errors_name_the_line(draft, drafter):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="line 1"):
        imports.import_catalog_items(
            actor=drafter, version=draft, file=io.BytesIO(b"[{"), fmt="json", dry_run=True, reason="x"
        )


def test_measures_import(drafter, published):
    measures = services.measure_list_create(
        actor=drafter, jurisdiction="HN", kind="punishment", scope="local", title="地方补充清单", reason="x"
    )
    rows = [
        {"code": "L-01", "text": "限制申请财政性资金项目", "legal_clause": "《条例》第23条", "max_duration_months": 36},
        {"code": "L-01", "text": "重复", "legal_clause": "x", "max_duration_months": 12},
        {"code": "L-02", "text": "", "legal_clause": "x", "max_duration_months": 12},
        {"code": "L-03", "text": "无期限的措施", "legal_clause": "x"},
    ]
    report = imports.import_measures(
        actor=drafter,
        measure_list=measures,
        file=io.BytesIO(json.dumps(rows).encode()),
        fmt="json",
        dry_run=False,
        reason="x",
    )
    # R-CAT-7: a punishment measure states its duration
    assert {(e.row, e.column) for e in report.errors} == {(2, "code"), (3, "text"), (4, "max_duration_months")}
    assert not PunishmentMeasure.objects.filter(measure_list=measures).exists()
    report = imports.import_measures(
        actor=drafter,
        measure_list=measures,
        file=io.BytesIO(json.dumps(rows[:1]).encode()),
        fmt="json",
        dry_run=False,
        reason="x",
    )
    assert report.written == 1 and measures.entries().get().max_duration_months == 36


def test_standards_import_refuses_measures_off_the_published_lists(drafter, published):
    good = {
        "code": "HN-S-20",
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
    bad = {**good, "code": "HN-S-21", "allowed_measures": "N-01;X-77", "serious_category": "gossip"}
    report = imports.import_standards(
        actor=drafter,
        jurisdiction="HN",
        file=io.BytesIO(json.dumps([good, bad]).encode()),
        fmt="json",
        dry_run=False,
        reason="x",
    )
    assert {(e.row, e.column) for e in report.errors} == {(2, "allowed_measures"), (2, "serious_category")}
    assert not DesignationStandard.objects.filter(code__in=["HN-S-20", "HN-S-21"]).exists()
    report = imports.import_standards(
        actor=drafter,
        jurisdiction="HN",
        file=io.BytesIO(json.dumps([good]).encode()),
        fmt="json",
        dry_run=False,
        reason="x",
    )
    standard = DesignationStandard.objects.get(code="HN-S-20")
    assert standard.status == "draft" and list(standard.allowed_measures.values_list("code", flat=True)) == ["N-01"]


def test_r_cat_2_every_item_states_its_attributes(draft, drafter):
    """R-CAT-2 (HL 18, HB 9): conduct, providing unit, data source, character, sharing and openness, display
    period and update frequency are required of every item."""
    required = [
        "conduct",
        "providing_department",
        "data_source",
        "character",
        "disclosure_mode",
        "display_max_months",
        "update_frequency",
    ]
    columns = HEADER.split(",")
    values = GOOD_1.split(",")
    for name in required:
        row = ",".join("" if column == name else value for column, value in zip(columns, values, strict=True))
        report = imports.import_catalog_items(
            actor=drafter, version=draft, file=_csv(row), fmt="csv", dry_run=True, reason="x"
        )
        assert (1, name) in {(e.row, e.column) for e in report.errors}, name
