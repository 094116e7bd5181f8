"""The error pages as a person meets them: in Chinese, in the product's layout, with a way back (issue 9)."""

from playwright.sync_api import expect

from tests.e2e.conftest import log_in, shot


def test_a_page_outside_the_users_scope_answers_a_chinese_404_with_a_way_back(page, hk_caseworker):
    log_in(page, "hk-caseworker")
    response = page.goto("/subjects/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在，或不在您的职责范围内")
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Not Found")
    shot(page, "50-error-404")
    page.get_by_role("link", name="返回工作台").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("欢迎，林小燕")


def test_a_refused_page_answers_a_chinese_403(page, hk_caseworker):
    """A Haikou caseworker is not staff of the provincial credit authority: the catalog's drafting pages refuse."""
    log_in(page, "hk-caseworker")
    response = page.goto("/catalog/manage/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("您无权进行此操作")
    expect(page.locator("body")).not_to_contain_text("Forbidden")
    shot(page, "51-error-403")
    page.get_by_role("link", name="返回工作台").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("欢迎，林小燕")
