"""The daily reminders: the right people on the right working days, exactly once, missed days caught up."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.choices import Role
from core.models import Notification, Reminder, ReminderRun
from core.reminders import send_reminders
from tests.factories import TaskFactory, UserFactory

D = datetime.date


@pytest.fixture
def task(world):
    """A task of park A owned by the world's officer, due Tuesday 24 February 2026 — the first working
    day after the Spring Festival holiday (15–23 February), with Saturday 14 February worked instead."""
    return TaskFactory(
        finding__park=world["park_a"], finding__found_on=D(2026, 1, 5), owner=world["officer"], deadline=D(2026, 2, 24)
    )


def kinds_on(day, user=None):
    send_reminders(today=day)
    reminders = Reminder.objects.filter(day=day)
    if user is not None:
        reminders = reminders.filter(recipient=user)
    return sorted(reminders.values_list("kind", flat=True))


def test_due_reminders_count_working_days_across_the_holiday(task, world):
    officer = world["officer"]
    # Seen from Friday 6 February the working days are 9, 10, 11, 12, 13, 14 (the make-up Saturday) and
    # 24 — the deadline is 7 working days away. A weekday-only count would have said 12.
    ReminderRun.objects.create(day=D(2026, 2, 5))
    assert kinds_on(D(2026, 2, 6), officer) == ["task_due_7"]
    assert kinds_on(D(2026, 2, 9), officer) == []
    assert kinds_on(D(2026, 2, 10), officer) == []


def test_the_make_up_saturday_is_a_reminder_day(task, world):
    officer = world["officer"]
    ReminderRun.objects.create(day=D(2026, 2, 13))
    # On Saturday 14 February (a working day) the task is due in 1 working day (the 24th).
    assert kinds_on(D(2026, 2, 14), officer) == ["task_due_1"]
    # The holiday itself sends nothing.
    assert kinds_on(D(2026, 2, 16), officer) == []


def test_three_days_before(task, world):
    ReminderRun.objects.create(day=D(2026, 2, 11))
    assert kinds_on(D(2026, 2, 12), world["officer"]) == ["task_due_3"]  # 13, 14, 24


def test_running_twice_the_same_day_sends_nothing_new(task, world):
    ReminderRun.objects.create(day=D(2026, 2, 13))
    first = send_reminders(today=D(2026, 2, 14))
    second = send_reminders(today=D(2026, 2, 14))
    call_command("send_reminders", "--date", "2026-02-14", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert first.sent == 1 and second.sent == 0
    assert Notification.objects.filter(recipient=world["officer"]).count() == 1


def test_a_missed_day_is_caught_up_and_marked_late(task, world):
    ReminderRun.objects.create(day=D(2026, 2, 11))
    # The job did not run on the 12th (3 days left) nor on the 13th; it runs on the 14th.
    result = send_reminders(today=D(2026, 2, 14))
    assert result.days == [D(2026, 2, 12), D(2026, 2, 13), D(2026, 2, 14)]
    # Both days' reminders are claimed (so neither is sent again) and carried by one message, which
    # says the latest: due in 1 working day. The late one of the 12th is counted as caught up.
    (message,) = Notification.objects.filter(recipient=world["officer"])
    assert set(message.reminders.values_list("kind", flat=True)) == {"task_due_3", "task_due_1"}
    assert Reminder.objects.get(kind="task_due_3").is_late and not message.is_late
    assert result.late == 1


def test_escalation_reaches_the_parks_inspectors_and_nobody_else(task, world):
    other_park_inspector = UserFactory(role=Role.INSPECTOR, parks=[world["park_b"]])
    second_inspector = UserFactory(role=Role.INSPECTOR, parks=[world["park_a"]])
    ReminderRun.objects.create(day=D(2026, 2, 24))
    # Overdue by 1 working day on the 25th: the owner daily, the inspectors of park A once.
    send_reminders(today=D(2026, 2, 25))
    escalated = set(Reminder.objects.filter(kind="task_escalated_1").values_list("recipient", flat=True))
    assert escalated == {world["inspector"].pk, second_inspector.pk}
    assert other_park_inspector.pk not in set(Reminder.objects.values_list("recipient", flat=True))
    assert not Reminder.objects.filter(
        recipient__in=[world["admin"], world["idle_inspector"], world["enterprise_user"]]
    ).exists()
    assert set(Reminder.objects.filter(recipient=world["officer"]).values_list("kind", flat=True)) == {"task_overdue"}
    # Overdue by 2: the owner only. By 3: escalated again.
    assert kinds_on(D(2026, 2, 26), world["inspector"]) == []
    assert kinds_on(D(2026, 2, 27), world["inspector"]) == ["task_escalated_3"]


def test_verified_tasks_remind_nobody(task, world):
    task.status = "verified"
    task.verified_by = world["inspector"]
    task.save()
    ReminderRun.objects.create(day=D(2026, 2, 24))
    assert kinds_on(D(2026, 2, 25)) == []


def test_non_working_days_send_nothing_but_count_as_run(task):
    ReminderRun.objects.create(day=D(2026, 2, 20))
    result = send_reminders(today=D(2026, 2, 21))  # Saturday of the holiday week
    assert result.sent == 0
    assert ReminderRun.objects.filter(day=D(2026, 2, 21)).exists()


def test_reminders_are_emailed_and_the_inbox_does_not_wait(task, world, django_capture_on_commit_callbacks):
    world["officer"].email = "officer@example.gov.cn"
    world["officer"].save()
    ReminderRun.objects.create(day=D(2026, 2, 13))
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(today=D(2026, 2, 14))
    assert len(mail.outbox) == 1
    assert "整改" in mail.outbox[0].subject
    assert Notification.objects.get(recipient=world["officer"]).email.status == "sent"


def test_complaint_reminders_never_name_the_complainant(world, file_complaint_a):
    complaint = file_complaint_a
    ReminderRun.objects.create(day=D(2026, 3, 1))
    send_reminders(today=D(2026, 3, 3))
    notes = Notification.objects.all()
    assert notes.exists()
    for note in notes:
        assert "举报人甲" not in note.title + note.body
    assert complaint.reference in notes.first().title


@pytest.fixture
def file_complaint_a(world):
    import zoneinfo

    from complaints import services

    when = datetime.datetime(2026, 3, 2, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    return services.complaint_submit(
        park=world["park_a"], category="other", subject="某科", description="x", contact_name="举报人甲", now=when
    ).complaint


def test_the_daily_job_is_scheduled_at_the_configured_time_and_admins_can_change_it(client, world):
    from django_celery_beat.models import PeriodicTask

    from core.schedule import install_periodic_tasks

    install_periodic_tasks()
    job = PeriodicTask.objects.get(task="core.send_reminders")
    assert (job.crontab.hour, job.crontab.minute) == ("8", "30")
    job.crontab.hour = "9"
    job.crontab.save()
    install_periodic_tasks()  # another migrate keeps the admin's change
    assert PeriodicTask.objects.get(task="core.send_reminders").crontab.hour == "9"
    client.force_login(world["admin"])
    assert client.get(f"/admin/django_celery_beat/periodictask/{job.pk}/change/").status_code == 200


def test_a_second_run_the_same_day_keeps_the_count_of_the_first(task, world):
    """The run log says how many reminders went out that day: a second run (a retry, a second beat)
    adds what it sent — nothing — instead of writing 0 over the first run's count."""
    ReminderRun.objects.create(day=D(2026, 2, 13))
    send_reminders(today=D(2026, 2, 14))
    send_reminders(today=D(2026, 2, 14))
    assert ReminderRun.objects.get(day=D(2026, 2, 14)).sent == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_reminder_once_and_count_it_once(world):
    """Two beats fire at once (two threads, two database connections, released together): the officer
    gets one reminder, and the day's run log counts one."""
    import threading

    from django.db import connection

    TaskFactory(
        finding__park=world["park_a"], finding__found_on=D(2026, 1, 5), owner=world["officer"], deadline=D(2026, 2, 24)
    )
    ReminderRun.objects.create(day=D(2026, 2, 13))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(5)
            results.append(send_reminders(today=D(2026, 2, 14)).sent)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(results) == [0, 1]
    assert Notification.objects.filter(recipient=world["officer"]).count() == 1
    assert ReminderRun.objects.get(day=D(2026, 2, 14)).sent == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_with_many_reminders_send_each_once_in_one_message_per_person(world, monkeypatch):
    """Many people, many reminders, claimed in several batches by two runs released together: every
    reminder is claimed once, every person gets one message carrying all their claims, and the runs
    together count each reminder once."""
    from core import reminders
    from tests.concurrency import at_once

    monkeypatch.setattr(reminders, "BATCH_SIZE", 3)  # several batches, so the runs interleave
    owners = [UserFactory(role=Role.PARK_OFFICER, parks=[world["park_a"]]) for _ in range(6)]
    for n in range(24):
        TaskFactory(
            finding__park=world["park_a"],
            finding__found_on=D(2026, 1, 5),
            owner=owners[n % 6],
            deadline=D(2026, 2, 24) if n % 2 else D(2026, 2, 11),  # due in 1 working day, or overdue
        )
    ReminderRun.objects.create(day=D(2026, 2, 13))
    results = at_once(*[lambda: send_reminders(today=D(2026, 2, 14)).sent] * 2)
    claims = Reminder.objects.filter(day=D(2026, 2, 14))
    assert sum(results) == claims.count() == ReminderRun.objects.get(day=D(2026, 2, 14)).sent
    assert claims.filter(recipient__in=owners).count() == 24
    for owner in owners:
        (message,) = Notification.objects.filter(recipient=owner)
        assert set(claims.filter(recipient=owner).values_list("notification", flat=True)) == {message.pk}
