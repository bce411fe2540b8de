"""A gunicorn worker killed (SIGKILL) while it saves a confirmed import: nothing of the file is saved
(one transaction, rolled back by PostgreSQL when the connection dies), the arbiter starts a new
worker, and posting the same confirmation again imports the file once. A real gunicorn process, the
test's PostgreSQL database; the file has rows enough that saving them takes a while.

tests/imports/test_hostile_files.py covers the same in-process (a worker dying between the writes and
the commit, a confirmation posted again after it was applied, two confirmations at once)."""

import os
import re
import signal
import threading
import time
import urllib.error

import pytest
from django.db import connection
from django.urls import reverse

from parks.models import Enterprise
from tests.imports.test_imports import ENTERPRISE_HEADERS, enterprise_rows, xlsx

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 3000


def _writing_backends() -> list[int]:
    """Server processes of other connections with a transaction open that has written to the ledger."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE c.relname = 'parks_enterprise' AND l.mode = 'RowExclusiveLock' "
            "AND a.datname = current_database() AND l.pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _imported() -> int:
    return Enterprise.objects.filter(name__startswith="导入企业").count()


def test_a_gunicorn_worker_killed_mid_confirmation_saves_nothing_and_the_confirmation_can_be_posted_again(
    portal_server, world
):
    portal_server.login(world["officer"])
    url = reverse("imports:upload", args=["enterprises"])
    preview = portal_server.post_file(url, "file", "data.xlsx", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, ROWS)))
    assert preview.status == 200, preview.body[:500]
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview.body).group(1)

    answer = {}

    def confirm():
        try:
            answer["first"] = portal_server.post_form(url, {"token": token}).status
        except (urllib.error.URLError, ConnectionError, OSError) as error:
            answer["first"] = error  # the worker died under the request

    request = threading.Thread(target=confirm)
    request.start()
    deadline = time.monotonic() + 60
    while not _writing_backends():
        assert time.monotonic() < deadline, "the confirmation never started writing"
        assert request.is_alive(), f"the confirmation finished before the kill: raise ROWS ({answer})"
        time.sleep(0.05)
    (worker,) = portal_server.worker_pids()
    os.kill(worker, signal.SIGKILL)
    request.join(30)
    assert not isinstance(answer.get("first"), int), answer
    # PostgreSQL rolls the dead worker's transaction back when its connection drops.
    deadline = time.monotonic() + 30
    while _writing_backends():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert _imported() == 0, "half an import was saved"

    deadline = time.monotonic() + 60
    while True:  # the arbiter starts a new worker
        try:
            again = portal_server.post_form(url, {"token": token}, timeout=120)
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            assert time.monotonic() < deadline
            time.sleep(0.5)
    assert again.status == 302, again.body[:500]
    assert _imported() == ROWS
