"""Imports: preview first, then all or nothing; the same file twice changes nothing; every bad input
explained by row and column in Chinese."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parks.models import Enterprise
from risks.models import Alert, Contract, Decision, OfficialTie, RiskPoint, Subsidy, SubsidyPayment
from tests.factories import valid_credit_code

ENTERPRISE_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "园区编码",
    "行业",
    "法定代表人",
    "联系电话",
    "重点企业",
    "营商环境监测点",
]


def xlsx(headers, rows, *, title="Sheet1", formula_at=None, merge_header=False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if formula_at:
        sheet[formula_at] = "=1+1"
    if merge_header:
        sheet.merge_cells("A1:B1")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, name, data, filename="data.xlsx"):
    return client.post(reverse("imports:upload", args=[name]), {"file": SimpleUploadedFile(filename, data)})


def confirm(client, name, preview):
    return client.post(reverse("imports:upload", args=[name]), {"token": preview.context["token"]})


def enterprise_rows(world, n=3, park=None):
    code = (park or world["park_a"]).code
    return [
        [
            valid_credit_code(5000 + i),
            f"导入企业{i}",
            code,
            "新材料",
            "李四",
            "0375-1234567",
            "是" if i == 0 else "否",
            "否",
        ]
        for i in range(n)
    ]


def test_preview_then_confirm_then_the_same_file_again_changes_nothing(client, world):
    client.force_login(world["officer"])
    data = xlsx(ENTERPRISE_HEADERS, enterprise_rows(world))
    preview = upload(client, "enterprises", data)
    assert preview.context["counts"] == {"new": 3, "updated": 0, "unchanged": 0, "error": 0}
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()  # nothing before the confirmation
    confirm(client, "enterprises", preview)
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 3
    assert Enterprise.objects.get(name="导入企业0").is_key
    again = upload(client, "enterprises", data)
    assert again.context["counts"] == {"new": 0, "updated": 0, "unchanged": 3, "error": 0}
    confirm(client, "enterprises", again)
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == 3
    assert Enterprise.history.filter(name__startswith="导入企业").count() == 3  # the audit trail saw each once


def test_a_changed_row_is_an_update(client, world):
    client.force_login(world["officer"])
    confirm(client, "enterprises", upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 1))))
    rows = enterprise_rows(world, 1)
    rows[0][1] = "导入企业改名"
    preview = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, rows))
    assert preview.context["counts"]["updated"] == 1
    confirm(client, "enterprises", preview)
    assert Enterprise.objects.get(credit_code=valid_credit_code(5000)).name == "导入企业改名"


def _refused(response, *fragments):
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["report"].ok is False
    assert response.context["token"] is None
    for fragment in fragments:
        assert fragment in body, fragment
    return body


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("data.txt", b"hello", "请上传 Excel 工作簿"),
        ("data.csv", None, "重命名为 .xlsx"),
        ("data.xlsx", b"not really a workbook", "不是 Excel 工作簿"),
        ("data.xlsx", b"", "文件为空"),
    ],
    ids=["not-a-spreadsheet", "xlsx-called-csv", "csv-called-xlsx", "empty"],
)
def test_files_that_are_not_what_they_say_are_refused(client, world, filename, data, message):
    client.force_login(world["officer"])
    if data is None:
        data = xlsx(ENTERPRISE_HEADERS, enterprise_rows(world))
    response = upload(client, "enterprises", data, filename)
    if response.context is not None and "form" in response.context and response.context.get("failed"):
        assert "空" in response.content.decode()  # Django's own "the submitted file is empty"
        return
    _refused(response, message)
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()


def test_a_workbook_without_the_expected_headers(client, world):
    client.force_login(world["officer"])
    _refused(upload(client, "enterprises", xlsx(["名称", "编码"], [["甲", "乙"]])), "企业", "统一社会信用代码")


def test_missing_columns_are_named(client, world):
    client.force_login(world["officer"])
    headers = [h for h in ENTERPRISE_HEADERS if h != "园区编码"]
    rows = [[r[0], r[1], *r[3:]] for r in enterprise_rows(world)]
    _refused(upload(client, "enterprises", xlsx(headers, rows)), "缺少", "园区编码")


def test_merged_header_cells(client, world):
    client.force_login(world["officer"])
    _refused(upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world), merge_header=True)), "合并")


def test_more_rows_than_the_limit(client, world, settings):
    settings.IMPORT_MAX_ROWS = 2
    client.force_login(world["officer"])
    _refused(upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 3))), "超过 2 行")


def test_formulas_instead_of_values(client, world):
    client.force_login(world["officer"])
    _refused(upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world), formula_at="B3")), "公式")


def test_cell_errors_name_the_row_and_the_column(client, world):
    rows = enterprise_rows(world, 4)
    rows[0][0] = rows[0][0][:-1] + ("0" if rows[0][0][-1] != "0" else "1")  # wrong check digit
    rows[1][2] = "NO-SUCH-PARK"
    rows[3][0] = rows[2][0]  # the same enterprise twice
    client.force_login(world["officer"])
    body = _refused(upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, rows)))
    report = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, rows)).context["report"]
    errors = {(row.number, column): message for row in report.errors for column, message in row.errors}
    assert "校验位" in errors[(2, "统一社会信用代码")]
    assert "NO-SUCH-PARK" in errors[(3, "园区编码")]
    assert "第 4 行" in errors[(5, "")]
    assert "校验位" in body
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()


def test_an_officer_cannot_import_into_another_park(client, world):
    client.force_login(world["officer"])
    body = _refused(
        upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 1, park=world["park_b"])))
    )
    assert world["park_b"].code in body
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()


SUBSIDY_HEADERS = ["园区编码", "统一社会信用代码", "政策名称", "所属期间", "批准金额", "批准日期"]


@pytest.mark.parametrize(
    ("amount", "date", "message"),
    [
        ("十万元", "2026-03-01", "不是金额"),
        ("100000", "2026-02-30", "不是存在的日期"),
        ("-5", "2026-03-01", "不能为负"),
        ("100000", "下个月", "不是日期"),
        ("1e27", "2026-03-01", "金额过大"),
        ("100000000000000", "2026-03-01", "金额过大"),
    ],
    ids=["text-amount", "february-30", "negative", "text-date", "astronomical", "over-the-ledger-width"],
)
def test_bad_amounts_and_dates(client, world, amount, date, message):
    client.force_login(world["officer"])
    data = xlsx(SUBSIDY_HEADERS, [[world["park_a"].code, world["ent_a"].credit_code, "稳岗补贴", "2026", amount, date]])
    _refused(upload(client, "subsidies", data), message)
    assert not Subsidy.objects.exists()


def test_amounts_dates_and_booleans_as_people_write_them(client, world):
    client.force_login(world["officer"])
    rows = [
        [world["park_a"].code, world["ent_a"].credit_code, "政策甲", "2026", "1,234.50", "2026/3/1"],
        [
            world["park_a"].code,
            world["ent_a"].credit_code,
            "政策乙",
            "2026Q3",
            "¥1234.5",
            datetime.datetime(2026, 7, 1),  # noqa: DTZ001 - Excel dates carry no time zone
        ],
        [world["park_a"].code, world["ent_a"].credit_code, "政策丙", 2025, 88000, "2025年12月1日"],
    ]
    preview = upload(client, "subsidies", xlsx(SUBSIDY_HEADERS, rows))
    assert preview.context["counts"]["new"] == 3, preview.context["report"].errors
    confirm(client, "subsidies", preview)
    assert sorted(Subsidy.objects.values_list("approved_amount", flat=True)) == [1234.50, 1234.50, 88000]
    assert set(Subsidy.objects.values_list("period", flat=True)) == {"2026", "2026Q3", "2025"}


def test_an_imported_ledger_raises_its_alerts(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["officer"])
    headers = [
        "园区编码",
        "事项类型",
        "事项名称",
        "金额",
        "会议类型",
        "会议日期",
        "应到人数",
        "实到人数",
        "有会议纪要",
        "执行日期",
    ]
    rows = [
        [world["park_a"].code, "大额资金使用", "无会议的资金", "900000", "", "", "", "", "", "2026-03-01"],
        [world["park_a"].code, "重要干部任免", "规范任免", "", "党工委会议", "2026-03-01", 9, 8, "是", "2026-03-02"],
    ]
    preview = upload(client, "decisions", xlsx(headers, rows))
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, "decisions", preview)
    flagged = Decision.objects.get(subject="无会议的资金")
    assert Alert.objects.live().for_object(flagged).filter(rule="decision_not_collective").exists()
    assert not Alert.objects.live().for_object(Decision.objects.get(subject="规范任免")).exists()


def test_projects_contracts_payments_change_orders_risk_points_and_the_register(client, world):
    client.force_login(world["officer"])
    code, park = world["ent_a"].credit_code, world["park_a"].code
    steps = [
        ("contracts", ["园区编码", "项目名称", "项目预算", "合同编号", "承建单位信用代码", "采购方式", "合同金额", "签订日期", "签订廉政合同"],
         [[park, "厂房项目", "9000000", "HT-1", code, "公开招标", "4,500,000", "2026-04-01", "是"],
          [park, "厂房项目", "", "HT-2", code, "直接委托", "300000", "2026-04-05", "否"]]),
        ("changeorders", ["合同编号", "变更日期", "变更金额", "变更原因"], [["HT-1", "2026-05-01", "200000", "设计变更"]]),
        ("subsidies", SUBSIDY_HEADERS, [[park, code, "稳岗补贴", "2026", "100000", "2026-03-01"]]),
        ("payments", ["统一社会信用代码", "政策名称", "所属期间", "凭证号", "拨付日期", "拨付金额"], [[code, "稳岗补贴", "2026", "PZ-1", "2026-03-15", "60000"]]),
        ("riskpoints", ["园区编码", "风险领域", "风险描述", "可能性", "影响程度", "防控措施", "责任部门", "责任人", "复核日期"],
         [[park, "工程项目", "围标串标风险", 4, 5, "严格程序", "规划建设局", "王五", "2026-12-31"]]),
        ("conflicts", ["园区编码", "干部姓名", "职务", "关联企业信用代码", "关系"], [[park, "孙某", "副主任", code, "配偶"]]),
    ]  # fmt: skip
    for name, headers, rows in steps:
        data = xlsx(headers, rows)
        preview = upload(client, name, data)
        assert preview.context["report"].ok, (name, [(r.number, r.errors) for r in preview.context["report"].errors])
        confirm(client, name, preview)
        assert upload(client, name, data).context["counts"]["unchanged"] == len(rows), name
    assert Contract.objects.get(number="HT-1").change_orders.count() == 1
    assert SubsidyPayment.objects.get(voucher_no="PZ-1").amount == 60000
    assert RiskPoint.objects.get().level == "critical"
    too_much = upload(
        client, "payments", xlsx(steps[3][1], [[code, "稳岗补贴", "2026", "PZ-2", "2026-03-20", "50000"]])
    )
    assert "未拨付余额" in too_much.content.decode()


def test_a_gbk_csv_from_chinese_excel_is_read(client, world):
    client.force_login(world["officer"])
    lines = [",".join(ENTERPRISE_HEADERS), ",".join(enterprise_rows(world, 1)[0])]
    preview = upload(client, "enterprises", "\r\n".join(lines).encode("gb18030"), "企业.csv")
    assert preview.context["counts"]["new"] == 1


def test_templates_have_the_headers_and_an_example(client, world):
    client.force_login(world["admin"])
    response = client.get(reverse("imports:template", args=["subsidies"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["奖补资金"][1]] == SUBSIDY_HEADERS
    assert book["奖补资金"].max_row == 2


def test_inspectors_do_not_import_risk_ledgers_and_enterprise_users_import_nothing(client, world):
    client.force_login(world["inspector"])
    assert client.get(reverse("imports:template", args=["subsidies"])).status_code == 403
    client.force_login(world["enterprise_user"])
    assert client.get(reverse("imports:index")).status_code == 403


def test_checking_a_file_makes_no_query_per_row(client, world, django_assert_max_num_queries):
    client.force_login(world["officer"])
    with django_assert_max_num_queries(30) as few:
        upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 2)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 40)))


def test_checking_and_importing_subsidies_makes_no_query_per_row(client, world, django_assert_max_num_queries):
    from tests.factories import EnterpriseFactory

    firms = [EnterpriseFactory(park=world["park_a"]) for _ in range(30)]

    def data(n):
        return xlsx(
            SUBSIDY_HEADERS,
            [[world["park_a"].code, f.credit_code, "稳岗补贴", "2026", "1000", "2026-03-01"] for f in firms[:n]],
        )

    client.force_login(world["officer"])
    confirm(client, "subsidies", upload(client, "subsidies", data(2)))
    with django_assert_max_num_queries(40) as few:
        confirm(client, "subsidies", upload(client, "subsidies", data(3)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        confirm(client, "subsidies", upload(client, "subsidies", data(30)))
    assert Subsidy.objects.count() == 30


def test_a_park_code_in_lower_case_is_the_same_park_and_the_same_row(client, world):
    client.force_login(world["officer"])
    code = world["ent_a"].credit_code
    headers = ["园区编码", "干部姓名", "职务", "关联企业信用代码", "关系"]
    same_twice = xlsx(headers, [[world["park_a"].code, "孙某", "副主任", code, "配偶"],
                                [world["park_a"].code.lower(), "孙某", "副主任", code, "配偶"]])  # fmt: skip
    preview = upload(client, "conflicts", same_twice)
    assert not preview.context["report"].ok  # the repeat is named in the preview, not a 500 on confirm
    assert "重复" in preview.content.decode()
    lower = upload(client, "conflicts", xlsx(headers, [[world["park_a"].code.lower(), "孙某", "副主任", code, "配偶"]]))
    assert lower.context["report"].ok
    confirm(client, "conflicts", lower)
    assert OfficialTie.objects.get().official.park == world["park_a"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, world, settings):
    settings.IMPORT_MAX_MB = 1
    client.force_login(world["officer"])
    response = upload(client, "enterprises", b"PK\x03\x04" + b"\x00" * (1024 * 1024 + 1))
    assert response.status_code == 200
    assert "大于 1 MB" in response.content.decode()
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()


def test_a_preview_with_errors_offers_the_upload_again_for_the_same_ledger(client, world):
    rows = enterprise_rows(world, 2)
    rows[0][2] = "NO-SUCH-PARK"
    client.force_login(world["officer"])
    body = _refused(upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, rows)))
    assert 'enctype="multipart/form-data"' in body and 'type="file"' in body
    assert f'action="{reverse("imports:upload", args=["enterprises"])}"' in body
    rows[0][2] = world["park_a"].code  # corrected, sent from the preview page's form
    again = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, rows))
    assert again.context["counts"]["error"] == 0 and again.context["token"]


def test_a_file_that_cannot_be_read_offers_the_upload_again(client, world):
    client.force_login(world["officer"])
    body = _refused(upload(client, "enterprises", b"not really a workbook"), "不是 Excel 工作簿")
    assert f'action="{reverse("imports:upload", args=["enterprises"])}"' in body and 'type="file"' in body
