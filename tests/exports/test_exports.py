"""Exports: exactly the rows the user sees, Chinese headers, real dates and numbers, no identity for
park officers, large exports through Celery."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from complaints import services as complaint_services
from core.models import ExportFile
from tests.factories import ContractFactory, EnterpriseFactory, SubsidyFactory, SubsidyPaymentFactory


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_enterprise_export_has_the_visible_filtered_rows_and_chinese_headers(client, world):
    EnterpriseFactory(park=world["park_a"], name="平顶山导出测试有限公司", is_key=True)
    client.force_login(world["inspector"])
    response = client.get(reverse("parks:enterprise-list"), {"is_key": "true", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = rows(workbook(response).active)
    assert data[0][:3] == ["统一社会信用代码", "企业名称", "园区编码"]
    assert [row[1] for row in data[1:]] == ["平顶山导出测试有限公司"]  # the key one of park A only
    assert data[1][7] == "是"


def test_outside_the_scope_nothing_leaks_into_an_export(client, world):
    client.force_login(world["inspector"])
    data = rows(workbook(client.get(reverse("parks:enterprise-list"), {"export": "xlsx"})).active)
    assert {row[0] for row in data[1:]} == {world["ent_a"].credit_code}


def test_subsidy_export_has_real_numbers_dates_and_a_payments_sheet(client, world):
    subsidy = SubsidyFactory(
        park=world["park_a"],
        enterprise=world["ent_a"],
        approved_amount=Decimal("123456.50"),
        approved_on=datetime.date(2026, 3, 1),
    )
    SubsidyPaymentFactory(subsidy=subsidy, amount=Decimal("1000.25"), voucher_no="PZ-X")
    SubsidyFactory(park=world["park_b"], enterprise=world["ent_b"])
    client.force_login(world["inspector"])
    book = workbook(client.get(reverse("risks:subsidy-list"), {"export": "xlsx"}))
    assert book.sheetnames == ["奖补资金", "拨付记录"]
    sheet = book["奖补资金"]
    assert sheet.max_row == 2
    approved, approved_on = sheet.cell(2, 6), sheet.cell(2, 7)
    assert approved.value == 123456.5 and approved.number_format == "#,##0.00"
    assert approved_on.value.date() == datetime.date(2026, 3, 1) and approved_on.number_format == "yyyy-mm-dd"
    assert sheet.cell(2, 9).value == 122456.25  # outstanding
    payments = rows(book["拨付记录"])
    assert payments[1][3] == "PZ-X" and payments[1][5] == 1000.25


def test_contracts_export_with_choices_as_chinese_labels(client, world):
    ContractFactory(project__park=world["park_a"], procurement_method="single_source")
    client.force_login(world["inspector"])
    book = workbook(client.get(reverse("risks:project-list"), {"export": "xlsx"}))
    assert book.sheetnames == ["工程项目", "合同", "合同变更", "投标记录"]
    assert rows(book["合同"])[1][5] == "单一来源"


def _complaint(world):
    complaint = complaint_services.complaint_submit(
        park=world["park_a"],
        category="favours",
        subject="某科",
        description="情况",
        contact_name="导出人甲",
        contact_phone="13911112222",
    ).complaint
    complaint_services.complaint_accept(complaint=complaint, actor=world["inspector"])
    complaint_services.complaint_assign(complaint=complaint, actor=world["inspector"], officer=world["officer"])
    return complaint


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_complaint_exports_carry_identity_for_inspectors_only(client, world, fmt):
    _complaint(world)
    client.force_login(world["inspector"])
    inspector_file = b"".join(client.get(reverse("complaints:list"), {"export": fmt}).streaming_content)
    client.force_login(world["officer"])
    officer_file = b"".join(client.get(reverse("complaints:list"), {"export": fmt}).streaming_content)
    if fmt == "xlsx":
        inspector_rows = rows(openpyxl.load_workbook(io.BytesIO(inspector_file)).active)
        officer_rows = rows(openpyxl.load_workbook(io.BytesIO(officer_file)).active)
    else:
        assert officer_file.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
        inspector_rows = list(csv.reader(io.StringIO(inspector_file.decode("utf-8-sig"))))
        officer_rows = list(csv.reader(io.StringIO(officer_file.decode("utf-8-sig"))))
    assert "投诉人" in inspector_rows[0] and "导出人甲" in inspector_rows[1]
    assert "投诉人" not in officer_rows[0] and "联系电话" not in officer_rows[0] and "匿名" not in officer_rows[0]
    flat = repr(officer_rows)
    assert "导出人甲" not in flat and "13911112222" not in flat
    assert len(officer_rows) == 2  # the one assigned to them


def test_large_exports_run_as_a_task_and_only_the_requester_downloads_them(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_MAX_ROWS = 1
    for n in range(3):
        EnterpriseFactory(park=world["park_a"], name=f"大导出{n}")
    client.force_login(world["inspector"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("parks:enterprise-list"), {"q": "大导出", "export": "xlsx"})
    export = ExportFile.objects.get(user=world["inspector"])
    assert response.status_code == 302 and response.url == export.get_status_url()
    assert export.status == ExportFile.Status.READY
    assert export.rows == 3
    note = world["inspector"].notifications.get(kind="export_ready")
    assert note.link == export.get_absolute_url()
    data = rows(workbook(client.get(export.get_absolute_url())).active)
    assert sorted(row[1] for row in data[1:]) == ["大导出0", "大导出1", "大导出2"]
    client.force_login(world["admin"])
    assert client.get(export.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "url_name",
    [
        "parks:enterprise-list", "complaints:list", "risks:riskpoint-list", "risks:decision-list", "risks:subsidy-list",
        "risks:project-list", "risks:official-list", "risks:alert-list", "inspections:inspection-list",
        "inspections:task-board", "inspections:visit-list", "inspections:demand-board",
    ],
)  # fmt: skip
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_list_exports(client, world, url_name, fmt):
    client.force_login(world["admin"])
    response = client.get(reverse(url_name), {"export": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert len(b"".join(response.streaming_content)) > 0


def test_the_admin_export_uses_the_same_columns(client, world):
    from parks.resources import EnterpriseResource

    client.force_login(world["admin"])
    url = reverse("admin:parks_enterprise_export")
    form = client.get(url).context["form"]
    offered = [name for name in form.fields if name.startswith("enterpriseresource_")]
    assert offered == [f"enterpriseresource_{name}" for name in EnterpriseResource().portal_names()]
    response = client.post(url, {"format": "1", "resource": "0", **dict.fromkeys(offered, "on")})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["统一社会信用代码", "企业名称", "园区编码"]
    assert sheet.max_row == 3  # both parks' enterprises: the commission admin sees every park


def test_the_admin_export_writes_the_columns_chosen(client, world):
    client.force_login(world["admin"])
    url = reverse("admin:parks_enterprise_export")
    chosen = {"enterpriseresource_credit_code": "on", "enterpriseresource_name": "on"}
    response = client.post(url, {"format": "0", "resource": "0", **chosen})
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == ["统一社会信用代码", "企业名称"]


def test_stale_exports_and_abandoned_uploads_are_removed(world, settings):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from core.tasks import remove_stale_files
    from core.uploads import private_storage

    settings.EXPORT_KEEP_DAYS = 7
    old = ExportFile(user=world["admin"], rows=1, original_name="old.xlsx", size=1, content_type="x")
    old.file.save("exports/old.xlsx", ContentFile(b"x"), save=False)
    old.save()
    ExportFile.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - datetime.timedelta(days=8))
    fresh = ExportFile(user=world["admin"], rows=1, original_name="new.xlsx", size=1, content_type="x")
    fresh.file.save("exports/new.xlsx", ContentFile(b"x"), save=False)
    fresh.save()
    private_storage().save("imports/pending", ContentFile(b"x"))
    result = remove_stale_files.delay().get()
    assert result["exports"] == 1
    assert list(ExportFile.objects.all()) == [fresh]
    assert private_storage().exists("imports/pending")  # uploaded just now: kept for its confirmation


def test_a_large_export_is_offered_only_once_complete_and_a_second_delivery_does_nothing(client, world, settings):
    """The export's row exists from the request on; until a run attached the complete file the download
    link leads to where it stands. A copy of the message delivered while a live run is still beating,
    or after the export is done, writes nothing and sends nothing."""
    from django.utils import timezone

    from core.exports import export_request, export_run

    settings.EXPORT_DIRECT_MAX_ROWS = 1
    for n in range(3):
        EnterpriseFactory(park=world["park_a"], name=f"大导出{n}")
    client.force_login(world["inspector"])
    export = export_request(user=world["inspector"], name="enterprises", query="q=大导出", fmt="xlsx")
    assert client.get(export.get_absolute_url()).url == export.get_status_url()
    ExportFile.objects.filter(pk=export.pk).update(status="running", heartbeat_at=timezone.now())
    assert export_run(export_id=export.pk, attempt=1) is None  # a live run has it
    assert client.post(export.get_status_url()).status_code == 302  # nothing to retry yet
    assert ExportFile.objects.get(pk=export.pk).attempt == 1
    ExportFile.objects.filter(pk=export.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    assert export_run(export_id=export.pk, attempt=1) == 3  # that run died: this one finishes it
    assert export_run(export_id=export.pk, attempt=1) is None
    assert world["inspector"].notifications.filter(kind="export_ready").count() == 1
    assert client.get(export.get_absolute_url()).status_code == 200


def test_an_export_that_fails_says_so_and_can_be_asked_for_again(client, world):
    from core.exports import export_request, export_run

    export = export_request(user=world["inspector"], name="no-such-list", query="", fmt="csv")
    assert export_run(export_id=export.pk, attempt=1) is None
    export.refresh_from_db()
    assert export.status == "failed" and not export.file
    note = world["inspector"].notifications.get(kind="export_failed")
    assert note.link == export.get_status_url()
    client.force_login(world["inspector"])
    assert "重新生成" in client.get(export.get_status_url()).content.decode()
    client.post(export.get_status_url())
    export.refresh_from_db()
    assert (export.status, export.attempt) == ("pending", 2)  # and sent to a worker once this commits
    client.force_login(world["admin"])
    assert client.get(export.get_status_url()).status_code == 404


def test_every_exportable_list_can_go_to_the_background():
    """A list that offers an export and is not registered for the worker would write any number of rows in
    the request: every one is registered (``core.exports.exportable``)."""
    from django.urls import get_resolver

    from core.exports import REGISTRY
    from core.views import FilteredListView

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            elif getattr(pattern.callback, "view_class", None):
                yield pattern.callback.view_class

    exporting = {
        view for view in views(get_resolver().url_patterns) if issubclass(view, FilteredListView) and view.export_sheets
    }
    assert len(exporting) > 20
    assert sorted(view.__name__ for view in exporting if REGISTRY.get(view.export_name) is not view) == []
