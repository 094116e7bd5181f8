"""Issue 21 (GB/T 22239-2019 8.1.4.1 d), in the browser: a supervisor who signs in with her authenticator app registers
a security key (here Chromium's virtual authenticator, which answers the browser's own WebAuthn dialogue as a
fingerprint reader would), and the next day passes the second step with the key instead of the code. Each is an
audit event; the pages' messages are Chinese."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, log_in, shot


@pytest.fixture
def supervisor(haikou):
    from creditportal.choices import Role
    from creditportal.tests.factories import user_with_role

    return user_with_role(Role.SUPERVISOR, haikou, username="hk-keyholder", first_name="海燕", last_name="陈")


def _virtual_authenticator(page) -> None:
    """A platform authenticator with user verification (a fingerprint reader), answering at once."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_supervisor_registers_a_security_key_and_signs_in_with_it(page, supervisor):
    from creditportal.models import AuditEvent

    _virtual_authenticator(page)
    log_in(page, "hk-keyholder")
    expect(page.get_by_role("heading", level=1)).to_contain_text("欢迎")
    page.get_by_role("button", name="陈海燕").click()
    page.get_by_role("link", name="我的安全密钥").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的安全密钥")
    expect(page.get_by_text("您还没有登记安全密钥。")).to_be_visible()
    page.wait_for_load_state("load")  # the library's script binds the button once loaded: a click before is lost
    page.get_by_role("button", name="登记安全密钥").click()
    expect(page.locator("#passkey-register-status-message")).to_have_text("登记成功！")
    page.reload()
    expect(page.locator("table tbody tr")).to_have_count(1)
    shot(page, "97-security-keys")
    assert AuditEvent.objects.filter(action="creditportal.second_factor.security_key_added").count() == 1

    # Another day: the password, then the key instead of the code.
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("hk-keyholder")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("第二重验证")
    page.wait_for_load_state("load")
    shot(page, "98-second-factor-with-key")
    page.get_by_role("button", name="使用我的安全密钥").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("欢迎")
    used = AuditEvent.objects.get(action="creditportal.second_factor.security_key_used")
    assert used.actor == supervisor
