"""Dashboards: figures equal to hand-computed values on a small fixed data set, and a query count that
does not grow with the data."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse

from complaints import services as complaint_services
from complaints.choices import Rating
from desks.dashboard import overview
from inspections import services as inspection_services
from inspections.models import AccountabilityMeasure, Demand, Visit
from risks.engine import evaluate_all
from tests.factories import DecisionFactory, SubsidyFactory, SubsidyPaymentFactory, TaskFactory

TODAY = datetime.date(2026, 6, 15)  # a Monday
SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(month, day, hour=10):
    return datetime.datetime(2026, month, day, hour, tzinfo=SH)


@pytest.fixture
def fixed(world):
    park, inspector, officer = world["park_a"], world["inspector"], world["officer"]

    def complaint(day, **kwargs):
        return complaint_services.complaint_submit(
            park=park, category="other", subject="某科", description="x", now=at(6, day), **kwargs
        ).complaint

    c1 = complaint(1)
    complaint_services.complaint_accept(complaint=c1, actor=inspector, now=at(6, 1, 15))
    complaint_services.complaint_reply(complaint=c1, actor=inspector, text="答复", now=at(6, 3))  # on time
    complaint_services.complaint_rate(complaint=c1, rating=Rating.SATISFIED, now=at(6, 4))
    c2 = complaint(2)
    complaint_services.complaint_accept(complaint=c2, actor=inspector, now=at(6, 2, 15))
    complaint_services.complaint_reply(complaint=c2, actor=inspector, text="答复", now=at(6, 12))  # after 9 June: late
    complaint_services.complaint_rate(complaint=c2, rating=Rating.FAIRLY_SATISFIED, now=at(6, 12, 16))
    complaint(10)  # never accepted: due 11 June, overdue on the 15th

    late = TaskFactory(
        finding__park=park,
        finding__found_on=datetime.date(2026, 5, 1),
        owner=officer,
        deadline=datetime.date(2026, 6, 10),
    )
    done = TaskFactory(
        finding__park=park,
        finding__found_on=datetime.date(2026, 5, 1),
        owner=officer,
        deadline=datetime.date(2026, 6, 30),
    )
    inspection_services.task_submit(actor=officer, task=done, evidence="完成", recovered_losses=Decimal("1000.50"))
    inspection_services.task_verify(actor=inspector, task=done)
    AccountabilityMeasure.objects.create(
        task=late, kind="four_forms", form=2, person="某人", taken_on=datetime.date(2026, 5, 20)
    )

    DecisionFactory(park=park, has_minutes=False)  # one medium alert
    subsidy = SubsidyFactory(
        park=park, enterprise=world["ent_a"], approved_amount=Decimal("100000"), approved_on=datetime.date(2026, 3, 1)
    )
    SubsidyPaymentFactory(subsidy=subsidy, amount=Decimal("30000"), paid_on=datetime.date(2026, 3, 20))
    evaluate_all()

    visit = Visit.objects.create(
        park=park,
        enterprise=world["ent_a"],
        visitor=inspector,
        campaign="ten_thousand",
        visited_on=datetime.date(2026, 4, 1),
    )
    Demand.objects.create(visit=visit, kind="financing", description="融资")
    Demand.objects.create(
        visit=visit, kind="land", description="用地", solved_on=datetime.date(2026, 4, 20), solution="已协调"
    )
    return world


def test_the_figures_are_the_hand_computed_ones(fixed):
    data = overview(user=fixed["inspector"], year=2026, today=TODAY)
    (row,) = data["rows"]
    assert row["park"] == fixed["park_a"]
    assert row["complaints_open"] == 1  # the two rated satisfied are closed; one waits for acceptance
    assert row["complaints_overdue"] == 1
    # On time / (on time + late + still unanswered past a deadline): the one never accepted counts too.
    assert row["on_time"] == (1, 3)
    assert row["on_time_rate"] == 1 / 3
    assert row["satisfaction_rate"] == 1.0
    assert (row["tasks_open"], row["tasks_overdue"], row["tasks_most_late"]) == (1, 1, 3)  # 11, 12 and 15 June
    assert row["recovered"] == Decimal("1000.50")
    # Medium: the decision without minutes, the subsidy paid only 30% three months on, the overdue task.
    assert (row["alerts_high"], row["alerts_medium"]) == (0, 3)
    assert (row["not_landed"], row["not_landed_yuan"]) == (1, Decimal("70000.00"))
    assert (row["demands_raised"], row["demands_solved"]) == (2, 1)
    assert dict(data["forms"]) == {1: 0, 2: 1, 3: 0, 4: 0}
    assert "6月" in data["trend_chart"] and "<svg" in data["trend_chart"]


def test_a_park_outside_the_scope_is_not_on_the_dashboard(fixed):
    assert overview(user=fixed["idle_inspector"], year=2026, today=TODAY)["rows"] == []
    assert [row["park"] for row in overview(user=fixed["admin"], year=2026, today=TODAY)["rows"]] == [
        fixed["park_a"],
        fixed["park_b"],
    ]


def test_every_number_links_to_its_list(client, fixed):
    client.force_login(fixed["inspector"])
    page = client.get(reverse("home"), {"year": "2026"}).content.decode()
    park = fixed["park_a"].pk
    for link in (
        f"/complaints/?park={park}&amp;overdue=true",
        f"/rectification/?park={park}&amp;overdue=true",
        f"/risks/alerts/?park={park}&amp;severity=medium",
        f"/demands/?park={park}&amp;year=2026",
    ):
        assert link in page, link


def _bulk(world, n):
    from complaints import tracking
    from complaints.models import Complaint
    from risks.models import Subsidy

    Complaint.objects.bulk_create(
        Complaint(
            park=world["park_a"], category="other", subject="x", description="y", tracking_digest=tracking.digest(tracking.new_code()),
            submitted_at=at(5, 1 + i % 28), accept_due=datetime.date(2026, 5, 2 + i % 27),
        )
        for i in range(n)
    )  # fmt: skip
    Subsidy.objects.bulk_create(
        Subsidy(park=world["park_a"], enterprise=world["ent_a"], policy=f"政策{i}", period="2026", approved_amount=1000, approved_on=datetime.date(2026, 1, 1))
        for i in range(n)
    )  # fmt: skip


def test_the_dashboard_query_count_is_the_same_for_10_and_1000_rows(client, world, django_assert_max_num_queries):
    client.force_login(world["inspector"])
    _bulk(world, 10)
    with django_assert_max_num_queries(40) as few:
        assert client.get(reverse("home")).status_code == 200
    _bulk(world, 990)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))


@pytest.mark.parametrize("role", ["officer", "enterprise_user"])
def test_officers_and_enterprises_have_their_own_desk(client, fixed, role):
    client.force_login(fixed[role])
    page = client.get(reverse("home")).content.decode()
    if role == "officer":
        assert ("我的整改任务" in page and "本园区" not in page) or "预警" in page
    else:
        assert "我的奖补资金" in page and "100,000.00" in page and "30,000.00" in page
