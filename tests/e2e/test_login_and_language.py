"""Journeys (a) logging in, in Chinese, and (d) choosing English, which sticks (issue 9).

The browser asks for English (``Accept-Language: en-US``, conftest.py): the product answers in Chinese anyway.
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, log_in, shot


def test_a_caseworker_logs_in_in_chinese_although_the_browser_asks_for_english(page, hk_caseworker):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="登录公共信用信息管理平台")).to_be_visible()
    shot(page, "01-login")

    page.get_by_label("用户名").fill("hk-caseworker")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("请输入一个正确的用户名和密码")).to_be_visible()
    expect(page.get_by_label("用户名")).to_have_value("hk-caseworker")
    shot(page, "02-login-refused")

    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("欢迎，林小燕")
    navigation = page.get_by_role("navigation", name="主导航")
    for label in ("工作台", "信用主体", "信用记录", "严重失信主体认定", "公共信用信息目录"):
        expect(navigation.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="简体中文")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("body")).not_to_contain_text("Dashboard")
    shot(page, "03-dashboard")


def test_english_is_a_choice_that_sticks(page, hk_caseworker):
    log_in(page, "hk-caseworker")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, 林小燕")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")

    # It sticks: other pages, a new visit, and after logging out and in again.
    page.get_by_role("link", name="Subjects", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Credit subjects")
    page.goto("/catalog/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name=re.compile("林小燕")).click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to creditportal")).to_be_visible()
    page.get_by_label("Username").fill("hk-caseworker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, 林小燕")
    shot(page, "04-dashboard-english")

    # And back to Chinese, which sticks as well.
    page.get_by_role("button", name="简体中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("欢迎，林小燕")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
