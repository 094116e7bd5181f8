"""Issue 20's administrators' journey (R-NAT-6): the system administrator drafts the next national rule set in the
admin, reads its values in words, downloads the preview of every date it would change, and cannot publish it
himself; a second system administrator publishes it; published, it is read-only."""

import json

import pytest
from playwright.sync_api import expect

from creditportal.models import RuleSet
from tests.e2e.conftest import PASSWORD, current_code, second_factor, shot


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


def test_r_nat_6_a_rule_set_is_drafted_previewed_and_published_by_another(page, admins, tmp_path, on):
    on(2026, 12, 1)  # the set drafted below takes effect on 2027-01-01, after the day it is published
    national = RuleSet.objects.get(layer="national", status="published")
    _admin_log_in(page, "sysadmin")
    page.goto("/admin/creditportal/ruleset/")
    page.get_by_role("link", name="国家信用修复规则（2026年4月1日起施行）", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("严重失信信息最长公示期（月）")
    expect(page.get_by_role("main")).not_to_contain_text("serious_max_months")  # read in words once published
    shot(page, "90-admin-national-rules")

    page.goto("/admin/creditportal/ruleset/add/")
    page.get_by_label("标题").fill("国家信用修复规则（拟修订）")
    page.get_by_label("施行日期").fill("2027-01-01")
    page.locator("[name=values]").fill(json.dumps({**national.values, "general_max_months": 6}))
    page.locator("[name=sources]").fill(json.dumps({**national.sources, "general_max_months": "某文件 第二条"}))
    page.locator("[name=change_reason]").fill("按新文件起草")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("link", name="国家信用修复规则（拟修订）", exact=True)).to_be_visible()

    row = page.get_by_role("row").filter(has_text="国家信用修复规则（拟修订）")
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="动作").select_option(label="预览将改变的日期（CSV）")
    with page.expect_download() as download:
        page.get_by_role("button", name="执行").click()
    path = tmp_path / "preview.csv"
    download.value.save_as(path)
    assert "原日期" in path.read_text(encoding="utf-8-sig")

    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="动作").select_option(label="发布（由另一名系统管理员）")
    page.get_by_role("button", name="执行").click()
    expect(page.get_by_role("main")).to_contain_text("须由另一名系统管理员发布")
    assert RuleSet.objects.get(title="国家信用修复规则（拟修订）").status == "draft"
    shot(page, "91-admin-rule-set-four-eyes")

    page.context.clear_cookies()
    _admin_log_in(page, "sysadmin2")
    page.goto("/admin/creditportal/ruleset/")
    page.get_by_role("row").filter(has_text="国家信用修复规则（拟修订）").get_by_role("checkbox").check()
    page.get_by_role("combobox", name="动作").select_option(label="发布（由另一名系统管理员）")
    page.get_by_role("button", name="执行").click()
    expect(page.get_by_role("main")).to_contain_text("已发布")
    assert RuleSet.objects.get(title="国家信用修复规则（拟修订）").status == "published"
