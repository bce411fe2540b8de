"""How long the daily reminder job takes with many reminders due, and what a second run the same day costs.

Fills a throwaway PostgreSQL database with PARKS parks (inspectors and officers in each) and about
REMINDERS reminders due on one working day: rectification tasks overdue (some on an escalation day) and
due in 1, 3 or 7 working days, complaints whose reply is overdue (to the officer handling them) and
complaints not accepted in time (to every inspector of the park). Every person has an e-mail address.
Then runs the job twice for that day and prints, for each run: seconds, SQL queries (and per reminder),
the Celery tasks queued (publishing is counted, not sent: the e-mails go out after commit, in workers),
and the ratio second run / first run.

    .venv/bin/python scripts/with_services.py .venv/bin/python bench/reminders.py [REMINDERS]

``run(size)`` fills an empty database and returns the figures as a dict (for a combined benchmark).
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

PARKS = 40
INSPECTORS = 3  # per park
OFFICERS = 10  # per park
#: A Wednesday with no holiday near it: the last run was the day before, so one day is run.
TODAY = datetime.date(2026, 6, 10)


def _people(parks):
    from accounts.choices import Role
    from accounts.models import User

    users = User.objects.bulk_create(
        User(
            username=f"b{park.pk}-{role}-{n}",
            name=f"用户{park.pk}-{n}",
            role=role,
            email=f"b{park.pk}-{role}-{n}@example.gov.cn",
        )
        for park in parks
        for role, count in ((Role.INSPECTOR, INSPECTORS), (Role.PARK_OFFICER, OFFICERS))
        for n in range(count)
    )
    through = User.parks.through
    per_park = INSPECTORS + OFFICERS
    through.objects.bulk_create(
        through(user_id=user.pk, park_id=parks[i // per_park].pk) for i, user in enumerate(users)
    )
    inspectors = {park.pk: users[i * per_park : i * per_park + INSPECTORS] for i, park in enumerate(parks)}
    officers = {park.pk: users[i * per_park + INSPECTORS : (i + 1) * per_park] for i, park in enumerate(parks)}
    return inspectors, officers


def _tasks(parks, officers, count: int) -> None:
    """Half overdue by 1 to 20 working days, half due in 1, 3 or 7 working days."""
    from core.workdays import add_working_days, subtract_working_days
    from inspections.models import Finding, RectificationTask

    findings = Finding.objects.bulk_create(
        Finding(
            park=parks[i % len(parks)], description=f"整改事项{i}", category="incentives", responsible_unit="财政局"
        )
        for i in range(count)
    )
    ahead = {n: add_working_days(TODAY, n) for n in (1, 3, 7)}
    behind = {n: subtract_working_days(TODAY, n) for n in range(1, 21)}
    RectificationTask.objects.bulk_create(
        (
            RectificationTask(
                finding=finding,
                park_id=finding.park_id,  # bulk_create skips save(), which sets it
                owner=officers[finding.park_id][i % OFFICERS],
                measures="完善制度",
                deadline=behind[1 + i // 2 % 20] if i % 2 else ahead[(1, 3, 7)[i // 2 % 3]],
            )
            for i, finding in enumerate(findings)
        ),
        batch_size=5000,
    )


def _complaints(parks, officers, count: int) -> None:
    """Two thirds assigned with the reply overdue, one third not accepted in time."""
    from complaints.choices import Status
    from complaints.models import Complaint
    from core.workdays import subtract_working_days

    submitted = datetime.datetime(2026, 5, 6, 9, tzinfo=datetime.UTC)
    Complaint.objects.bulk_create(
        (
            Complaint(
                park=park,
                category="other",
                subject=f"事项{i}",
                description="情况说明",
                tracking_digest=f"{i:064x}",
                submitted_at=submitted,
                accept_due=subtract_working_days(TODAY, 1 + i % 5),
                reply_due=subtract_working_days(TODAY, 1 + i % 9) if i % 3 else None,
                status=Status.ASSIGNED if i % 3 else Status.SUBMITTED,
                assigned_to=officers[park.pk][i % OFFICERS] if i % 3 else None,
            )
            for i, park in ((i, parks[i % len(parks)]) for i in range(count))
        ),
        batch_size=5000,
    )


def fill(reminders: int) -> None:
    from core.models import ReminderRun
    from parks.models import Park

    parks = Park.objects.bulk_create(
        Park(code=f"R{i:03d}", name=f"园区{i}", level="provincial", kind="industrial", region="某市")
        for i in range(PARKS)
    )
    _inspectors, officers = _people(parks)
    # Each task is one reminder (some two: due and escalated to 3 inspectors); each complaint awaiting
    # acceptance is 3 (one per inspector), one awaiting its reply 1.
    _tasks(parks, officers, reminders // 2)
    _complaints(parks, officers, reminders * 3 // 10)
    ReminderRun.objects.create(day=TODAY - datetime.timedelta(days=1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class _Counter:
    def __init__(self):
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


def timed_run() -> dict:
    """One run of the daily job for TODAY: seconds, queries, tasks queued, reminders sent."""
    from core import tasks
    from core.reminders import send_reminders

    published = []
    real_publish = tasks.publish
    tasks.publish = lambda task, *args, **kwargs: published.append(task.name) or True
    counter = _Counter()
    try:
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            result = send_reminders(today=TODAY)
            seconds = time.perf_counter() - start
    finally:
        tasks.publish = real_publish
    return {"seconds": seconds, "queries": counter.queries, "tasks_queued": len(published), "sent": result.sent}


def warm_up() -> None:
    """What a worker process has done long before the job: URLs resolved once, catalogues loaded."""
    from django.urls import reverse
    from django.utils.translation import gettext

    import complaints.reminders  # noqa: F401 - the sources register themselves
    import inspections.reminders  # noqa: F401
    import risks.reminders  # noqa: F401

    reverse("complaints:detail", kwargs={"pk": 1})
    gettext("reply")


def run(size: int) -> dict:
    """Fill the (empty) database with about ``size`` reminders due and time two runs of the job."""
    from core.models import Notification, Reminder

    fill(size)
    warm_up()
    first = timed_run()
    first["messages"] = Notification.objects.count()
    second = timed_run()
    assert second["sent"] == 0 and Reminder.objects.count() == first["sent"]
    return {
        "reminders": first["sent"],
        "first": first,
        "second": second,
        "queries_per_reminder": first["queries"] / max(first["sent"], 1),
        "second_over_first": second["seconds"] / first["seconds"],
    }


def report(result: dict) -> None:
    first, second = result["first"], result["second"]
    print(f"{result['reminders']} reminders due on {TODAY} in {first['messages']} messages ({PARKS} parks)")
    for name, figures in (("first run", first), ("second run", second)):
        print(
            f"{name:11} {figures['seconds']:7.2f} s  {figures['queries']:6d} queries "
            f"({figures['queries'] / max(result['reminders'], 1):.2f} per reminder)  "
            f"{figures['tasks_queued']} tasks queued  sent {figures['sent']}"
        )
    print(f"second / first: {result['second_over_first']:.3f}")


if __name__ == "__main__":
    old = setup_databases(verbosity=0, interactive=False)
    try:
        report(run(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
    finally:
        teardown_databases(old, verbosity=0)
