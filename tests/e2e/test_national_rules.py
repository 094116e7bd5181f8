"""Issue 20's "Done when" for the rules themselves (R-NAT-1, R-NAT-2, R-NAT-6), in the browser: on 2026-03-20, in a
deployment installed before the national set shipped, the system administrator drafts the 2026-04-01 national rule
set in the admin, downloads the preview of every date it would change, and cannot publish it himself; a second
system administrator publishes it, and it reads in words, read-only. On 2026-05-06 a caseworker opens the records:
a general one is shown at most 1 year and a serious one at most 3, each page naming the set that held it, while a
record determined before 2026-04-01 keeps the rules of its day (the catalog item's 60 months).

The subject's side of the same "Done when" runs in the designation and restoration journeys: the decision and the
restoration notice served together (``test_designation.py``), the application with its public credit commitment,
published on acceptance, and the grant (``test_restoration.py``)."""

import datetime
import json

import pytest
from playwright.sync_api import expect

from creditportal.models import RuleSet
from creditportal.rules import forget_rulesets
from subjects import services as subject_services
from subjects.tests.conftest import BASIS
from subjects.tests.factories import OrganisationFactory
from tests.case_data import make_catalog
from tests.e2e.conftest import PASSWORD, current_code, log_in, second_factor, shot


@pytest.fixture
def admins(transactional_db):
    from creditportal.tests.factories import UserFactory

    return [
        UserFactory(username=name, system_role="system_admin", is_staff=True, first_name=first, last_name="符")
        for name, first in (("sysadmin", "志强"), ("sysadmin2", "国栋"))
    ]


def _admin_log_in(page, username):
    current_code(username)  # his authenticator app has the key (issue 21)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    second_factor(page, username)  # an administrator signs in with his second factor
    page.wait_for_load_state("load")


TITLE = "国家信用修复规则（2026年4月1日起施行）"


def _item(catalog_item, **changes):
    """Another item of the same published catalog version (the catalog's own workflow is tested there)."""
    from catalog.models import CatalogItem

    other = CatalogItem.objects.get(pk=catalog_item.pk)
    other.pk = other.id = None
    for name, value in changes.items():
        setattr(other, name, value)
    other.save()
    return other


def _record(caseworker, subject, item, day: datetime.date, number: str):
    return subject_services.record_create(
        actor=caseworker,
        subject=subject,
        catalog_item=item,
        summary=f"{item.name}：违法行为",
        determined_on=day,
        basis={**BASIS, "number": number, "effective_on": day},
        reason="录入行政处罚信息",
    )


def _disclosure(page, record) -> str:
    page.goto(f"/subjects/records/{record.pk}/")
    row = page.locator("dt", has_text="公示期").locator("xpath=following-sibling::dd[1]")
    expect(row).to_be_visible()
    return " ".join(row.inner_text().split())


def test_r_nat_1_r_nat_2_r_nat_6_the_national_set_is_drafted_published_by_another_and_applied_from_its_day(
    page, admins, hk_caseworker, haikou, tmp_path, on
):
    shipped = RuleSet.objects.get(layer="national", effective_from=datetime.date(2026, 4, 1))
    values, sources = shipped.values, shipped.sources
    RuleSet.objects.filter(pk=shipped.pk).unguarded().delete()  # a deployment installed before the national set shipped
    forget_rulesets()
    on(2026, 3, 20)
    general, _standard = make_catalog(
        actor=hk_caseworker,
        department=haikou,
        item={"info_class": "general", "display_max_months": 60, "is_administrative_punishment": False},
    )
    serious = _item(general, code="HN-04-002", name="严重失信信息", info_class="serious")
    company = OrganisationFactory(department=haikou, name="海口椰林贸易有限公司")
    earlier = _record(hk_caseworker, company, general, datetime.date(2026, 3, 16), "海口市监罚〔2026〕11号")

    _admin_log_in(page, "sysadmin")
    page.goto("/admin/creditportal/ruleset/add/")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("施行日期").fill("2026-04-01")
    page.locator("[name=values]").fill(json.dumps(values, ensure_ascii=False))
    page.locator("[name=sources]").fill(json.dumps(sources, ensure_ascii=False))
    page.locator("[name=change_reason]").fill("按国办发〔2025〕22号起草")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()

    row = page.get_by_role("row").filter(has_text=TITLE)
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="动作").select_option(label="预览将改变的日期（CSV）")
    with page.expect_download() as download:
        page.get_by_role("button", name="执行").click()
    path = tmp_path / "preview.csv"
    download.value.save_as(path)
    preview = path.read_text(encoding="utf-8-sig")
    # a set dated 2026-04-01 changes nothing determined before that day: the March record is not in it
    assert "原日期" in preview and "海口椰林贸易有限公司" not in preview

    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="动作").select_option(label="发布（由另一名系统管理员）")
    page.get_by_role("button", name="执行").click()
    expect(page.get_by_role("main")).to_contain_text("须由另一名系统管理员发布")
    assert RuleSet.objects.get(title=TITLE).status == "draft"
    shot(page, "91-admin-rule-set-four-eyes")

    page.context.clear_cookies()
    _admin_log_in(page, "sysadmin2")
    page.goto("/admin/creditportal/ruleset/")
    page.get_by_role("row").filter(has_text=TITLE).get_by_role("checkbox").check()
    page.get_by_role("combobox", name="动作").select_option(label="发布（由另一名系统管理员）")
    page.get_by_role("button", name="执行").click()
    expect(page.get_by_role("main")).to_contain_text("已发布")
    assert RuleSet.objects.get(title=TITLE).status == "published"
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("严重失信信息最长公示期（月）")
    expect(page.get_by_role("main")).not_to_contain_text("serious_max_months")  # read in words once published
    expect(page.get_by_role("button", name="保存", exact=True)).to_have_count(0)  # read-only
    shot(page, "90-admin-national-rules")
    page.context.clear_cookies()

    on(2026, 5, 6)
    general_record = _record(hk_caseworker, company, general, datetime.date(2026, 5, 6), "海口市监罚〔2026〕31号")
    serious_record = _record(hk_caseworker, company, serious, datetime.date(2026, 5, 6), "海口市监罚〔2026〕32号")
    log_in(page, "hk-caseworker")
    assert _disclosure(page, general_record).startswith("2026-05-06 – 2027-05-0")  # at most 1 year (R-NAT-2)
    expect(page.get_by_role("main")).to_contain_text(f"公示期限依照{TITLE}")
    shot(page, "92-record-general-class")
    assert _disclosure(page, serious_record).startswith("2026-05-06 – 2029-05-0")  # at most 3 years
    expect(page.get_by_role("main")).to_contain_text(f"公示期限依照{TITLE}")
    # determined before 2026-04-01: the rules of its day (the item's 60 months), no national set named
    assert _disclosure(page, earlier).startswith("2026-03-16 – 2031-03-1")
    expect(page.get_by_role("main")).not_to_contain_text("公示期限依照")
