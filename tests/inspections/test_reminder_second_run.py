"""A second run of the reminder job the same day: the sources leave out in SQL what is claimed already, so
it reads nothing to claim — but whatever is still owed to someone (a new owner, an inspector added to the
park, a claim lost to a run that stopped half-way) is still found."""

import datetime

import pytest

from accounts.choices import Role
from core.models import Reminder, ReminderRun
from core.reminders import send_reminders
from inspections.reminders import TaskReminders
from tests.factories import TaskFactory, UserFactory

D = datetime.date
#: Overdue by 1 working day on the 25th: the owner's overdue reminder and the escalation to the inspectors.
DAY = D(2026, 2, 25)


@pytest.fixture
def task(world):
    ReminderRun.objects.create(day=D(2026, 2, 24))
    return TaskFactory(
        finding__park=world["park_a"], finding__found_on=D(2026, 1, 5), owner=world["officer"], deadline=D(2026, 2, 24)
    )


def owed(day=DAY):
    return sorted((due.kind, sorted(due.recipients)) for due in TaskReminders().due(day))


def test_once_claimed_the_source_finds_nothing(task, world):
    UserFactory(role=Role.INSPECTOR, parks=[world["park_a"]])
    assert [(kind, len(people)) for kind, people in owed()] == [("task_escalated_1", 2), ("task_overdue", 1)]
    assert send_reminders(today=DAY).sent == 3  # the owner, the two inspectors of park A
    assert owed() == []


def test_what_is_still_owed_to_someone_is_found(task, world):
    send_reminders(today=DAY)
    newcomer = UserFactory(role=Role.INSPECTOR, parks=[world["park_a"]])
    new_owner = UserFactory(role=Role.PARK_OFFICER, parks=[world["park_a"]])
    task.owner = new_owner
    task.save()
    escalated = dict(owed())["task_escalated_1"]
    assert newcomer.pk in escalated and dict(owed())["task_overdue"] == [new_owner.pk]
    assert send_reminders(today=DAY).sent == 2
    assert set(Reminder.objects.filter(day=DAY, kind="task_escalated_1").values_list("recipient", flat=True)) >= {
        newcomer.pk
    }
    assert owed() == []


def test_a_claim_lost_for_one_inspector_is_found_for_that_inspector(task, world):
    send_reminders(today=DAY)
    Reminder.objects.filter(kind="task_escalated_1", recipient=world["inspector"]).delete()
    assert [kind for kind, _people in owed()] == ["task_escalated_1"]  # the owner's stays left out
    assert send_reminders(today=DAY).sent == 1
    assert Reminder.objects.filter(kind="task_escalated_1", recipient=world["inspector"]).count() == 1


def complaint_owed(day):
    from complaints.reminders import ComplaintReminders

    return sorted((due.kind, sorted(due.recipients)) for due in ComplaintReminders().due(day))


@pytest.mark.parametrize("assigned", [False, True])
def test_complaints_once_claimed_are_left_out_until_someone_is_owed_again(world, assigned):
    """Awaiting acceptance (to the park's inspectors), or assigned with the reply 1 working day overdue (to
    the officer handling it, escalated to the inspectors)."""
    from complaints import services
    from complaints.models import Complaint
    from core.workdays import subtract_working_days

    day = D(2026, 3, 10)
    when = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    complaint = services.complaint_submit(
        park=world["park_a"], category="other", subject="某事", description="x", contact_name="甲", now=when
    ).complaint
    if assigned:
        Complaint.objects.filter(pk=complaint.pk).update(
            status="assigned", assigned_to=world["officer"], reply_due=subtract_working_days(day, 1)
        )
    ReminderRun.objects.create(day=day - datetime.timedelta(days=1))
    kinds = [kind for kind, _people in complaint_owed(day)]
    assert kinds == (
        ["complaint_escalated_1", "complaint_overdue_assigned"] if assigned else ["complaint_overdue_submitted"]
    )
    assert send_reminders(today=day).sent >= 1
    assert complaint_owed(day) == []
    newcomer = UserFactory(role=Role.INSPECTOR, parks=[world["park_a"]])
    assert newcomer.pk in dict(complaint_owed(day))["complaint_escalated_1" if assigned else kinds[0]]
    assert send_reminders(today=day).sent == 1
    assert complaint_owed(day) == []
