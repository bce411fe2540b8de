"""How exports read their rows (core.export_values): value tuples, not model instances, whenever the
database can give every column — computed properties included — with choice labels translated once per
export; and whether a page's export is written at once or by the worker, by the rows it would write."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db.models import Model
from django.urls import reverse

from accounts.models import User, display_name_expression
from complaints.models import Complainant, Complaint, reference_expression
from core.export_values import getter, value_rows
from core.exports import build, export_fields, view_for
from core.models import ExportFile
from tests.factories import SubsidyFactory, SubsidyPaymentFactory, UserFactory

UTC = datetime.UTC


@pytest.fixture(autouse=True)
def registered_lists():
    """The lists register their exports when their views are imported, as the URL configuration does."""
    reverse("complaints:list")


def _complaint(world, n: int, **fields) -> Complaint:
    defaults = {
        "park": world["park_a"],
        "category": "favours",
        "channel": "qr",
        "subject": f"某科{n}",
        "description": "情况",
        "tracking_digest": f"paths{n:059d}",
        "accept_due": datetime.date(2026, 3, 5),
        "status": "handling",
        "rating": "",
    }
    return Complaint.objects.create(**{**defaults, **fields})


@pytest.fixture
def complaints(world):
    """Complaints around a local midnight, with an id of six digits, handled by officers with and without
    a name, one anonymous, one not assigned."""
    nameless = UserFactory(role="park_officer", parks=[world["park_a"]], name="", username="officer-nameless")
    made = [
        # 2026-03-01 16:30 UTC is 2026-03-02 00:30 in Beijing: the reference says the local day.
        _complaint(world, 1, submitted_at=datetime.datetime(2026, 3, 1, 16, 30, tzinfo=UTC), assigned_to=nameless),
        _complaint(world, 2, submitted_at=datetime.datetime(2026, 3, 1, 15, 59, tzinfo=UTC), assigned_to=world["officer"]),
        _complaint(world, 3, pk=123456, status="closed", rating="not_satisfied", is_anonymous=True),
    ]  # fmt: skip
    for complaint in made[:2]:
        Complainant.objects.create(complaint=complaint, name="投诉人乙", phone="13911112222")
    return made


def _forbid_instances(monkeypatch, *models):
    def refuse(cls, *args, **kwargs):
        raise AssertionError(f"an export built a {cls.__name__} instance")

    for model in models:
        monkeypatch.setattr(model, "from_db", classmethod(refuse))


def test_the_database_computes_the_reference_and_the_display_name_as_the_properties_do(complaints):
    computed = dict(Complaint.objects.annotate(ref=reference_expression()).values_list("pk", "ref"))
    assert computed == {complaint.pk: complaint.reference for complaint in Complaint.objects.all()}
    assert complaints[0].reference.startswith("TS20260302") and complaints[1].reference.startswith("TS20260301")
    assert complaints[2].reference.endswith("123456")
    names = dict(User.objects.annotate(shown=display_name_expression()).values_list("pk", "shown"))
    assert names == {user.pk: user.display_name for user in User.objects.all()}
    assert "officer-nameless" in names.values()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_complaint_export_reads_tuples_with_references_handlers_and_labels(world, complaints, monkeypatch, fmt):
    _forbid_instances(monkeypatch, Complaint, User, Complainant)
    view = view_for("complaints", world["admin"], "")
    target = io.BytesIO()
    assert build(view, fmt, target) == 3
    if fmt == "xlsx":
        data = [list(row) for row in openpyxl.load_workbook(io.BytesIO(target.getvalue())).active.values]
    else:
        data = list(csv.reader(io.StringIO(target.getvalue().decode("utf-8-sig"))))
    header, *body = data
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_reference) == {complaint.reference for complaint in complaints}
    first, second, third = (by_reference[complaint.reference] for complaint in complaints)
    assert first["承办人"] == "officer-nameless" and second["承办人"] == world["officer"].name
    assert third["承办人"] in (None, "")  # not assigned: an empty cell
    assert first["状态"] == "办理中" and first["渠道"] == "码上监督" and first["类别"] == "吃拿卡要"
    assert third["状态"] == "已办结" and third["评价"] == "不满意" and third["匿名"] == "是"
    assert first["投诉人"] == "投诉人乙"


def test_a_park_officer_gets_the_tuples_without_identity_columns(world, complaints, monkeypatch):
    _forbid_instances(monkeypatch, Complaint, User)
    target = io.BytesIO()
    assert build(view_for("complaints", world["officer"], ""), "xlsx", target) == 1  # the one assigned to them
    header, row = openpyxl.load_workbook(io.BytesIO(target.getvalue())).active.values
    assert "投诉人" not in header and "联系电话" not in header and "匿名" not in header
    assert row[0] == complaints[1].reference


def test_the_complaint_export_costs_the_same_queries_whatever_its_size(world, django_assert_max_num_queries):
    for n in range(3):
        _complaint(world, n, submitted_at=datetime.datetime(2026, 3, 1, tzinfo=UTC), assigned_to=world["officer"])
    with django_assert_max_num_queries(3) as few:
        build(view_for("complaints", world["admin"], ""), "xlsx", io.BytesIO())
    for n in range(3, 40):
        _complaint(world, n, submitted_at=datetime.datetime(2026, 3, 1, tzinfo=UTC), assigned_to=world["officer"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert build(view_for("complaints", world["admin"], ""), "xlsx", io.BytesIO()) == 40


@pytest.mark.parametrize(
    ("name", "sheet"),
    [("tasks", 0), ("visits", 0)],  # their owner's and visitor's display_name is computed by the database
)
def test_other_lists_with_a_display_name_column_read_tuples_too(world, name, sheet):
    view = view_for(name, world["admin"], "")
    export_sheet = view.export_sheets[sheet]
    fields = export_fields(export_sheet, world["admin"])
    assert value_rows(export_sheet.rows(view.get_queryset()), [f.attribute for f in fields]) is not None


def test_a_label_read_from_an_instance_is_looked_up_not_translated_per_cell(world, complaints, monkeypatch):
    get_label = getter(Complaint, "get_status_display")

    def refuse(self, *args, **kwargs):
        raise AssertionError("translated per cell")

    monkeypatch.setattr(Complaint, "get_status_display", refuse)
    assert get_label(complaints[0]) == "办理中" and get_label(complaints[2]) == "已办结"
    assert getter(Complaint, "assigned_to__display_name")(complaints[0]) == "officer-nameless"
    assert not isinstance(get_label(complaints[0]), Model)


def _subsidies(world, count: int) -> None:
    for n in range(count):
        subsidy = SubsidyFactory(park=world["park_a"], enterprise=world["ent_a"], period=f"2026-{n}")
        SubsidyPaymentFactory(subsidy=subsidy, amount=Decimal("10.00"))


@pytest.mark.parametrize(("limit", "direct"), [(4, True), (3, False), (2, False)])
def test_a_page_export_is_written_at_once_only_when_all_its_sheets_fit(
    client, world, settings, django_capture_on_commit_callbacks, limit, direct
):
    """Two subsidies and their two payments are four written rows: over a limit of 3, though the list
    itself has only two."""
    settings.EXPORT_DIRECT_MAX_ROWS = limit
    _subsidies(world, 2)
    client.force_login(world["inspector"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("risks:subsidy-list"), {"export": "xlsx"})
    if direct:
        assert response.status_code == 200 and not ExportFile.objects.exists()
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert [book[name].max_row for name in book.sheetnames] == [3, 3]
    else:
        export = ExportFile.objects.get(user=world["inspector"])
        assert response.status_code == 302 and response.url == export.get_status_url()
        assert export.status == ExportFile.Status.READY and export.rows == 4
        assert next(str(m) for m in get_messages(response.wsgi_request)).startswith(f"超过 {limit} 行")


def test_a_csv_export_counts_only_its_one_sheet(client, world, settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 3
    _subsidies(world, 2)
    client.force_login(world["inspector"])
    response = client.get(reverse("risks:subsidy-list"), {"export": "csv"})
    assert response.status_code == 200 and not ExportFile.objects.exists()
