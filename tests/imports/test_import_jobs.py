"""Large imports off the web request: above IMPORT_DIRECT_MAX_ROWS the upload returns at once with a job
page; a worker checks the file (the page shows the rows checked, then the same preview as a small file),
saves it when confirmed — all rows or none — and the inbox says when it is done. Only the uploader sees it.

Here tasks run in-process (eager), except in the test that starts a real worker."""

import time

import pytest
from django.urls import reverse

from core.import_files import has_more_rows_than
from core.models import ImportJob, Notification
from core.storage import PrivateFileSystemStorage
from parks.models import Enterprise
from tests.core.test_celery import REDIS_URL, real_broker, start_worker  # noqa: F401 - real_broker: a fixture
from tests.factories import EnterpriseFactory, valid_credit_code

from .test_imports import ENTERPRISE_HEADERS, enterprise_rows, upload, xlsx

ROWS = 8


@pytest.fixture
def small_threshold(settings):
    settings.IMPORT_DIRECT_MAX_ROWS = 5


def test_rows_are_counted_without_reading_the_file(world):
    for rows in (5, 6):
        data = xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, rows))
        csv = "统一社会信用代码,企业名称\n".encode() + b"x,y\n" * rows
        assert has_more_rows_than("data.xlsx", data, 5) is (rows > 5)
        assert has_more_rows_than("data.csv", csv, 5) is (rows > 5)


def test_a_large_file_returns_at_once_and_its_page_shows_the_errors_per_row(client, world, small_threshold):
    client.force_login(world["officer"])
    rows = enterprise_rows(world, ROWS)
    rows[3][2] = "NO-SUCH-PARK"  # row 5 of the sheet
    rows[6][0] = "123"  # row 8
    response = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, rows))
    job = ImportJob.objects.get(user=world["officer"])
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.status, job.rows_total, job.rows_checked) == ("checked", ROWS, ROWS)

    page = client.get(response.url)
    body = page.content.decode()
    assert page.context["counts"]["error"] == 2
    errors = {row.number for row in page.context["report"].errors}
    assert errors == {5, 8}
    assert "园区编码" in body and "统一社会信用代码" in body
    assert "确认导入" not in body  # nothing to confirm
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()
    inbox = Notification.objects.get(recipient=world["officer"], kind="import_checked")
    assert "2 行有错误" in inbox.title and inbox.link == job.get_absolute_url()


def test_a_large_file_confirmed_is_saved_by_the_worker_and_the_inbox_says_so(
    client, world, small_threshold, django_assert_max_num_queries
):
    client.force_login(world["officer"])
    response = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, ROWS)))
    with django_assert_max_num_queries(8):
        page = client.get(response.url)
    assert page.context["counts"] == {"new": ROWS, "updated": 0, "unchanged": 0, "error": 0}
    assert "确认导入" in page.content.decode()
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()  # nothing before the confirmation

    client.post(response.url)
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == ROWS
    job = ImportJob.objects.get(user=world["officer"])
    assert job.status == "done" and not job.file  # the kept upload is removed once saved
    done = Notification.objects.get(recipient=world["officer"], kind="import_done")
    assert f"新增 {ROWS} 条" in done.title
    assert "已导入" in client.get(response.url).content.decode()

    client.post(response.url)  # a second confirmation: nothing more
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == ROWS
    assert Notification.objects.filter(kind="import_done").count() == 1


def test_a_row_gone_bad_since_the_check_saves_nothing(client, world, small_threshold):
    """Checked clean; before the confirmation someone files one of its enterprises under another park.
    The worker checks again inside its transaction: one bad row, no row saved."""
    client.force_login(world["officer"])
    response = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, ROWS)))
    EnterpriseFactory(credit_code=valid_credit_code(5000 + 4), park=world["park_b"], name="别处的企业")
    client.post(response.url)
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()
    job = ImportJob.objects.get(user=world["officer"])
    assert job.status == "checked" and job.file  # the file is kept: nothing lost
    page = client.get(response.url)
    assert {row.number for row in page.context["report"].errors} == {6}
    assert "该企业属于您无权管理的园区" in page.content.decode()


def test_a_job_with_errors_cannot_be_confirmed(client, world, small_threshold):
    client.force_login(world["officer"])
    rows = enterprise_rows(world, ROWS)
    rows[0][2] = "NO-SUCH-PARK"
    response = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, rows))
    client.post(response.url)
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()
    assert ImportJob.objects.get(user=world["officer"]).status == "checked"


def test_only_the_uploader_sees_the_job(client, world, small_threshold):
    client.force_login(world["officer"])
    response = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, ROWS)))
    job = ImportJob.objects.get()
    client.force_login(world["admin"])  # even the commission's administrator: it is someone else's file
    assert client.get(response.url).status_code == 404
    assert client.get(reverse("imports:job-status", args=[job.pk])).status_code == 404
    assert client.post(response.url).status_code == 404
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()


def test_the_status_endpoint_says_how_far_it_got(client, world, small_threshold, django_assert_max_num_queries):
    client.force_login(world["officer"])
    upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, ROWS)))
    job = ImportJob.objects.get()
    with django_assert_max_num_queries(4):  # session, user, the job, the user's parks
        status = client.get(reverse("imports:job-status", args=[job.pk])).json()
    assert status == {
        "status": "checked",
        "status_label": "已检查",
        "rows_total": ROWS,
        "rows_checked": ROWS,
        "running": False,
    }


def test_small_imports_are_still_checked_in_the_request(client, world, small_threshold):
    client.force_login(world["officer"])
    preview = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, 5)))
    assert preview.status_code == 200 and preview.context["token"]
    assert not ImportJob.objects.exists()


@pytest.mark.celery_worker
@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no Redis was found or could be started")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_reports_progress_then_saves(client, world, settings, real_broker, tmp_path, monkeypatch):  # noqa: F811
    rows = 1200
    settings.IMPORT_DIRECT_MAX_ROWS = 100
    monkeypatch.setattr(ImportJob._meta.get_field("file"), "storage", PrivateFileSystemStorage(location=tmp_path))
    client.force_login(world["officer"])
    started = time.monotonic()
    response = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, rows)))
    assert time.monotonic() - started < 5  # nothing checked in the request
    job = ImportJob.objects.get()
    assert (job.status, job.rows_checked) == ("queued", 0)
    status_url = reverse("imports:job-status", args=[job.pk])
    worker = start_worker(real_broker, PRIVATE_MEDIA_ROOT=str(tmp_path))
    try:
        seen = [client.get(status_url).json()]
        while seen[-1]["running"] and time.monotonic() - started < 120:
            time.sleep(0.05)
            seen.append(client.get(status_url).json())
        checked = [s["rows_checked"] for s in seen]
        assert checked == sorted(checked) and checked[0] == 0 and checked[-1] == rows
        assert seen[-1]["status"] == "checked" and seen[-1]["rows_total"] == rows
        client.post(response.url)  # confirm: saved by the worker
        deadline = time.monotonic() + 120
        while ImportJob.objects.get().status != "done" and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == rows
    assert Notification.objects.filter(recipient=world["officer"], kind="import_done").count() == 1


@pytest.fixture
def broker_down():
    """The Celery broker at a port nothing listens on (Redis down), until the test ends."""
    from config.celery import app as celery_app
    from tests.reliability.test_redis_down import _switch_celery, closed_port

    saved = celery_app.conf["broker_url"], celery_app.conf["task_always_eager"]

    class Outage:
        def end(self):
            _switch_celery(broker=saved[0], eager=saved[1])

    _switch_celery(broker=f"redis://127.0.0.1:{closed_port()}/0")
    yield Outage()
    Outage().end()


def test_redis_down_a_large_import_is_refused_clearly_and_the_file_kept(client, world, small_threshold, broker_down):
    """A real admin wants to know at once that nothing happened and why, not a page that waits for ever,
    nor a 50,000-row check in the request that the web server's timeout would cut. The file is kept:
    "try again" once the service is back, without uploading it again."""
    client.force_login(world["officer"])
    response = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, ROWS)))
    job = ImportJob.objects.get()
    assert response.url == job.get_absolute_url()
    assert job.status == "failed" and job.file
    page = client.get(response.url).content.decode()
    assert "后台服务暂时无法连接" in page and "重试" in page

    broker_down.end()  # the service is back
    client.post(response.url, {"retry": "1"})
    assert ImportJob.objects.get().status == "checked"
    client.post(response.url)
    assert Enterprise.objects.filter(name__startswith="导入企业").count() == ROWS


def test_redis_down_at_the_confirmation_the_job_waits_to_be_confirmed_again(client, world, small_threshold, request):
    client.force_login(world["officer"])
    response = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, ROWS)))
    request.getfixturevalue("broker_down")
    page = client.post(response.url, follow=True).content.decode()
    assert "后台服务暂时无法连接" in page
    assert ImportJob.objects.get().status == "checked"
    assert not Enterprise.objects.filter(name__startswith="导入企业").exists()


def test_old_jobs_are_removed_with_their_files(client, world, small_threshold, settings):
    import datetime

    from django.utils import timezone

    from core.tasks import remove_stale_files

    client.force_login(world["officer"])
    upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, ROWS)))
    job = ImportJob.objects.get()
    storage, name = job.file.storage, job.file.name
    ImportJob.objects.update(uploaded_at=timezone.now() - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS + 1))
    assert remove_stale_files.delay().get()["import_jobs"] == 1
    assert not ImportJob.objects.exists() and not storage.exists(name)


def test_a_job_whose_worker_died_can_be_tried_again_and_a_late_copy_does_nothing(client, world, small_threshold):
    """The worker was killed while checking: no heartbeat for EXPORT_STALE_SECONDS. The page says it
    stopped and offers "try again" (a new attempt); the dead attempt's redelivered message does nothing."""
    import datetime

    from django.utils import timezone

    from core.import_jobs import import_job_check

    client.force_login(world["officer"])
    response = upload(client, "enterprises", xlsx(ENTERPRISE_HEADERS, enterprise_rows(world, ROWS)))
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    ImportJob.objects.update(status="checking", rows_checked=3, report={}, heartbeat_at=long_ago)
    page = client.get(response.url).content.decode()
    assert "导入在完成前中断" in page and "重试" in page
    client.post(response.url, {"retry": "1"})
    job = ImportJob.objects.get()
    assert (job.status, job.attempt, job.rows_checked) == ("checked", 2, ROWS)
    assert import_job_check(job_id=job.pk, attempt=1) is None  # the old attempt's message
    assert import_job_check(job_id=job.pk, attempt=2) is None  # a second delivery of the new one
    assert Notification.objects.filter(kind="import_checked").count() == 2  # once per attempt that ran
