"""A real Celery worker with its embedded beat, against Redis and the test database: a rectification
task due tomorrow is in its owner's inbox without anyone running anything.

Run alone with:  pytest -m celery_worker tests/inspections/test_beat_end_to_end.py
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid

import pytest
from django.utils import timezone

from core.models import Notification, ReminderRun
from core.workdays import add_working_days, is_working_day
from tests.core.test_celery import REDIS_URL, ROOT, _database_url
from tests.factories import TaskFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not REDIS_URL, reason="REDIS_URL is not set: no Redis was found or could be started (install redis-server)"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_worker_and_beat_deliver_a_reminder_end_to_end(world):
    today = timezone.localdate()
    task = TaskFactory(
        finding__park=world["park_a"],
        finding__found_on=today,
        owner=world["officer"],
        deadline=add_working_days(today, 1),
    )
    queue = f"beat-{uuid.uuid4().hex}"
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": REDIS_URL,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "CELERY_BEAT_TEST_INTERVAL": "2",
        }
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", "--beat",
                "--scheduler", "celery.beat:PersistentScheduler", "--schedule", os.path.join(folder, "beat"),
                "--pool=solo", "--queues", queue, "--loglevel=WARNING",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not ReminderRun.objects.filter(day=today).exists():
                time.sleep(0.5)
            time.sleep(1)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert ReminderRun.objects.filter(day=today).exists(), "the beat never ran the reminder job"
    if is_working_day(today):
        note = Notification.objects.get(recipient=world["officer"], reminders__kind="task_due_1")
        assert note.link == task.get_absolute_url()
    else:  # the job runs every day but sends reminders on working days only
        assert not Notification.objects.filter(recipient=world["officer"]).exists()
    # Several beats fired in those seconds; the reminder still went out once.
    assert Notification.objects.filter(recipient=world["officer"]).count() <= 1
