"""The edge cases of each figure's one definition, as the dashboard, the list filter and the evaluation
see them: a dismissed alert, a verified task, a reopened complaint, a subsidy paid in full or over-paid."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from complaints import services as complaint_services
from complaints.choices import Rating
from complaints.models import Complaint
from complaints.selectors import complaint_figures
from desks.dashboard import overview
from evaluations.choices import Source
from evaluations.services import source_counts
from inspections import services as inspection_services
from inspections.filters import TaskFilter
from inspections.models import RectificationTask
from risks import services as risk_services
from risks.engine import evaluate_all
from risks.filters import SubsidyFilter
from risks.models import Alert, Subsidy
from tests.factories import SubsidyFactory, SubsidyPaymentFactory, TaskFactory

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def dashboard_row(world) -> dict:
    (row,) = overview(user=world["inspector"], year=timezone.localdate().year)["rows"]
    return row


def subsidy(world, policy: str, paid: Decimal = Decimal("0")) -> Subsidy:
    row = SubsidyFactory(
        park=world["park_a"],
        enterprise=world["ent_a"],
        policy=policy,
        approved_amount=Decimal("5000"),
        approved_on=days_ago(90),
    )
    if paid:
        SubsidyPaymentFactory(subsidy=row, amount=paid, paid_on=days_ago(80))
    return row


def not_landed_in_list(world, rf) -> int:
    request = rf.get("/")
    request.user = world["inspector"]
    filterset = SubsidyFilter(
        {"park": world["park_a"].pk, "not_landed": "true"},
        queryset=Subsidy.objects.visible_to(world["inspector"]).with_outstanding(),
        request=request,
    )
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


def test_a_dismissed_not_landed_alert_counts_nowhere_while_its_condition_holds(world, rf):
    late = subsidy(world, "在途")
    evaluate_all()
    year, park = timezone.localdate().year, world["park_a"].pk
    assert dashboard_row(world)["not_landed"] == 1
    assert not_landed_in_list(world, rf) == 1
    assert source_counts(Source.SUBSIDIES_NOT_LANDED, year, timezone.localdate())[park] == (1, 0)

    alert = Alert.objects.live().get(rule="subsidy_not_landed", object_id=late.pk)
    risk_services.alert_dismiss(alert=alert, actor=world["inspector"], reason="资金已在途，系统未录入")
    evaluate_all()
    assert Subsidy.objects.unpaid_too_long().filter(pk=late.pk).exists()  # the rule's condition still holds
    assert Alert.objects.live().filter(rule="subsidy_not_landed", object_id=late.pk).exists()
    row = dashboard_row(world)
    assert (row["not_landed"], row["not_landed_yuan"]) == (0, Decimal("0"))
    assert not_landed_in_list(world, rf) == 0
    assert source_counts(Source.SUBSIDIES_NOT_LANDED, year, timezone.localdate()).get(park, (0, 0)) == (0, 0)


def test_outstanding_is_one_figure_paid_in_full_or_over_paid_has_landed(world, rf):
    unpaid, full, over = (
        subsidy(world, "未拨"),
        subsidy(world, "全额", Decimal("5000")),
        subsidy(world, "超付", Decimal("9000")),
    )
    outstanding = dict(Subsidy.objects.with_outstanding().values_list("pk", "outstanding"))
    assert outstanding == {unpaid.pk: Decimal("5000"), full.pk: Decimal("0"), over.pk: Decimal("-4000")}
    assert list(Subsidy.objects.not_landed()) == [unpaid]
    row = dashboard_row(world)
    assert (row["not_landed"], row["not_landed_yuan"]) == (1, Decimal("5000"))
    assert not_landed_in_list(world, rf) == 1


def test_a_verified_task_is_not_an_open_task(world, rf):
    officer, inspector = world["officer"], world["inspector"]
    TaskFactory(finding__park=world["park_a"], owner=officer, deadline=days_ago(-10))
    done = TaskFactory(finding__park=world["park_a"], owner=officer, deadline=days_ago(-10))
    inspection_services.task_submit(actor=officer, task=done, evidence="完成", recovered_losses=Decimal("0"))
    submitted = RectificationTask.objects.get(pk=done.pk)
    assert dashboard_row(world)["tasks_open"] == 2  # submitted, not yet verified: still open (未销号)
    inspection_services.task_verify(actor=inspector, task=submitted)
    assert dashboard_row(world)["tasks_open"] == 1
    request = rf.get("/")
    request.user = inspector
    board = TaskFilter(
        {"park": world["park_a"].pk, "unverified": "true"},
        queryset=RectificationTask.objects.visible_to(inspector),
        request=request,
    )
    assert board.qs.count() == 1


def test_a_reopened_complaint_counts_once_and_only_once_its_new_deadline_passes(world):
    inspector, now = world["inspector"], timezone.now()
    filed = complaint_services.complaint_submit(
        park=world["park_a"], category="other", subject="某科", description="x", now=now - datetime.timedelta(days=3)
    ).complaint
    complaint_services.complaint_accept(complaint=filed, actor=inspector, now=now - datetime.timedelta(days=3))
    complaint_services.complaint_reply(
        complaint=filed, actor=inspector, text="答复", now=now - datetime.timedelta(days=2)
    )
    complaint_services.complaint_rate(
        complaint=filed, rating=Rating.NOT_SATISFIED, now=now - datetime.timedelta(days=1)
    )
    reopened = Complaint.objects.get(pk=filed.pk)
    assert reopened.reopen_count == 1 and reopened.replied_on_time is None

    def figures(today):
        return Complaint.objects.aggregate(**complaint_figures(today=today, year=now.year))

    today = timezone.localdate()
    assert figures(today) | {"oldest_due": None} == {
        "n_total": 1,
        "n_open": 1,
        "n_overdue": 0,
        "oldest_due": None,
        "n_replied_on_time": 0,  # the first answer was rejected: it no longer counts as replied on time
        "n_reply_due": 0,  # the new answer is not due yet
        "n_rated": 1,
        "n_satisfied": 0,
    }
    later = reopened.reply_due + datetime.timedelta(days=1)
    assert (figures(later)["n_overdue"], figures(later)["n_reply_due"]) == (1, 1)
