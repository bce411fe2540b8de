"""Catching up after a gap: one message per recipient per run, listing each item once — not a copy per
overdue item per missed day (an officer once got 56 messages for one date)."""

import datetime
import zoneinfo

from core.models import Notification, Reminder, ReminderRun
from core.reminders import send_reminders
from tests.factories import TaskFactory

D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_a_gap_of_several_working_days_sends_each_person_one_digest_listing_every_item_once(world):
    from complaints import services

    officer, inspector = world["officer"], world["inspector"]
    # Three rectifications of the officer, overdue since early March 2026.
    tasks = [
        TaskFactory(
            finding__park=world["park_a"],
            finding__found_on=D(2026, 1, 5),
            finding__description=f"整改事项{n}",
            owner=officer,
            deadline=D(2026, 3, n),
        )
        for n in (2, 3, 4)
    ]
    # Two complaints assigned to the officer, reply overdue as well.
    complaints = []
    for n in (1, 2):
        complaint = services.complaint_submit(
            park=world["park_a"],
            category="other",
            subject=f"某科{n}",
            description="x",
            is_anonymous=True,
            now=datetime.datetime(2026, 2, 25, 9, tzinfo=SHANGHAI),
        ).complaint
        services.complaint_accept(
            complaint=complaint, actor=inspector, now=datetime.datetime(2026, 2, 25, 10, tzinfo=SHANGHAI)
        )
        services.complaint_assign(complaint=complaint, actor=inspector, officer=officer)
        complaints.append(complaint)
    # The job last ran on Friday 6 March and next runs on Friday 13 March: five working days missed.
    ReminderRun.objects.create(day=D(2026, 3, 6))
    result = send_reminders(today=D(2026, 3, 13))

    assert result.days[0] == D(2026, 3, 7) and result.days[-1] == D(2026, 3, 13)
    reminders_to = Notification.objects.exclude(kind="complaint_assigned").filter
    (digest,) = reminders_to(recipient=officer)
    lines = digest.body.splitlines()
    assert len(lines) == 5
    for task in tasks:
        assert sum(task.finding.description in line for line in lines) == 1
    for complaint in complaints:
        assert sum(complaint.reference in line for line in lines) == 1
    # Every item is still overdue today, so the message says today's state, not the missed days'.
    assert digest.title == "5 项待办提醒：已逾期或即将到期" and not digest.is_late
    # Each (object, kind, day) is still claimed once, all by this one message.
    claims = Reminder.objects.filter(recipient=officer)
    assert claims.count() > 5 and set(claims.values_list("notification", flat=True)) == {digest.pk}
    # The inspectors get their escalations the same way: one message each.
    assert reminders_to(recipient=inspector).count() == 1

    # A second run the same day sends nothing more.
    send_reminders(today=D(2026, 3, 13))
    assert reminders_to(recipient=officer).count() == 1


def test_a_single_item_reads_as_before(world):
    TaskFactory(
        finding__park=world["park_a"], finding__found_on=D(2026, 1, 5), owner=world["officer"], deadline=D(2026, 2, 24)
    )
    ReminderRun.objects.create(day=D(2026, 2, 11))
    # Caught up: due in 3 working days (the 12th, late), then due in 1 (the 14th): one message, the latest.
    send_reminders(today=D(2026, 2, 14))
    (note,) = Notification.objects.filter(recipient=world["officer"])
    assert note.title == "整改任务还有 1 个工作日到期（2026-02-24）" and not note.is_late
    assert note.link.startswith("/")


def test_an_item_whose_latest_reminder_was_missed_is_marked_late_in_the_digest(world, client):
    officer = world["officer"]
    TaskFactory(  # due in 3 working days on the missed 12 February, nothing on the 14th
        finding__park=world["park_a"],
        finding__found_on=D(2026, 1, 5),
        finding__description="台账补录",
        owner=officer,
        deadline=D(2026, 2, 24),
    )
    TaskFactory(  # overdue today
        finding__park=world["park_a"],
        finding__found_on=D(2026, 1, 5),
        finding__description="制度修订",
        owner=officer,
        deadline=D(2026, 2, 11),
    )
    ReminderRun.objects.create(day=D(2026, 2, 11))
    send_reminders(today=D(2026, 2, 13))
    (digest,) = Notification.objects.filter(recipient=officer)
    assert digest.is_late and digest.title.startswith("【补发】2 项待办提醒")
    late, current = sorted(digest.body.splitlines(), key=lambda line: "台账补录" not in line)
    assert late.startswith("• 【补发】") and "台账补录" in late
    assert "【补发】" not in current and "制度修订" in current
    # The inbox shows the whole list.
    client.force_login(officer)
    inbox = client.get("/inbox/").content.decode()
    assert "台账补录" in inbox and "制度修订" in inbox
