"""Checklist reminders through the daily job: before the due date and on it to the park's officers,
escalated to the commission once overdue — each exactly once, on working days only."""

import datetime

from campaigns import services
from campaigns.models import ParkReturn
from core.models import Reminder, ReminderRun
from core.reminders import send_reminders

from .conftest import answers_for

D = datetime.date


def kinds_on(day, user):
    send_reminders(today=day)
    return sorted(
        Reminder.objects.filter(day=day, recipient=user, kind__startswith="return").values_list("kind", flat=True)
    )


def test_due_reminders_count_working_days(world, launched):
    officer = world["officer"]
    ReminderRun.objects.create(day=D(2026, 2, 4))
    # From Thursday 5 February the working days to the 14th are 6, 9, 10, 11, 12, 13, 14: seven.
    assert kinds_on(D(2026, 2, 5), officer) == ["return_due_7"]
    assert kinds_on(D(2026, 2, 11), officer) == ["return_due_3"]  # 12, 13, 14
    assert kinds_on(D(2026, 2, 13), officer) == ["return_due_1"]
    assert kinds_on(D(2026, 2, 14), officer) == ["return_due_today"]
    assert kinds_on(D(2026, 2, 16), officer) == []  # the holiday sends nothing


def test_a_second_run_the_same_day_sends_nothing(world, launched):
    ReminderRun.objects.create(day=D(2026, 2, 13))
    send_reminders(today=D(2026, 2, 14))
    assert send_reminders(today=D(2026, 2, 14)).sent == 0
    assert Reminder.objects.filter(kind="return_due_today", recipient=world["officer"]).count() == 1


def test_overdue_returns_are_escalated_to_the_commission_once(world, launched):
    admin, inspector = world["admin"], world["inspector"]
    ReminderRun.objects.create(day=D(2026, 2, 23))
    # The first working day after the 14th is Tuesday 24 February (after the holiday).
    assert kinds_on(D(2026, 2, 24), admin) == ["return_escalated", "return_escalated"]  # parks A and B
    assert kinds_on(D(2026, 2, 25), admin) == []
    assert not Reminder.objects.filter(recipient=inspector, kind__startswith="return").exists()


def test_submitted_returns_remind_nobody(world, launched):
    park_return = ParkReturn.objects.get(campaign=launched, park=world["park_a"])
    services.return_submit(actor=world["officer"], park_return=park_return, answers=answers_for(park_return))
    ReminderRun.objects.create(day=D(2026, 2, 13))
    assert kinds_on(D(2026, 2, 14), world["officer"]) == []


def test_evaluation_counts_returns_on_time(world, launched):
    from campaigns.selectors import RETURNS_ON_TIME, evaluation_counts

    park_return = ParkReturn.objects.get(campaign=launched, park=world["park_a"])
    services.return_submit(actor=world["officer"], park_return=park_return, answers=answers_for(park_return))
    ParkReturn.objects.filter(pk=park_return.pk).update(
        submitted_at=datetime.datetime(2026, 2, 13, 9, tzinfo=datetime.UTC)
    )
    # Before the due date only the submitted return counts; after it park B's unreturned one is late.
    assert evaluation_counts(RETURNS_ON_TIME, 2026, D(2026, 2, 10)) == {world["park_a"].pk: (1, 1)}
    counts = evaluation_counts(RETURNS_ON_TIME, 2026, D(2026, 3, 1))
    assert counts == {world["park_a"].pk: (1, 1), world["park_b"].pk: (0, 1)}
    assert evaluation_counts("other", 2026, D(2026, 3, 1)) == {}
