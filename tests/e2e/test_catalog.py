"""Journey (c): the provincial credit authority's caseworker drafts the next catalog version, imports a CSV
with a dry run and submits it for approval; a supervisor who took no part finds it in their queue, approves it
and publishes it on an effective date, confirmed; only then is it the public catalog (R-CAT-1: drafted,
approved by the authority, published; issue 9)."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import CatalogVersion
from tests.e2e.conftest import log_in, shot

HEADER = (
    "code,name,conduct,category,providing_department,data_source,character,disclosure_mode,"
    "display_min_months,display_max_months,update_frequency,legal_basis,personal_information,"
    "is_untrustworthy,is_administrative_punishment,sector,prohibited_category,consent_category"
)
FALSE_MATERIALS = (
    "HN-09-001,提供虚假材料信息,提供虚假材料骗取许可,deception,HN-DRC,各行业主管部门,public,"
    "public_announcement,3,36,每月,《海南自由贸易港社会信用条例》第十一条,false,true,false,general,,"
)
COMMENDATION = (
    "HN-02-001,表彰奖励信息,获得省级以上表彰,commendation,HN-DRC,人社部门,public,public_announcement,"
    "0,60,每季度,《海南自由贸易港社会信用条例》第十九条,true,false,false,general,,"
)
TOO_LONG = FALSE_MATERIALS.replace(",3,36,", ",3,90,")  # beyond Hainan's 60 months of disclosure (R-DIS-1)
TITLE = "海南省公共信用信息补充目录（2027年版）"


def _csv(tmp_path, name, *rows):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_r_cat_1_a_draft_is_imported_with_a_dry_run_then_approved_and_published_by_another(
    browser, browser_context_args, page, tmp_path, hn_caseworker, hn_supervisor, published_catalog
):
    log_in(page, "hn-caseworker")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="公共信用信息目录").click()
    page.get_by_role("link", name="管理", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("目录"))
    shot(page, "20-catalog-manage")
    page.get_by_role("link", name="新建版本").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新建目录版本")
    expect(page.get_by_label("复制自")).to_have_value(str(published_catalog.pk))
    page.get_by_label("标题").fill(TITLE)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text("草稿")
    version = CatalogVersion.objects.get(number=2)

    # A dry run of a file with a problem: the problem is shown, nothing is written.
    page.get_by_role("link", name="导入", exact=True).click()
    page.get_by_label("文件").set_input_files(_csv(tmp_path, "bad.csv", TOO_LONG, COMMENDATION))
    expect(page.get_by_role("checkbox")).to_be_checked()
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("alert")).to_have_text("发现1个问题，未写入任何数据。")
    expect(page.get_by_role("row").filter(has_text="60个月")).to_be_visible()
    shot(page, "22-catalog-import-dry-run-refused")
    assert version.items.count() == 1  # only the item copied from v1

    # The corrected file: a dry run that passes, then the real import.
    good = _csv(tmp_path, "good.csv", FALSE_MATERIALS, COMMENDATION)
    page.get_by_label("文件").set_input_files(good)
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("status")).to_contain_text("试运行")
    expect(page.get_by_role("status")).to_contain_text("2")
    shot(page, "23-catalog-import-dry-run-passed")
    assert version.items.count() == 1
    page.get_by_label("文件").set_input_files(good)
    page.get_by_role("checkbox").uncheck()
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("alert").filter(has_text="导入")).to_contain_text("2")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    for code in ("HN-04-001", "HN-09-001", "HN-02-001"):
        expect(page.get_by_role("cell", name=code, exact=True)).to_be_visible()
    shot(page, "24-catalog-draft-imported")
    # The drafter is offered no approval: they submit the draft to the supervisors' queue.
    expect(page.get_by_role("button", name="批准")).to_have_count(0)
    page.get_by_label("原因或意见").fill("导入国家目录文件，请审批")
    page.get_by_role("button", name="提交审批").click()
    expect(page.get_by_role("alert").filter(has_text="已完成")).to_have_text(re.compile("已完成：提交审批。"))
    expect(page.get_by_role("main")).to_contain_text("已提交审批")
    shot(page, "24b-catalog-submitted")
    # ... and the draft is not the public catalog.
    page.goto("/catalog/")
    expect(page.get_by_role("main")).to_contain_text("行政处罚信息")
    expect(page.get_by_role("main")).not_to_contain_text("表彰奖励信息")

    # The supervisor, in their own browser session, approves and publishes.
    supervisor = browser.new_context(**browser_context_args)
    try:
        other = supervisor.new_page()
        log_in(other, "hn-supervisor")
        other.get_by_role("navigation", name="主导航").get_by_role("link", name="公共信用信息目录").click()
        other.get_by_role("link", name="管理", exact=True).click()
        queue = other.get_by_role("region", name="待您审批")
        expect(queue).to_contain_text(TITLE)
        shot(other, "25a-catalog-approval-queue")
        queue.get_by_role("link", name=re.compile(re.escape(TITLE))).click()
        expect(other.get_by_role("heading", level=1)).to_contain_text(TITLE)
        shot(other, "25-catalog-draft-seen-by-supervisor")
        other.get_by_label("原因或意见").fill("已核对导入条目")
        other.get_by_role("button", name="批准").click()
        expect(other.get_by_role("alert").filter(has_text="已完成")).to_contain_text("批准")
        # Publishing asks for the effective date (today by default, never earlier) and a confirmation.
        today = timezone.localdate().isoformat()
        expect(other.get_by_label("生效日期")).to_have_value(today)
        other.get_by_label("原因或意见").fill("按期发布")
        other.get_by_role("button", name="发布").click()
        expect(other.get_by_role("main")).to_contain_text("请勾选确认后再发布。")
        expect(other.get_by_label("原因或意见")).to_have_value("按期发布")
        shot(other, "25b-catalog-publish-needs-confirmation")
        other.get_by_label("我已核对本版本，确认发布并替代现行版本。").check()
        other.get_by_role("button", name="发布").click()
        expect(other.get_by_role("alert").filter(has_text="已完成")).to_have_text(re.compile("已完成：发布。"))
        expect(other.get_by_role("main")).to_contain_text(f"生效日期 {today}")
        expect(other.get_by_role("main")).to_contain_text("已发布")
        expect(other.get_by_role("main")).to_contain_text("陈海涛")
        shot(other, "26-catalog-published")
        other.get_by_role("link", name="比较").click()
        expect(other.get_by_role("main")).to_contain_text("HN-09-001")
        shot(other, "27-catalog-diff")
    finally:
        supervisor.close()
    version.refresh_from_db()
    assert version.status == "published" and version.approved_by == hn_supervisor

    # Published: the public catalog now shows the new items.
    page.reload()
    expect(page.get_by_role("main")).to_contain_text("表彰奖励信息")
    expect(page.get_by_role("main")).to_contain_text(f"自 {timezone.localdate().isoformat()} 起生效")
    shot(page, "28-public-catalog")
