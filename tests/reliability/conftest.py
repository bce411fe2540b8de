"""The portal served by a real gunicorn process (the production WSGI path: request signals, persistent
database connections) against this test's database, so that tests can kill what production loses:
a PostgreSQL connection, a worker in the middle of a request."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.test import Client

from tests.core.test_celery import ROOT, _database_url, real_broker  # noqa: F401 - a fixture (real Redis queue)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Response:
    status: int
    body: str
    headers: dict
    content: bytes = b""  # the body as sent (a download)


@dataclass
class Portal:
    base: str
    process: subprocess.Popen
    cookies: str = ""
    # A browser behind the proxy (tests/reliability/test_production_smoke.py): the cookies the server sets are
    # kept in ``jar`` and sent back, and every request carries ``proxy_headers`` (Host, X-Forwarded-*) as
    # nginx would send them; ``origin`` (https://host) is the page's own address for CSRF's Origin check.
    jar: dict | None = None
    proxy_headers: dict = field(default_factory=dict)
    origin: str = ""

    def login(self, user) -> None:
        """A session of ``user`` in the database the server reads (the test commits it)."""
        client = Client()
        client.force_login(user)
        self.cookies = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        self.csrf = "ConcTestCsrfToken0123456789abcde"  # 32 letters and digits, as Django makes them
        self.cookies += f"; {settings.CSRF_COOKIE_NAME}={self.csrf}"

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None, timeout=30) -> Response:
        cookies = self.cookies if self.jar is None else "; ".join(f"{k}={v}" for k, v in self.jar.items())
        request = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1, built above
            self.base + path, data=data, headers={"Cookie": cookies, **self.proxy_headers, **(headers or {})}
        )
        if data is not None:
            csrf = self.csrf if self.jar is None else self.jar.get(settings.CSRF_COOKIE_NAME, "")
            request.add_header("X-CSRFToken", csrf)
            request.add_header("Referer", (self.origin or self.base) + path)
            if self.origin:
                request.add_header("Origin", self.origin)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=timeout) as answer:
                self._keep_cookies(answer.headers)
                content = answer.read()
                return Response(answer.status, content.decode(errors="replace"), dict(answer.headers), content)
        except urllib.error.HTTPError as error:
            self._keep_cookies(error.headers)
            content = error.read()
            return Response(error.code, content.decode(errors="replace"), dict(error.headers), content)

    def _keep_cookies(self, headers) -> None:
        if self.jar is None:
            return
        for line in headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.jar.pop(name, None)
                else:
                    self.jar[name] = morsel.value

    def post_file(self, path: str, field: str, filename: str, content: bytes, timeout=60) -> Response:
        boundary = "----portal-test-boundary-7d1f"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            path, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, timeout=timeout
        )

    def post_form(self, path: str, fields: dict, timeout=60) -> Response:
        from urllib.parse import urlencode

        return self.request(
            path,
            data=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=timeout,
        )

    def worker_pids(self) -> list[int]:
        """The gunicorn worker processes (children of the arbiter)."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    """Until something listens on ``port`` of 127.0.0.1; fails at once when ``process`` has died."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.3)


@pytest.fixture
def portal_server(transactional_db, tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "60",
        # Private files on disk, so that a worker started after another was killed finds them.
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        # The tests here kill the web worker during a direct import: files of a few thousand rows stay in
        # the request (above the threshold a Celery worker would check them: tests/imports/test_import_jobs.py).
        "IMPORT_DIRECT_MAX_ROWS": "10000",
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", "1", "--worker-class", "sync", "--timeout", "60", "--graceful-timeout", "2",
            "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    portal = Portal(f"http://127.0.0.1:{port}", process)
    wait_for_port(port, process)
    try:
        yield portal
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(Exception):
            from django.db import connection

            # Connections of the server still open would block the flush between tests.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
