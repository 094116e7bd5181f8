"""Journey (b): a caseworker registers a company; a wrong check character is refused on the form, in Chinese,
with what was typed kept; the corrected code is accepted (R-CAT-8, issue 9)."""

import re

from playwright.sync_api import expect

from subjects.models import CreditSubject
from tests.e2e.conftest import log_in, shot

WRONG_CHECK = "91460100MA5T0FTB4A"  # the check character of 91460100MA5T0FTB4 is 9
RIGHT = "91460100MA5T0FTB49"
NAME = "海口椰风食品有限公司"


def test_r_cat_8_a_wrong_check_character_is_refused_in_chinese_and_the_right_code_registers(page, hk_caseworker):
    log_in(page, "hk-caseworker")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="信用主体", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("信用主体")
    page.get_by_role("link", name="新建").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登记信用主体")

    page.get_by_label("类型", exact=True).select_option(label="法人")
    page.get_by_label("名称", exact=True).fill(NAME)
    page.get_by_label("证件类型").select_option(label="统一社会信用代码")
    page.get_by_label("证件号码").fill(WRONG_CHECK)
    page.get_by_label("地址").fill("海口市龙华区滨海大道88号")
    expect(page.get_by_label("部门")).to_have_value(str(hk_caseworker.memberships.get().department_id))
    page.get_by_role("button", name="保存").click()

    # Refused: the reason in Chinese, at the top and on the field; everything typed is still there.
    expect(page.get_by_role("alert")).to_have_text("信用主体未保存，请更正下方标注的字段。")
    expect(page.get_by_text(re.compile("统一社会信用代码.*校验码.*有误"))).to_be_visible()
    expect(page.get_by_label("证件号码")).to_have_value(WRONG_CHECK)
    expect(page.get_by_label("名称", exact=True)).to_have_value(NAME)
    expect(page.get_by_label("类型", exact=True)).to_have_value("legal_person")
    expect(page.get_by_label("地址")).to_have_value("海口市龙华区滨海大道88号")
    shot(page, "10-subject-refused-check-character")
    assert not CreditSubject.objects.exists()

    page.get_by_label("证件号码").fill(RIGHT)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").filter(has_text="已登记")).to_contain_text(f"信用主体 {NAME} 已登记。")
    expect(page.get_by_role("heading", level=1)).to_contain_text(NAME)
    expect(page.get_by_role("main")).to_contain_text(RIGHT)
    shot(page, "11-subject-registered")
    subject = CreditSubject.objects.get()
    assert (subject.name, subject.identifier, subject.department.code) == (NAME, RIGHT, "HK-SAMR")
