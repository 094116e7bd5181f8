"""Issue 21 (R-SEC-6), in the browser: the security administrator gave a caseworker's role in Haikou; it does nothing
until Haikou's head confirms it. The head sees the notice on his start page, opens the roles waiting for him, is told
why a refusal without a reason is not taken, and confirms."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, shot


@pytest.fixture
def given(haikou):
    from creditportal import accounts
    from creditportal.choices import Role, SystemRole
    from creditportal.models import Membership
    from creditportal.tests.factories import UserFactory, user_with_role

    user_with_role(Role.HEAD, haikou, username="hk-head", first_name="建国", last_name="王")
    secadmin = UserFactory(username="secadmin", system_role=SystemRole.SECURITY_ADMIN, is_staff=True)
    newcomer = UserFactory(username="hk-newcomer", first_name="新", last_name="李")
    return accounts.membership_save(
        membership=Membership(user=newcomer, department=haikou, role=Role.CASEWORKER), actor=secadmin, reason="新入职"
    )


def test_the_head_confirms_a_role_given_in_his_department(page, given, browser):
    log_in(page, "hk-newcomer")
    expect(page.get_by_text("待部门负责人确认")).to_be_visible()
    expect(page.get_by_role("link", name="信用主体")).to_have_count(0)

    page.context.clear_cookies()
    log_in(page, "hk-head")
    page.get_by_role("link", name="前往确认").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("待您确认的岗位")
    row = page.get_by_role("row", name="李新")
    expect(row).to_contain_text("secadmin")
    expect(row).to_contain_text("新入职")
    row.get_by_role("button", name="拒绝").click()
    expect(page.get_by_role("alert")).to_contain_text("请说明拒绝的理由")
    shot(page, "99-roles-to-confirm")
    page.get_by_role("row", name="李新").get_by_label("原因").fill("已核对任职文件")
    page.get_by_role("row", name="李新").get_by_role("button", name="确认").click()
    expect(page.get_by_text("岗位已确认")).to_be_visible()
    expect(page.get_by_text("目前没有待您确认的岗位。")).to_be_visible()
    given.refresh_from_db()
    assert given.confirmed_by.username == "hk-head"  # the newcomer now works (creditportal/tests/…confirmation.py)
