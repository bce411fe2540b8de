"""A Celery worker killed (SIGKILL) while it writes a large export: no half file is ever offered, the
export is shown as stopped once its heartbeat is stale and can be asked for again, a redelivered copy
of the dead attempt's message (acks_late) does nothing, and the inbox says "ready" once, with a complete
file. A real worker process, Redis and PostgreSQL; the rows are many enough that writing them takes
seconds, so the kill lands between "started" and "finished".

Run alone with:  pytest -m celery_worker tests/reliability/test_worker_killed_mid_export.py
"""

import io
import signal
import subprocess
import time

import openpyxl
import pytest
from django.urls import reverse

from core.models import ExportFile, Notification
from core.storage import PrivateFileSystemStorage
from parks.models import Enterprise
from tests.core.test_celery import REDIS_URL, start_worker

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no Redis was found or could be started"),
    pytest.mark.django_db(transaction=True),
]

ROWS = 60_000


def _start_worker(queue: str, folder) -> subprocess.Popen:
    return start_worker(queue, PRIVATE_MEDIA_ROOT=str(folder), EXPORT_HEARTBEAT_SECONDS="1", EXPORT_STALE_SECONDS="3")


def _export_with_its_worker_killed(client, user, queue, folder, fmt):
    """Ask for a large export, let a real worker start writing it, then SIGKILL the worker."""
    worker = _start_worker(queue, folder)
    try:
        response = client.get(reverse("parks:enterprise-list"), {"export": fmt})
        export = ExportFile.objects.get(user=user)
        _wait_for(lambda: ExportFile.objects.filter(pk=export.pk, status="running").exists(), 60, "the run to start")
        time.sleep(0.5)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    return response, export


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def many_enterprises(world):
    Enterprise.objects.bulk_create(
        [Enterprise(credit_code=f"91{n:016d}", name=f"导出企业{n:06d}", park=world["park_a"]) for n in range(ROWS)],
        batch_size=5000,
    )


def test_a_worker_killed_mid_export_offers_no_half_file_and_the_export_can_be_retried(
    client, world, many_enterprises, real_broker, settings, tmp_path, monkeypatch
):
    settings.EXPORT_STALE_SECONDS = 3
    # The web side reads the files the workers write, from the same folder.
    monkeypatch.setattr(ExportFile._meta.get_field("file"), "storage", PrivateFileSystemStorage(location=tmp_path))
    client.force_login(world["inspector"])
    response, export = _export_with_its_worker_killed(client, world["inspector"], real_broker, tmp_path, "xlsx")
    assert response.status_code == 302 and response.url == export.get_status_url()
    export.refresh_from_db()
    assert export.status == "running", "the export finished before the kill: make ROWS larger"
    # Nothing is offered: the download link leads to where the export stands; no "ready" message.
    assert not export.file
    assert client.get(export.get_absolute_url()).url == export.get_status_url()
    assert not Notification.objects.filter(kind="export_ready").exists()
    page = client.get(export.get_status_url()).content.decode()
    assert "重新生成" not in page  # still beating a moment ago: not yet taken for dead
    time.sleep(3.5)
    page = client.get(export.get_status_url()).content.decode()
    assert "导出在完成前中断" in page and "重新生成" in page

    assert client.post(export.get_status_url()).status_code == 302
    export.refresh_from_db()
    assert (export.status, export.attempt) == ("pending", 2)
    # The broker hands the dead attempt's message out again (acks_late): it must do nothing now.
    from core.tasks import export_list

    export_list.apply_async(args=[export.pk, 1])

    second_worker = _start_worker(real_broker, tmp_path)
    try:
        _wait_for(lambda: ExportFile.objects.filter(pk=export.pk, status="ready").exists(), 180, "the retry")
        import redis

        broker = redis.Redis.from_url(REDIS_URL)
        _wait_for(lambda: broker.llen(real_broker) == 0, 30, "the redelivered message to be taken")
        time.sleep(2)
    finally:
        second_worker.terminate()
        second_worker.wait(timeout=30)
    export.refresh_from_db()
    visible = Enterprise.objects.visible_to(world["inspector"]).count()  # ROWS and the world's own
    assert export.rows == visible and export.attempt == 2
    assert Notification.objects.filter(kind="export_ready", recipient=world["inspector"]).count() == 1
    assert ExportFile.objects.count() == 1
    download = client.get(export.get_absolute_url())
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == visible + 1
    # Only the complete file of attempt 2 is on disk.
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert [path.relative_to(tmp_path).as_posix() for path in files] == [export.file.name]


def test_a_redelivered_export_whose_worker_died_is_finished_once(
    client, world, many_enterprises, real_broker, settings, tmp_path, monkeypatch
):
    """No user action: the broker redelivers the dead worker's message (acks_late); once the heartbeat is
    stale the redelivery claims the export and finishes it — one file, one message."""
    monkeypatch.setattr(ExportFile._meta.get_field("file"), "storage", PrivateFileSystemStorage(location=tmp_path))
    client.force_login(world["inspector"])
    _response, export = _export_with_its_worker_killed(client, world["inspector"], real_broker, tmp_path, "csv")
    assert ExportFile.objects.get(pk=export.pk).status == "running", "finished before the kill: raise ROWS"
    from core.tasks import export_list

    # Redelivered (after the broker's visibility timeout; the heartbeat is stale by then): the copy
    # claims the export and finishes it; a further copy finds it done.
    visible = Enterprise.objects.visible_to(world["inspector"]).count()
    time.sleep(3.5)
    worker = _start_worker(real_broker, tmp_path)
    try:
        assert export_list.apply_async(args=[export.pk, 1], ignore_result=False).get(timeout=180) == visible
        assert export_list.apply_async(args=[export.pk, 1], ignore_result=False).get(timeout=60) is None
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    export.refresh_from_db()
    assert (export.status, export.rows) == ("ready", visible)
    assert Notification.objects.filter(kind="export_ready").count() == 1
    body = b"".join(client.get(export.get_absolute_url()).streaming_content).decode("utf-8-sig")
    assert body.count("\n") == visible + 1
