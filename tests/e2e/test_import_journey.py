"""Journey 3: a commission admin fills the subsidy template, reads the row error in the preview, fixes the
file and imports it, finds the 未落地 alert it raises and exports the filtered alert list to Excel."""

import pytest
from openpyxl import load_workbook

from accounts.choices import Role
from risks.models import Subsidy
from tests.factories import EnterpriseFactory, ParkFactory, UserFactory

pytestmark = pytest.mark.e2e


def fill_template(template_path, target, rows):
    """The downloaded template with its example row replaced by ``rows`` (dicts by header)."""
    book = load_workbook(template_path)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    book.save(target)
    return target


def check_file(page, path):
    page.get_by_role("link", name="导入", exact=True).click()
    card = page.locator(".portal-card", has=page.get_by_role("heading", name="奖补资金", exact=True))
    card.locator("input[name=file]").set_input_files(str(path))
    card.get_by_role("button", name="检查文件").click()
    page.wait_for_load_state()


def test_a_subsidy_workbook_with_an_error_is_fixed_imported_raises_not_landed_and_exports(
    browser_page, login, live_server, tmp_path
):
    park = ParkFactory(code="PDS-GXQ", name="平顶山高新区")
    paid, unpaid = EnterpriseFactory(park=park, name="鹰城新材料有限公司"), EnterpriseFactory(park=park)
    admin = UserFactory(role=Role.COMMISSION_ADMIN, name="纪委管理员")
    page = login(browser_page("admin"), admin)

    page.get_by_role("link", name="导入", exact=True).click()
    card = page.locator(".portal-card", has=page.get_by_role("heading", name="奖补资金", exact=True))
    with page.expect_download() as template:
        card.get_by_role("link", name="下载模板").click()
    template_path = tmp_path / "template.xlsx"
    template.value.save_as(template_path)
    good = {
        "园区编码": park.code,
        "统一社会信用代码": unpaid.credit_code,
        "政策名称": "研发投入后补助",
        "所属期间": "2026",
        "批准金额": "200,000.00",
        "批准日期": "2026-01-15",
    }
    wrong = {**good, "统一社会信用代码": paid.credit_code, "政策名称": "技改奖励", "批准日期": "2026-02-30"}

    check_file(page, fill_template(template_path, tmp_path / "奖补资金.xlsx", [good, wrong]))
    page.get_by_text("未导入任何数据。请在文件中改正以下各行后重新上传。").wait_for()
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1
    assert [cell.strip() for cell in errors.first.locator("td").all_inner_texts()] == [
        "3",
        "批准日期",
        "“2026-02-30”不是存在的日期",
    ]
    assert page.get_by_role("button", name="确认导入").count() == 0
    assert not Subsidy.objects.exists()

    fixed = {**wrong, "批准日期": "2026-02-28"}
    check_file(page, fill_template(template_path, tmp_path / "奖补资金（改）.xlsx", [good, fixed]))
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("导入完成：新增 2 条，更新 0 条，未变 0 条。").wait_for()
    assert Subsidy.objects.count() == 2

    # The alert list, filtered to the 未落地 rule, shows both subsidies; its export has the same rows.
    page.goto(f"{live_server.url}/risks/alerts/")
    page.locator("[name=rule]").select_option(label="奖补资金未落地")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/risks/alerts/?*rule=subsidy_not_landed*")
    page.get_by_text("200,000.00").first.wait_for()
    with page.expect_download() as export:
        page.get_by_role("link", name="导出 Excel").click()
    export_path = tmp_path / "alerts.xlsx"
    export.value.save_as(export_path)
    assert export.value.suggested_filename.endswith(".xlsx")

    sheet = load_workbook(export_path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [  # the alert list's one column declaration (risks.columns.ALERTS), as in the table
        "严重程度",
        "预警规则",
        "园区",
        "触发情况",
        "首次发现",
        "最近发现",
        "处理",
        "情形消除时间",
        "理由",
    ]
    assert len(rows) == 3
    assert {row[2] for row in rows[1:]} == {"平顶山高新区"}
    assert {row[1] for row in rows[1:]} == {"奖补资金未落地"}
    assert sorted("2026-01-15" in row[3] for row in rows[1:]) == [False, True]
