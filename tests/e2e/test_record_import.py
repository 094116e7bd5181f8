"""Journey (issue 23): a caseworker imports a providing unit's file of credit records. The good rows are written,
the bad ones are listed by row and column in Chinese with a downloadable error report, and the same file sent again
changes nothing."""

import csv
import datetime
import io
import re

from django.utils import timezone
from playwright.sync_api import expect

from exchange.reader import header_row
from subjects.models import CreditRecord
from subjects.tests.factories import valid_uscc
from tests.e2e.conftest import log_in, shot


def _file(tmp_path, item_code: str):
    determined = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    later = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    rows = []
    for n in range(1, 6):
        rows.append(
            [
                f"HK-E2E-{n}",
                "法人",
                f"海口导入{n}有限公司",
                "",
                valid_uscc(700 + n),
                item_code,
                f"销售过期食品（第{n}次）",
                later if n == 4 else determined,  # row 5 of the file: a determination still to come
                "",
                "行政处罚决定书",
                f"海口市监罚〔2026〕{n}号",
                "海口市市场监督管理局",
                determined,
                "否",
            ]
        )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header_row())
    writer.writerows(rows)
    path = tmp_path / "海口市监局11月报送.csv"
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return path


def test_a_file_of_records_is_imported_with_its_refused_rows_reported_and_again_changes_nothing(
    page, hk_caseworker, published_catalog, tmp_path
):
    path = _file(tmp_path, published_catalog.items.get().code)
    log_in(page, "hk-caseworker")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="信用记录", exact=True).click()
    page.get_by_role("link", name="批量导入").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("信用记录导入")
    page.get_by_role("link", name="新建").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("导入信用记录")
    page.get_by_label("文件").set_input_files(str(path))
    page.get_by_label("原因").fill("海口市市场监督管理局11月报送")
    shot(page, "130-record-import-form")
    page.get_by_role("button", name="上传并导入").click()

    # The job ran in the background (eager here); its page gives the totals and each refused row, in Chinese.
    expect(page.get_by_role("heading", level=1)).to_contain_text("导入（信用记录）")
    main = page.get_by_role("main")
    expect(main).to_contain_text("已完成")
    expect(main.get_by_role("table")).to_contain_text("认定日期不能晚于今天")
    expect(main.get_by_role("table").get_by_role("row").nth(1)).to_contain_text(re.compile(r"^\s*5\s*认定日期"))
    shot(page, "131-record-import-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载错误报告").click()
    report = download.value.path().read_text(encoding="utf-8-sig")
    assert report.splitlines()[0] == "行号,列,原因" and "认定日期" in report
    assert CreditRecord.objects.filter(provider_key__startswith="HK-E2E-").count() == 4

    # The same file again: nothing changes.
    page.goto(page.url.split("/exchange/")[0] + "/exchange/imports/new/")
    page.get_by_label("文件").set_input_files(str(path))
    page.get_by_label("原因").fill("重复报送")
    page.get_by_role("button", name="上传并导入").click()
    expect(main).to_contain_text("已完成")
    expect(main.get_by_text("此前已导入的记录数")).to_be_visible()
    shot(page, "132-record-import-again")
    assert CreditRecord.objects.filter(provider_key__startswith="HK-E2E-").count() == 4
