"""The home dashboard and the park page at scale (issue 13): their figures are read over the rows each
figure counts (open complaints, the year's complaints, open or verified tasks, unpaid subsidies), through
the indexes kept for them, never summing payments per subsidy — with the same numbers as the one
definition over every row, and a number of queries that does not grow with the data."""

import datetime
import itertools
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import tracking
from complaints.choices import Rating, Status
from complaints.models import Complaint
from complaints.selectors import complaint_figures, complaint_figures_by, complaints_filed_by_month
from core.workdays import working_days_between
from desks.dashboard import by_month, days_late, overview
from inspections.choices import TaskStatus
from inspections.models import RectificationTask
from inspections.selectors import task_figures, task_figures_by
from risks.models import Subsidy, SubsidyPayment
from risks.paid import sync_paid_totals
from tests.factories import FindingFactory, ParkFactory, TaskFactory

TODAY = datetime.date(2026, 6, 15)
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
# Around the turns of the year in local time (UTC is 8 hours behind): the year's bounds must be local.
MOMENTS = [
    datetime.datetime(2025, 12, 31, 23, 30, tzinfo=SH),
    datetime.datetime(2026, 1, 1, 0, 30, tzinfo=SH),
    datetime.datetime(2026, 6, 1, 10, tzinfo=SH),
    datetime.datetime(2026, 12, 31, 23, 59, tzinfo=SH),
    datetime.datetime(2027, 1, 1, 0, 1, tzinfo=SH),
]


def complaints(parks, n: int) -> None:
    """Every state, every rating, on time, late and never answered, before and after their deadlines."""
    rows = []
    combos = itertools.product(Status.values, ["", *Rating.values], [None, True, False], MOMENTS)
    for i, (status, rating, on_time, moment) in enumerate(itertools.islice(itertools.cycle(combos), n)):
        due = moment.date() + datetime.timedelta(days=(i % 40) - 10)
        rows.append(
            Complaint(
                park=parks[i % len(parks)], category="other", subject="x", description="y",
                tracking_digest=tracking.digest(tracking.new_code()), status=status, rating=rating,
                replied_on_time=on_time, submitted_at=moment, accept_due=due, reply_due=due + datetime.timedelta(days=5),
            )
        )  # fmt: skip
    Complaint.objects.bulk_create(rows)


def tasks(parks, n: int, owner) -> None:
    for i in range(n):
        status = TaskStatus.values[i % len(TaskStatus.values)]
        TaskFactory(
            finding=FindingFactory(park=parks[i % len(parks)]), owner=owner, status=status,
            deadline=TODAY + datetime.timedelta(days=(i % 9) - 4), recovered_losses=Decimal(i % 3 * 100),
            verified_at=MOMENTS[i % len(MOMENTS)] if status == TaskStatus.VERIFIED else None,
        )  # fmt: skip


def subsidies(parks, firms, n: int) -> None:
    rows = Subsidy.objects.bulk_create(
        Subsidy(
            park=firms[i % len(firms)].park, enterprise=firms[i % len(firms)], policy="政策", period="2026",
            approved_amount=Decimal(1000), approved_on=TODAY - datetime.timedelta(days=10 * (i % 9)),
        )
        for i in range(n)
    )  # fmt: skip
    SubsidyPayment.objects.bulk_create(
        SubsidyPayment(park_id=s.park_id, subsidy=s, paid_on=s.approved_on, amount=Decimal(500 * (i % 4)), voucher_no=f"V{s.pk}")
        for i, s in enumerate(rows) if i % 4
    )  # fmt: skip
    sync_paid_totals()


@pytest.fixture
def data(world):
    parks = [world["park_a"], world["park_b"], ParkFactory()]
    complaints(parks, 600)
    tasks(parks, 30, world["officer"])
    subsidies(parks, [world["ent_a"], world["ent_b"]], 60)
    return world


def complete(found: dict, figures: dict) -> dict:
    """A park the narrowed query did not meet has 0 of every count and no oldest date."""
    empty = {name: None if name.startswith("oldest") else 0 for name in figures}
    return {park: empty | row for park, row in found.items()}


@pytest.mark.parametrize("year", [2025, 2026, 2027, None])
def test_complaint_figures_over_their_own_rows_are_those_over_every_row(data, year):
    figures = complaint_figures(today=TODAY, year=year)
    del figures["n_total"]  # not a dashboard figure: every complaint ever filed
    everything = {row.pop("park"): row for row in Complaint.objects.order_by().values("park").annotate(**figures)}
    narrowed = complaint_figures_by(user=data["admin"], group="park", today=TODAY, year=year)
    assert complete({park: narrowed.get(park, {}) for park in everything}, figures) == everything
    assert any(row["n_overdue"] for row in everything.values()) and any(row["n_rated"] for row in everything.values())


def test_task_figures_over_their_own_rows_are_those_over_every_row(data):
    figures = task_figures(today=TODAY)
    everything = {
        row.pop("finding__park"): row
        for row in RectificationTask.objects.order_by().values("finding__park").annotate(**figures)
    }
    narrowed = task_figures_by(RectificationTask.objects.all(), "finding__park", today=TODAY)
    assert complete({park: narrowed.get(park, {}) for park in everything}, figures) == everything
    assert any(row["n_overdue"] for row in everything.values()) and any(row["recovered"] for row in everything.values())


def test_not_landed_reads_the_stored_total_not_the_payments(data):
    queryset = Subsidy.objects.not_landed(TODAY).order_by().values("park").annotate(n=Count("pk"), y=Sum("outstanding"))
    assert "risks_subsidypayment" not in str(queryset.query)
    by_hand = {}
    for subsidy in Subsidy.objects.filter(approved_on__lte=TODAY - datetime.timedelta(days=30)):
        paid = sum(subsidy.payments.values_list("amount", flat=True), Decimal("0"))
        if paid < subsidy.approved_amount:
            n, y = by_hand.get(subsidy.park_id, (0, Decimal("0")))
            by_hand[subsidy.park_id] = (n + 1, y + subsidy.approved_amount - paid)
    assert by_hand and {row["park"]: (row["n"], row["y"]) for row in queryset} == by_hand


def test_the_figure_queries_filter_what_an_index_serves(data):
    with CaptureQueriesContext(connection) as ctx:
        overview(user=data["admin"], year=2026, today=TODAY)
    sql = "\n".join(q["sql"] for q in ctx.captured_queries)
    assert not re.search(r"AT TIME ZONE '[^']+'\)::date", sql)  # not each row's local date: the year's bounds
    assert "risks_subsidypayment" not in sql
    assert sql.count('FROM "complaints_complaint" WHERE') == 1  # the open ones; the year's from the tally
    # The rates and the chart's months from the tally by park (the admin sees whole parks), not the finer one.
    assert sql.count('FROM "complaints_complaintparktally" WHERE') == 2
    assert "complaints_complainttally" not in sql
    assert "inspections_finding" not in sql  # the tasks' figures read the task's own park


def test_the_year_is_bounded_in_local_time(data):
    filed = Complaint.objects.filter(Complaint.objects.filed_in_q(2026))
    assert set(filed.values_list("submitted_at", flat=True)) == set(MOMENTS[1:4])


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["admin", "inspector", "officer"])
@pytest.mark.parametrize("page", ["home", "park"])
def test_the_query_count_does_not_grow_with_the_data(client, world, page, role, django_assert_max_num_queries):
    url = reverse("home") if page == "home" else world["park_a"].get_absolute_url()
    parks = [world["park_a"], world["park_b"]]
    complaints(parks, 20)
    Complaint.objects.filter(pk__in=Complaint.objects.values("pk")[:10]).update(assigned_to=world["officer"])
    subsidies(parks, [world["ent_a"], world["ent_b"]], 10)
    tasks(parks, 5, world["officer"])
    _queries(client, world[role], url)  # warm the caches (content types, the working calendar)
    few = _queries(client, world[role], url)
    complaints([*parks, ParkFactory()], 2000)
    Complaint.objects.filter(park=world["park_a"]).update(assigned_to=world["officer"])  # the officer's too
    subsidies(parks, [world["ent_a"], world["ent_b"]], 300)
    tasks(parks, 40, world["officer"])
    _queries(client, world[role], url)  # a fresh session, as above (its last-seen time is saved once a minute)
    with django_assert_max_num_queries(few):
        client.get(url)


def test_the_chart_counts_each_month_in_local_time(data):
    filed = Complaint.objects.filter(Complaint.objects.filed_in_q(2026))
    expected = [0] * 12
    for moment in filed.values_list("submitted_at", flat=True):
        expected[timezone.localtime(moment).month - 1] += 1
    assert by_month(filed, "submitted_at", 2026) == expected
    assert complaints_filed_by_month(user=data["admin"], year=2026) == expected  # from the tally
    assert expected[0] and expected[11]  # the first hour of January and the last minute of December


def test_days_late_in_one_walk_are_the_working_days_of_each(db):
    today = datetime.date(2026, 10, 9)  # after the National Day holiday and its make-up working day
    days = [datetime.date(2026, 9, 30), datetime.date(2024, 2, 1), today, datetime.date(2026, 10, 20)]
    assert days_late(days, today) == {day: working_days_between(day, today) for day in days}
