"""`make run`'s seeding, as a newcomer sees it: no Redis, tasks run eagerly, the way to try the portal printed."""

import io
import logging

import pytest
from django.core.management import call_command
from django.urls import reverse

from complaints.demo import DEMO_TRACKING_CODE


@pytest.fixture
def without_redis(monkeypatch):
    """The Celery app as REDIS_URL unset configures it (config/settings/base.py): eager, in-process broker."""
    from config.celery import app
    from config.settings.base import EAGER_BROKER_URL

    assert app.conf.task_always_eager
    before = app.conf.broker_url
    app.conf.broker_url = EAGER_BROKER_URL
    monkeypatch.setattr(app, "_pool", None)  # connections are made afresh for that broker
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    yield app
    app.conf.broker_url = before


@pytest.mark.django_db
def test_seeding_without_redis_says_nothing_about_a_broker_and_prints_how_to_try_it_every_time(
    without_redis, caplog, client
):
    caplog.set_level(logging.WARNING)
    outputs = []
    for _run in range(2):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        outputs.append(out.getvalue())
    assert [r.getMessage() for r in caplog.records if r.name.startswith(("kombu", "celery"))] == []
    for output in outputs:  # the first run and a later one alike
        assert DEMO_TRACKING_CODE in output
        assert "/report/PDS-GXQ/" in output and "/track/" in output
        assert "inspector" in output and "officer" in output
    # …and the path it prints is true: the park's complaint page, the demo code on the tracking page.
    assert client.get(reverse("complaints:report", kwargs={"code": "PDS-GXQ"})).status_code == 200
    tracked = client.post(reverse("complaints:track"), {"code": DEMO_TRACKING_CODE}, follow=True)
    assert tracked.status_code == 200 and "经核实，系统已于本周修复" in tracked.content.decode()
