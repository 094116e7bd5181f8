"""Issue 22 ("a member of the public finds a listed company"), in the browser: without signing in, someone opens the
list of seriously untrustworthy entities from the top bar, searches the company by part of its name, opens its
entry (the standard, the deciding department, the period, the measures) with the company's code in full."""

import re

import pytest
from playwright.sync_api import expect

from designations.tests.helpers import draft, to_state
from tests.e2e.conftest import shot
from tests.e2e.test_designation import COMPANY, catalog, haikou, hk_supervisor, record  # noqa: F401  (fixtures)


@pytest.fixture
def listed(record, catalog, hk_caseworker, hk_supervisor, haikou):  # noqa: F811
    designation = draft(caseworker=hk_caseworker, department=haikou, record=record, catalog=catalog)
    return to_state(designation, "listed", caseworker=hk_caseworker, supervisor=hk_supervisor)


def test_a_member_of_the_public_finds_a_listed_company(page, listed):
    page.goto("/catalog/")
    page.get_by_role("link", name="严重失信主体名单").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("严重失信主体名单")
    page.get_by_label("名称或统一社会信用代码").fill(COMPANY[:4])
    page.get_by_role("button", name="查找").click()
    row = page.get_by_role("row", name=re.compile(COMPANY))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(listed.subject.identifier)
    shot(page, "100-public-list")
    row.get_by_role("link", name=COMPANY).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMPANY)
    expect(page.locator("dl")).to_contain_text(listed.standard.title)
    expect(page.locator("dl")).to_contain_text("海口市市场监督管理局")
    shot(page, "101-public-entry")
    expect(page.locator("dl")).to_contain_text(listed.subject.identifier)  # an organisation's code is public
