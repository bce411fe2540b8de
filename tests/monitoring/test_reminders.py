"""A monitoring point that has not filed by the due day (the 5th working day after the period) is reminded
once, on the next working day; the job claims it, so a second run or the next days send nothing."""

import datetime

import pytest

from core.models import Notification, Reminder, ReminderRun
from core.reminders import send_reminders
from monitoring.periods import Period
from tests.factories import UserFactory

from .conftest import make_report

D = datetime.date
OCTOBER = Period(D(2026, 10, 1))


def test_the_due_day_is_the_fifth_working_day_after_the_period(db):
    # October ends on Saturday the 31st; November 2–6 are working days.
    assert OCTOBER.due_on() == D(2026, 11, 6)
    # September ends on the 30th; 1–7 October are the National Day holiday and Saturday 10 October is
    # worked: 8, 9, 10, 12, 13 — a weekday count would have said 7 October.
    assert Period(D(2026, 9, 1)).due_on() == D(2026, 10, 13)


def _messages(user):
    return list(Notification.objects.filter(recipient=user, kind="monitoring_report_missed"))


@pytest.fixture
def colleague(world, points):
    """A second user of enterprise a."""
    return UserFactory(role="enterprise", enterprise=points["a"])


def test_a_point_without_its_report_is_reminded_once(world, points, colleague):
    ReminderRun.objects.create(day=D(2026, 11, 5))
    send_reminders(today=D(2026, 11, 6))  # the due day itself: still time
    assert _messages(world["enterprise_user"]) == []
    send_reminders(today=D(2026, 11, 9))  # Monday, the first working day after the due day
    [message] = _messages(world["enterprise_user"])
    assert "2026年10月" in message.title and "2026-11-06" in message.title
    assert len(_messages(colleague)) == 1
    send_reminders(today=D(2026, 11, 9))  # a second run the same day
    send_reminders(today=D(2026, 11, 10))
    send_reminders(today=D(2026, 11, 11))
    assert len(_messages(world["enterprise_user"])) == 1
    assert Reminder.objects.filter(kind="monitoring_report_missed", object_id=points["a"].pk).count() == 2


def test_a_point_that_filed_is_not_reminded_nor_is_another_enterprise(world, points):
    make_report(points["a"], OCTOBER.start, 4)
    plain_user = UserFactory(role="enterprise", enterprise=points["plain"])
    ReminderRun.objects.create(day=D(2026, 11, 8))
    send_reminders(today=D(2026, 11, 9))
    assert _messages(world["enterprise_user"]) == [] and _messages(plain_user) == []


def test_nothing_is_sent_on_a_day_off_and_a_missed_run_is_caught_up(world, points):
    ReminderRun.objects.create(day=D(2026, 11, 6))
    send_reminders(today=D(2026, 11, 7))  # Saturday: no working day, nothing due
    assert _messages(world["enterprise_user"]) == []
    send_reminders(today=D(2026, 11, 10))  # the 9th was missed: caught up, marked late
    [message] = _messages(world["enterprise_user"])
    assert message.is_late


def test_a_quarterly_park_reports_by_quarter_and_is_reminded_after_the_quarter(world, points):
    from monitoring.models import ParkMonitoringSettings
    from monitoring.reminders import missed_periods

    ParkMonitoringSettings.objects.create(park=world["park_a"], period_months=3, due_working_days=3)
    quarter = Period.containing(D(2026, 11, 5), 3)
    assert (quarter.start, quarter.end, quarter.label()) == (D(2026, 10, 1), D(2026, 12, 31), "2026年第4季度")
    q3 = quarter.previous()
    assert q3.due_on(3) == D(2026, 10, 10)  # 8, 9 and the make-up Saturday 10 October
    # Reminded on the next working day, 12 October; park B (monthly) owes nothing that day.
    assert missed_periods(D(2026, 10, 12)) == {world["park_a"].pk: q3}
    assert missed_periods(D(2026, 10, 14)) == {world["park_b"].pk: Period(D(2026, 9, 1))}
