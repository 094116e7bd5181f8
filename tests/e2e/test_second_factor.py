"""Issue 21's "a supervisor must use a second factor", in the browser: at her first sign-in a supervisor is taken
from the password to the set-up of her second factor; she adds the key to her authenticator app (here: the key the
page shows, as text), types the code it shows, keeps her ten recovery codes and reaches her dashboard. Signing in
again, the password alone does not open any page: the code does."""

import base64
import datetime
import re

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, shot


@pytest.fixture
def supervisor(haikou):
    from creditportal.choices import Role
    from creditportal.tests.factories import user_with_role

    return user_with_role(Role.SUPERVISOR, haikou, username="hk-supervisor", first_name="海燕", last_name="陈")


def _password(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("hk-supervisor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()


def _code(key: str, later: int = 0) -> str:
    """What an authenticator app shows for ``key`` (base32, as the page shows it), ``later`` windows on."""
    totp = TOTP(base64.b32decode(key.replace(" ", "")))
    totp.time = totp.time + later * 30
    return f"{totp.token():06d}"


def test_a_supervisor_sets_up_her_second_factor_and_then_signs_in_with_it(page, supervisor, time_machine):
    _password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("设置第二重验证")
    expect(page.locator(".second-factor-qr svg")).to_be_visible()
    key = page.locator("code").inner_text()
    shot(page, "95-second-factor-setup")
    page.get_by_label("验证码").fill("000000")
    page.get_by_role("button", name="确认").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("与您的应用当前显示的不一致")
    page.wait_for_timeout(1500)  # a wrong code makes the next try wait a moment (django-otp's throttle)
    page.get_by_label("验证码").fill(_code(key))
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的恢复码")
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9a-f]{8}", code) for code in codes)
    shot(page, "96-second-factor-recovery-codes")
    page.get_by_role("link", name="继续").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("欢迎")

    # Another day: the password alone opens nothing; the code from the app does.
    page.context.clear_cookies()
    _password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("第二重验证")
    page.goto("/subjects/")
    expect(page.get_by_role("heading", level=1)).to_have_text("第二重验证")
    shot(page, "97-second-factor-code")
    page.get_by_label("验证码").fill(_code(key, later=1))
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=31), tick=True)  # the app's next code
    page.get_by_role("button", name="验证", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("信用主体")
