"""Journey: a caseworker opening a subject is asked why; the department's auditor sees that look, on the subject's
page and in the access log (R-SEC-2, R-SEC-3; issue 21)."""

import re

from playwright.sync_api import expect

from creditportal.models import AccessEntry
from subjects.tests.factories import PersonFactory
from tests.e2e.conftest import answers_itself, log_in, purpose_question, shot

NUMBER = "460100199001011234"


def test_r_sec_3_a_caseworker_is_asked_why_and_the_auditor_sees_that_look(
    browser, browser_context_args, hk_caseworker, haikou
):
    from creditportal.choices import Role
    from creditportal.tests.factories import user_with_role

    person = PersonFactory(department=haikou, name="王建国", id_number=NUMBER)
    user_with_role(Role.AUDITOR, haikou, username="hk-auditor", first_name="海燕", last_name="周")
    # this journey answers the question itself, in a Chinese browser
    page = answers_itself(browser.new_context(**{**browser_context_args, "locale": "zh-CN"})).new_page()

    log_in(page, "hk-caseworker")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="信用主体", exact=True).click()
    page.get_by_label("名称包含").fill("王建国")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_role("main")).to_contain_text("4601**********1234")  # the list shows the number masked
    page.get_by_role("link", name="王建国").click()

    # Asked before anything non-public is shown; "other" without saying what is refused, in Chinese.
    expect(purpose_question(page)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("您即将查阅王建国的信用信息。")
    expect(page.get_by_role("main")).not_to_contain_text(NUMBER)
    shot(page, "60-access-purpose-asked")
    page.get_by_role("radio", name="其他", exact=True).check()
    page.get_by_role("button", name="打开", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("未打开任何信息")
    expect(page.get_by_text("选择“其他”时，请说明查阅目的。")).to_be_visible()
    page.get_by_label("案件编号或说明").fill("核对举报线索 2026-17")
    page.get_by_role("button", name="打开", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("王建国")
    expect(page.get_by_role("main")).to_contain_text(NUMBER)

    # Asked once per subject and session: back on the list and in again, no question.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="信用主体", exact=True).click()
    page.get_by_role("link", name="王建国").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("王建国")
    assert AccessEntry.objects.filter(kind="opened", subject_id=person.pk, purpose="other").count() == 2

    # The auditor of the department sees who looked, when and why.
    auditor_page = browser.new_context(**{**browser_context_args, "locale": "zh-CN"}).new_page()
    log_in(auditor_page, "hk-auditor")
    auditor_page.goto(f"/subjects/{person.pk}/")  # he answers the question for himself (the journeys' handler)
    lookers = auditor_page.get_by_role("region", name="谁查阅过")
    expect(lookers).to_contain_text("林小燕")
    expect(lookers).to_contain_text("其他 · 核对举报线索 2026-17")
    shot(auditor_page, "61-access-who-looked")
    auditor_page.get_by_role("navigation", name="主导航").get_by_role("link", name="查阅日志").click()
    expect(auditor_page.get_by_role("heading", level=1)).to_have_text("查阅日志")
    rows = auditor_page.get_by_role("row").filter(has_text="核对举报线索 2026-17")
    expect(rows.first).to_contain_text("王建国")
    expect(rows.first).to_contain_text("经办人")
    expect(auditor_page.get_by_role("main")).not_to_contain_text(
        re.compile(r"(?<![\w-])caseworker\b")
    )  # the role by its name
    shot(auditor_page, "62-access-log")
