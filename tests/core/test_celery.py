"""A round trip through a real Celery worker process and a real Redis broker."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction

from config.celery import app as celery_app
from core.tasks import enqueue_on_commit
from desks.tasks import worker_selfcheck
from tests.factories import ParkFactory

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")

needs_redis = pytest.mark.skipif(
    not REDIS_URL,
    reason="REDIS_URL is not set: no Redis was found or could be started (install redis-server)",
)
pytestmark = [needs_redis, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    """The test database (pytest-django renamed it), for the worker process."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def real_broker(settings):
    """Send tasks to Redis for real, on a queue of this test's own."""
    queue = f"test-{uuid.uuid4().hex}"
    previous = dict(celery_app.conf)
    celery_app.conf.update(
        task_always_eager=False,
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_default_queue=queue,
    )
    yield queue
    celery_app.conf.update(
        {key: previous[key] for key in ("task_always_eager", "broker_url", "result_backend", "task_default_queue")}
    )
    redis.Redis.from_url(REDIS_URL).delete(queue)


def start_worker(queue: str, **env: str) -> subprocess.Popen:
    """A real Celery worker process on ``queue``, against the test database and Redis; ``env`` adds settings
    (read from the environment by config.settings.test)."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--queues", queue, "--loglevel=WARNING",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": REDIS_URL,
            **env,
        },
    )  # fmt: skip


@pytest.fixture
def worker(real_broker):
    process = start_worker(real_broker)
    yield process
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.celery_worker
def test_a_task_runs_in_a_real_worker_and_sees_committed_rows(worker):
    park = ParkFactory(code="PDS-GXQ", name="平顶山高新技术产业开发区")
    result = worker_selfcheck.delay(park.pk).get(timeout=60)
    assert result == {"parks": 1, "park": {"code": "PDS-GXQ", "name": "平顶山高新技术产业开发区"}}
    assert worker.poll() is None


def test_enqueue_on_commit_sends_nothing_until_the_transaction_commits(real_broker):
    broker = redis.Redis.from_url(REDIS_URL)
    with transaction.atomic():
        park = ParkFactory()
        enqueue_on_commit(worker_selfcheck, park.pk)
        assert broker.llen(real_broker) == 0
    assert broker.llen(real_broker) == 1


def test_a_rolled_back_transaction_sends_nothing(real_broker):
    broker = redis.Redis.from_url(REDIS_URL)

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        enqueue_on_commit(worker_selfcheck, ParkFactory().pk)
        raise Rollback
    assert broker.llen(real_broker) == 0
