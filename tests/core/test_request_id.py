"""Every log line of a request carries the request's id — the one the proxy sent in X-Request-ID when it
looks like an id, else a new one — and the answer names it in X-Request-ID. Tasks the request starts log
under the same id, run in-process or by a real worker. Production writes the lines as JSON."""

import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from core.logs import JsonFormatter, RequestIdFilter
from core.request_id import HEADER
from tests.core.test_celery import REDIS_URL, _database_url, real_broker  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.urls("tests.core.request_log_views")


@pytest.fixture
def json_lines():
    """The JSON lines production would write, as the root logger's handlers see them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    saved_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("tests.request_log").setLevel(logging.INFO)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield read
    root.removeHandler(handler)
    root.setLevel(saved_level)


def _ours(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "tests.request_log"]


@pytest.mark.django_db
def test_every_line_of_a_request_and_of_the_task_it_starts_carries_the_id_of_the_answer(json_lines):
    response = Client().get("/log/")
    request_id = response[HEADER]
    lines = _ours(json_lines())
    assert [line["message"] for line in lines] == ["the page starts", "the task ran: page", "the page ends"]
    assert {line["request_id"] for line in lines} == {request_id}
    assert len(request_id) >= 16


@pytest.mark.django_db
def test_a_json_line_keeps_plain_extras_but_not_the_request_and_its_query_string(json_lines):
    response = Client().get("/missing/", {"code": "7KQ2-M9XD-4RTA-8HNV"})
    assert response.status_code == 404
    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["status_code"] == 404 and line["request_id"] == response[HEADER]
    assert "7KQ2" not in json.dumps(line) and "request" not in line


def test_log_lines_are_scrubbed_of_phones_and_tracking_codes_in_exception_messages(json_lines):
    try:
        raise ValueError("no complaint 7KQ2-M9XD-4RTA-8HNV for 13987654321")
    except ValueError:
        logging.getLogger("tests.request_log").exception("lookup of 7KQ2M9XD4RTA8HNV failed")
    text = json.dumps(_ours(json_lines()), ensure_ascii=False)
    assert "ValueError" in text
    assert "7KQ2" not in text and "13987654321" not in text


@pytest.mark.django_db
def test_an_id_from_the_proxy_is_kept_and_a_forged_one_replaced(json_lines):
    kept = Client().get("/log/", headers={"X-Request-ID": "lb-2026.11.27-0001"})
    assert kept[HEADER] == "lb-2026.11.27-0001"
    forged = Client().get("/log/", headers={"X-Request-ID": 'x" level=ERROR\nfake line'})
    assert forged[HEADER] != 'x" level=ERROR\nfake line' and "\n" not in forged[HEADER]
    ids = [line["request_id"] for line in _ours(json_lines())]
    assert ids == ["lb-2026.11.27-0001"] * 3 + [forged[HEADER]] * 3


@pytest.mark.django_db
def test_two_requests_have_two_ids_and_lines_outside_a_request_none(json_lines):
    first, second = Client().get("/log/"), Client().get("/log/")
    assert first[HEADER] != second[HEADER]
    logging.getLogger("tests.request_log").warning("after the requests")
    assert _ours(json_lines())[-1]["request_id"] == "-"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_task_run_by_a_real_worker_logs_under_the_id_of_the_request_that_queued_it(real_broker, tmp_path):  # noqa: F811
    log_file = tmp_path / "worker.log"
    with open(log_file, "wb") as out:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
                "--queues", real_broker, "--loglevel=INFO", "--include", "tests.core.request_log_views",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "DATABASE_URL": _database_url(),
                "REDIS_URL": REDIS_URL,
                "LOG_FORMAT": "json",
            },
        )  # fmt: skip
        try:
            response = Client().get("/log/", {"label": "in the worker"}, headers={"X-Request-ID": "req-from-lb-42"})
            assert response[HEADER] == "req-from-lb-42"
            line = _wait_for_line(log_file, "the task ran: in the worker")
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert line["request_id"] == "req-from-lb-42", line


def _wait_for_line(log_file: Path, message: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for text in log_file.read_text(errors="replace").splitlines():
            if text.startswith("{") and json.loads(text).get("message") == message:
                return json.loads(text)
        time.sleep(0.3)
    pytest.fail(f"the worker never logged {message!r}:\n{log_file.read_text(errors='replace')[-3000:]}")
