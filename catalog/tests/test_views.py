"""The catalog pages as their users use them: a supervisor publishes an imported version and reads the
diff; a caseworker's unlawful record is refused with the rule."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import CatalogVersion
from catalog.tests.test_imports import GOOD_1, GOOD_2, HEADER
from subjects.models import CreditRecord
from subjects.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _upload(rows, name="catalog.csv"):
    file = io.BytesIO(("\n".join([HEADER, *rows]) + "\n").encode("utf-8"))
    file.name = name
    return file


def test_draft_import_approve_publish_and_diff(client, drafter, approver, published):
    client.force_login(drafter)
    response = client.post(
        reverse("catalog_version_create"),
        {
            "title": "海南省公共信用信息补充目录（2027年版）",
            "based_on": published[0].version.pk,
            "reason": "Annual revision",
        },
    )
    version = CatalogVersion.objects.get(number=2)
    assert response.url == reverse("catalog_version_detail", args=[version.pk])

    bad = GOOD_1.replace(",3,36,", ",3,90,")  # untrustworthiness beyond HN's 60 months (R-DIS-1)
    response = client.post(
        reverse("catalog_version_import", args=[version.pk]),
        {"file": _upload([bad, GOOD_2]), "format": "csv", "dry_run": "on", "reason": "National file"},
    )
    html = response.content.decode()
    assert "1 problem found; nothing was written." in html and "display_max_months" in html
    assert version.items.count() == 1  # only the copied item

    response = client.post(
        reverse("catalog_version_import", args=[version.pk]),
        {"file": _upload([GOOD_1, GOOD_2]), "format": "csv", "reason": "National file"},
    )
    assert response.status_code == 302 and version.items.count() == 3

    # the drafter's approval button is refused by the four-eyes rule (drafter is a caseworker: no approval)
    response = client.post(
        reverse("catalog_version_act", args=[version.pk, "approve"]), {"reason": "self"}, follow=True
    )
    assert "Only a supervisor or head of the provincial credit authority" in response.content.decode()

    client.force_login(approver)
    client.post(reverse("catalog_version_act", args=[version.pk, "approve"]), {"reason": "Checked"})
    response = client.post(
        reverse("catalog_version_act", args=[version.pk, "publish"]),
        {"reason": "Publish", "effective_on": timezone.localdate().isoformat(), "confirm": "on"},
        follow=True,
    )
    assert "Done: Publish." in response.content.decode()
    version.refresh_from_db()
    assert version.status == "published"

    diff = client.get(reverse("catalog_version_diff", args=[version.pk])).content.decode()
    assert "2 items added" in diff and "HN-09-001" in diff and "HN-02-001" in diff
    assert "0 items removed" in diff

    public = client.get(reverse("catalog_public")).content.decode()
    assert "表彰奖励信息" in public


def test_a_published_item_cannot_be_edited_from_the_page(client, drafter, published):
    item = published[0]
    client.force_login(drafter)
    response = client.get(reverse("catalog_item_update", args=[item.version.pk, item.pk]), follow=True)
    assert "only a draft can be edited" in response.content.decode()


def _record_form(item, **overrides):
    data = {
        "catalog_item": item.pk,
        "summary": "销售过期食品",
        "determined_on": "2026-06-01",
        "basis_type": "punishment_decision",
        "basis_number": "海口市监罚〔2026〕7号",
        "basis_issuer": "海口市市场监督管理局",
        "basis_effective_on": "2026-06-01",
        "reason": "Recorded",
    }
    data.update(overrides)
    return data


def test_a_caseworker_records_a_lawful_item(client, caseworker_a, dept_a, published):
    subject = OrganisationFactory(department=dept_a)
    client.force_login(caseworker_a)
    response = client.post(reverse("record_create", args=[subject.pk]), _record_form(published[0]))
    record = CreditRecord.objects.get()
    assert response.url == reverse("record_detail", args=[record.pk])
    assert record.disclosure_until == datetime.date(2029, 5, 31)  # 36 months, the first day counted


def test_an_item_outside_the_published_catalog_is_refused_with_the_rule(
    client, caseworker_a, dept_a, drafter, published
):
    item = published[0]
    draft = CatalogVersion.objects.create(jurisdiction="HN", number=9, title="draft", drafted_by=drafter)
    fields = {f.name: getattr(item, f.name) for f in item._meta.concrete_fields if f.name not in {"id", "version"}}
    draft_item = type(item).objects.create(**{**fields, "version": draft})
    subject = OrganisationFactory(department=dept_a)
    client.force_login(caseworker_a)
    html = client.post(reverse("record_create", args=[subject.pk]), _record_form(draft_item)).content.decode()
    # R-CAT-1: the page cites the deployment's article (HN 11), never the internal rule id
    assert "records are entered only against the published catalog (《海南自由贸易港社会信用条例》第十一条)" in html
    assert "R-CAT-1" not in html
    assert not CreditRecord.objects.exists()


def test_a_prohibited_category_is_refused_on_the_page(client, caseworker_a, dept_a, published):
    item = published[0]
    item.prohibited_category = "biometric"
    item.save()
    subject = OrganisationFactory(department=dept_a)
    client.force_login(caseworker_a)
    html = client.post(reverse("record_create", args=[subject.pk]), _record_form(item)).content.decode()
    assert "Not recorded." in html and "may never be collected" in html
    # the deployment's own article, never the internal rule id (R-CAT-4; HN 14)
    assert "《海南自由贸易港社会信用条例》第十四条" in html and "R-CAT-4" not in html
    assert not CreditRecord.objects.exists() and not CreditRecord.history.exists()


def test_bad_input_never_breaks_a_page(client, drafter, published):
    from catalog import services

    draft = services.catalog_version_create(actor=drafter, jurisdiction="HN", title="v2", reason="x")
    client.force_login(drafter)
    assert client.get(reverse("catalog_version_diff", args=[draft.pk]), {"against": "abc"}).status_code == 404
    row = GOOD_1.replace(",3,36,", ",3,,")  # no maximum
    html = client.post(
        reverse("catalog_version_import", args=[draft.pk]),
        {"file": _upload([row]), "format": "csv", "dry_run": "on", "reason": "x"},
    ).content.decode()
    assert "display_max_months" in html and "This column is required." in html


@pytest.mark.parametrize(
    ("url_name", "english"),
    [
        ("catalog_version_create", "New catalog version"),
        ("measure_list_create", "New measures list"),
    ],
)
def test_page_titles_of_class_attributes_translate(client, drafter, url_name, english):
    """A title built with eager gettext in a class attribute is fixed in English at import time."""
    from django.utils import translation

    client.force_login(drafter)
    client.post(reverse("set_language"), {"language": "zh-hans"})
    html = client.get(reverse(url_name)).content.decode()
    with translation.override("zh-hans"):
        chinese = translation.gettext(english)
    assert chinese != english
    assert "<h1" in html and chinese in html and english not in html


FORMULAS = ['=HYPERLINK("http://evil.example/","点此")', "+1+1", "-2+3", "@SUM(A1:A2)"]


def _version_with_formulas(drafter, authority):
    """A draft whose free-text cells start like spreadsheet formulas (typed by someone, or imported)."""
    from catalog import services

    version = services.catalog_version_create(actor=drafter, jurisdiction="HN", title="v2", reason="x")
    for index, formula in enumerate(FORMULAS):
        services.catalog_item_save(
            actor=drafter,
            version=version,
            reason="x",
            data={
                "code": f"HN-09-10{index}",
                "name": formula,
                "conduct": formula,
                "category": "deception",
                "providing_department": authority,
                "data_source": formula,
                "character": "public",
                "disclosure_mode": "public_announcement",
                "display_min_months": 3,
                "display_max_months": 36,
                "update_frequency": "每月",
                "legal_basis": formula,
                "is_untrustworthy": True,
            },
        )
    return version


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_catalog_export_neutralises_spreadsheet_formulas_and_still_round_trips(
    client, drafter, authority, published, fmt
):
    import csv
    import json

    from catalog import imports, services

    version = _version_with_formulas(drafter, authority)
    client.force_login(drafter)
    response = client.get(reverse("catalog_version_export", args=[version.pk, fmt]))
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    rows = json.loads(content) if fmt == "json" else list(csv.DictReader(io.StringIO(content)))
    columns = imports.CatalogItemRow.header_map()  # CSV: the pages' Chinese headers; JSON: the column codes
    rows = [{columns[key.lower()]: value for key, value in row.items()} for row in rows]
    cells = [row[column] for row in rows for column in ("name", "conduct", "data_source", "legal_basis")]
    assert len(cells) == 4 * len(FORMULAS)
    assert not [cell for cell in cells if cell[:1] in "=+-@"], cells
    assert {"'" + formula for formula in FORMULAS} <= set(cells)

    # the export re-imports unchanged (through the import page)
    copy = services.catalog_version_create(actor=drafter, jurisdiction="HN", title="copy", reason="x")
    upload = io.BytesIO(response.content)
    upload.name = f"catalog.{fmt}"
    response = client.post(
        reverse("catalog_version_import", args=[copy.pk]), {"file": upload, "format": fmt, "reason": "Round trip"}
    )
    assert response.status_code == 302
    assert sorted(copy.items.values_list("name", flat=True)) == sorted(FORMULAS)


@pytest.mark.parametrize("depth", [100_000, 5])
def test_a_deeply_nested_json_import_is_refused_with_a_message(client, drafter, published, depth):
    """Thousands of nested brackets used to end in a RecursionError (HTTP 500); a value nested deeper than a
    list of texts is refused too, never turned into its Python repr."""
    from django.utils import translation

    from catalog import services

    draft = services.catalog_version_create(actor=drafter, jurisdiction="HN", title="v2", reason="x")
    client.force_login(drafter)
    client.post(reverse("set_language"), {"language": "zh-hans"})
    upload = io.BytesIO(('[{"code": ' + "[" * depth + "]" * depth + "}]").encode())
    upload.name = "deep.json"
    response = client.post(
        reverse("catalog_version_import", args=[draft.pk]),
        {"file": upload, "format": "json", "dry_run": "on", "reason": "x"},
    )
    assert response.status_code == 200
    with translation.override("zh-hans"):
        message = translation.gettext(
            "The JSON file is nested too deeply: an import is a list of objects, one per row, whose values are "
            "text, numbers, yes/no or lists of those."
        )
    assert message.startswith("JSON") and "嵌套" in message
    assert message in response.content.decode()
    assert draft.items.count() == 0
