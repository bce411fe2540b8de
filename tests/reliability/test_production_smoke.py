"""The production layout of deploy/README.md, started on this machine: ``config.settings.production`` (DEBUG
off, every required secret), a database of its own created and migrated under those settings, ``collectstatic``
into its own STATIC_ROOT, then the three lines of the Procfile — gunicorn with deploy/gunicorn.conf.py, a
Celery worker and beat — as separate processes against the real PostgreSQL and Redis. Every request comes as
nginx (deploy/nginx/portal.conf) would pass it on: Host, X-Forwarded-For, X-Forwarded-Proto: https.

Also: the access log keeps no query string; with nginx installed, deploy/nginx/portal.conf in front passes on
what the portal expects. The files themselves: test_deploy_files.py.

Run alone with:  pytest -m production tests/reliability/test_production_smoke.py
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from base64 import b32decode
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import openpyxl
import psycopg
import pytest
from django.conf import settings
from django_otp.oath import totp

from tests.core.test_celery import REDIS_URL, ROOT
from tests.reliability.conftest import NoRedirect, Portal, _free_port, wait_for_port
from tests.reliability.test_deploy_files import procfile

pytestmark = [
    pytest.mark.production,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no Redis was found or could be started"),
]

HOST = "qinglian.smoke.test"
PARK = "SMOKE-GXQ"
PARK_NAME = "冒烟测试高新技术产业开发区"
ENTERPRISES = 12
EXPORT_DIRECT_MAX_ROWS = 5  # below ENTERPRISES: the export goes through the worker
STAFF, STAFF_PASSWORD = "ops-admin", secrets.token_urlsafe(16)

# The rows of the smoke test, written by the operator's tool for such things (manage.py shell) under
# production settings; the staff account by createsuperuser, as deploy/README.md says.
SEED = f"""
from parks.models import Enterprise, Park
park = Park.objects.create(code="{PARK}", name="{PARK_NAME}", level="provincial", kind="industrial", region="河南省平顶山市")
Enterprise.objects.bulk_create(
    [Enterprise(credit_code=f"91{{n:016d}}", name=f"冒烟企业{{n:03d}}", park=park) for n in range({ENTERPRISES})]
)
"""


@dataclass
class Layout:
    base: str
    env: dict
    access_log: Path
    logs: Path
    processes: dict

    def browser(self) -> Portal:
        """A visitor of their own (own cookies, own address), behind the proxy."""
        address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
        return Portal(
            self.base,
            self.processes["web"],
            jar={},
            proxy_headers={"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": address},
            origin=f"https://{HOST}",
        )

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def tail(self) -> str:
        """The end of every process's output, for a failure's message."""
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in self.logs.glob("*.log")
        )


@pytest.fixture(scope="module")
def layout_database():
    """A database of the layout's own, on the test's PostgreSQL server, dropped afterwards."""
    server = settings.DATABASES["default"]  # the test's server (its database is not the one used here)
    name = f"smoke_{secrets.token_hex(6)}"
    admin = {"host": server["HOST"] or "127.0.0.1", "port": server["PORT"] or 5432, "user": server["USER"]}
    if server["PASSWORD"]:
        admin["password"] = server["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    auth = quote(server["USER"], safe="") + (f":{quote(server['PASSWORD'], safe='')}" if server["PASSWORD"] else "")
    try:
        yield f"postgres://{auth}@{admin['host']}:{admin['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as connection:
            connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _production_env(folder: Path, database_url: str, port: int) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))}
    return {
        **env,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "TRACKING_CODE_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "TRUSTED_PROXIES": "1",
        "SECURE_PROXY_SSL_HEADER": "1",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "BACKUP_ROOT": str(folder / "backups"),
        "EXPORT_DIRECT_MAX_ROWS": str(EXPORT_DIRECT_MAX_ROWS),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": str(folder / "access.log"),
        "DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD,
    }


def _run_together(env: dict, *commands: list[str]) -> None:
    """Run manage.py commands side by side (migrate and collectstatic need nothing of each other)."""
    running = [
        subprocess.Popen(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for command in commands
    ]
    for command, process in zip(commands, running, strict=True):
        output = process.communicate(timeout=180)[0].decode(errors="replace")
        assert process.returncode == 0, f"manage.py {' '.join(command)} failed:\n{output[-3000:]}"


def _start(name: str, command: str, env: dict, logs: Path) -> subprocess.Popen:
    """One Procfile line, as honcho runs it (through the shell), in a process group of its own."""
    with open(logs / f"{name}.log", "wb") as out:
        return subprocess.Popen(
            ["/bin/sh", "-c", f"exec {command}"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def _stop(processes) -> None:
    """SIGTERM to each whole group (gunicorn's and Celery's children too), SIGKILL to what lingers."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever of the group is still there
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def layout(layout_database, tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    logs = folder / "logs"
    logs.mkdir()
    database_url = layout_database
    port = _free_port()
    env = _production_env(folder, database_url, port)
    _run_together(env, ["migrate", "--noinput"], ["collectstatic", "--noinput"])
    _run_together(
        env,
        ["shell", "-c", SEED],
        ["createsuperuser", "--noinput", "--username", STAFF, "--email", "ops@example.gov.cn"],
    )
    processes = {}
    try:
        for name, command in procfile().items():
            processes[name] = _start(name, command.strip(), env, logs)
        built = Layout(f"http://127.0.0.1:{port}", env, folder / "access.log", logs, processes)
        try:
            wait_for_port(port, processes["web"])
        except RuntimeError:
            pytest.fail(f"gunicorn did not start:\n{built.tail()}")
        yield built
    finally:
        _stop(list(processes.values()))


def _wait_for(predicate, timeout: float, what: str, layout: Layout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}\n{layout.tail()}")


def _form_post(browser: Portal, path: str, fields: dict):
    return browser.request(
        path, data=urlencode(fields).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )


# --- The smoke test --------------------------------------------------------------------------------------


def _health_and_static(layout: Layout) -> None:
    # The load balancer checks gunicorn directly, over plain HTTP: 200, not a redirect to HTTPS …
    probe = Portal(layout.base, layout.processes["web"], proxy_headers={"Host": HOST})
    health = probe.request("/healthz/")
    assert (health.status, health.body) == (200, '{"database": "ok", "cache": "ok"}'), layout.tail()
    # … while every page asked for over plain HTTP is sent to HTTPS (SECURE_SSL_REDIRECT holds).
    plain = probe.request("/login/")
    assert (plain.status, plain.headers["Location"]) == (301, f"https://{HOST}/login/")

    page = layout.browser().request("/login/")
    assert page.status == 200, page.body[-2000:]
    assert "Strict-Transport-Security" in page.headers
    hashed = re.search(r'/static/(favicon\.[0-9a-f]{12}\.svg)"', page.body)
    assert hashed, "the page names the icon without the hash of WhiteNoise's manifest"
    icon = layout.browser().request(f"/static/{hashed.group(1)}")
    assert icon.status == 200 and b"<svg" in icon.content[:500]
    assert "immutable" in icon.headers["Cache-Control"]


def _file_and_track_a_complaint(layout: Layout) -> None:
    visitor = layout.browser()
    assert visitor.request(f"/report/{PARK}/").status == 200
    filed = _form_post(
        visitor,
        f"/report/{PARK}/",
        {"category": "favours", "subject": "审批窗口", "description": "办事要求请吃饭。", "is_anonymous": "on"},
    )
    assert (filed.status, filed.headers.get("Location")) == (302, "/track/receipt/"), filed.body[-2000:]
    receipt = visitor.request("/track/receipt/")
    code = re.search(r'<p class="tracking-code[^"]*">\s*([0-9A-Z-]+)\s*</p>', receipt.body)
    assert receipt.status == 200 and code, receipt.body[-2000:]

    # Someone else, later, with nothing but the code: it is POSTed, never in an address.
    stranger = layout.browser()
    assert stranger.request("/track/").status == 200
    found = _form_post(stranger, "/track/", {"code": code.group(1)})
    assert found.status == 302 and re.fullmatch(r"/track/\d+/", found.headers["Location"]), found.body[-2000:]
    tracked = stranger.request(found.headers["Location"])
    assert tracked.status == 200 and PARK_NAME in tracked.body


def _staff_logs_in_with_the_second_factor(layout: Layout) -> Portal:
    """A superuser counts as a commission admin: production makes them set up the authenticator app first."""
    staff = layout.browser()
    assert staff.request("/login/").status == 200
    login = _form_post(staff, "/login/", {"username": STAFF, "password": STAFF_PASSWORD})
    assert login.status == 302, login.body[-2000:]
    home = staff.request("/")
    assert home.status == 302 and home.headers["Location"].startswith("/account/2fa/setup/"), home.headers
    setup = staff.request("/account/2fa/setup/")
    secret = re.search(r'<div class="otp-secret[^"]*">([A-Z2-7 ]+)</div>', setup.body)
    assert setup.status == 200 and secret, setup.body[-2000:]
    key = secret.group(1).replace(" ", "")
    code = f"{totp(b32decode(key + '=' * (-len(key) % 8))):06d}"  # what the phone app shows now
    confirmed = _form_post(staff, "/account/2fa/setup/", {"code": code})
    assert confirmed.status == 200, confirmed.body[-2000:]
    assert staff.request("/").status == 200
    return staff


def _large_export_through_the_worker(layout: Layout, staff: Portal) -> None:
    asked = staff.request("/enterprises/?export=xlsx")
    status_url = asked.headers.get("Location", "")
    assert asked.status == 302 and re.fullmatch(r"/exports/\d+/status/", status_url), asked.body[-2000:]
    download_url = status_url.removesuffix("status/")
    download = _wait_for(
        lambda: (answer := staff.request(download_url)).status == 200 and answer, 60, "the worker's export", layout
    )
    sheet = openpyxl.load_workbook(io.BytesIO(download.content), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == ENTERPRISES + 1  # and the header row


# The outbox sweep (every minute, installed by migrate) last ran five minutes ago: beat, reading its schedule
# from the database (DatabaseScheduler, the admin's page), sees the change within 5 s and sends it at once.
SWEEP_DUE = """
import datetime
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
task = PeriodicTask.objects.get(task="core.sweep_outbox")
task.last_run_at = timezone.now() - datetime.timedelta(minutes=5)
task.total_run_count = 0
task.save()
"""


def _beat_sends_periodic_tasks(layout: Layout) -> None:
    def swept() -> bool:
        worker = (layout.logs / "worker.log").read_text(errors="replace")
        return bool(re.search(r"Task core\.sweep_outbox\[[0-9a-f-]+\] succeeded", worker))

    _wait_for(swept, 30, "beat to send the outbox sweep and the worker to run it", layout)


def test_the_production_layout_serves_files_tracks_logs_in_exports_and_schedules(layout):
    due = layout.manage("shell", "-c", SWEEP_DUE)
    assert due.returncode == 0, due.stderr
    _health_and_static(layout)
    _file_and_track_a_complaint(layout)
    staff = _staff_logs_in_with_the_second_factor(layout)
    _large_export_through_the_worker(layout, staff)
    _beat_sends_periodic_tasks(layout)
    checked = layout.manage("check_worker", "--timeout", "30")
    assert checked.returncode == 0, checked.stdout + checked.stderr + layout.tail()
    for name, process in layout.processes.items():
        assert process.poll() is None, f"{name} died\n{layout.tail()}"


def test_the_access_log_names_paths_but_no_query_string(layout):
    visitor = layout.browser()
    request_id = f"smoke-{secrets.token_hex(8)}"
    secret_query = "code=7KQ2M9XW4HJC8RTV"
    assert visitor.request(f"/track/?{secret_query}", headers={"X-Request-ID": request_id}).status == 200
    assert visitor.request("/report/?" + urlencode({"q": "张三的手机13800138000"})).status == 200

    def lines() -> list[str]:
        return layout.access_log.read_text(errors="replace").splitlines() if layout.access_log.exists() else []

    line = _wait_for(lambda: next((x for x in lines() if request_id in x), None), 10, "the access log line", layout)
    assert '"GET /track/ HTTP/1.1" 200' in line
    text = "\n".join(lines())
    for leaked in ("7KQ2M9XW4HJC8RTV", "code=", "13800138000", "q=", "?"):
        assert leaked not in text


# --- nginx in front (when nginx is installed: apt-get install nginx) ----------------------------------------

NGINX_MAIN = """
{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""


def _nginx_site(layout: Layout, folder: Path, http_port: int, https_port: int) -> str:
    """deploy/nginx/portal.conf with this machine's ports, a throwaway certificate and the layout's folders."""
    site = (ROOT / "deploy" / "nginx" / "portal.conf").read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "server 127.0.0.1:8000;": f"server {layout.env['GUNICORN_BIND']};",
        "/etc/ssl/portal/fullchain.pem": str(folder / "cert.pem"),
        "/etc/ssl/portal/privkey.pem": str(folder / "key.pem"),
        "/var/log/nginx/portal.access.log": str(folder / "access.log"),
        "/srv/portal/staticfiles/": layout.env["STATIC_ROOT"] + "/",
        "qinglian.example.gov.cn": HOST,
    }
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    return site


@pytest.fixture
def nginx(layout, tmp_path):
    if not shutil.which("nginx") or not shutil.which("openssl"):
        # `make test` installs nginx (scripts/install_browser.sh); under CI a missing one is a failure.
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail("nginx is not installed: the proxy smoke test cannot run under CI", pytrace=False)
        pytest.skip("nginx is not installed (apt-get install nginx)")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    http_port, https_port = _free_port(), _free_port()
    (tmp_path / "site.conf").write_text(_nginx_site(layout, tmp_path, http_port, https_port))
    user = "user root root;" if os.geteuid() == 0 else ""  # workers must read the test's private folders
    (tmp_path / "nginx.conf").write_text(NGINX_MAIN.format(user=user, folder=tmp_path))
    command = ["nginx", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-g", "daemon off;"]
    checked = subprocess.run([*command[:5], "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(https_port, process)
        yield http_port, https_port, tmp_path / "access.log"
    finally:
        _stop([process])


def _through(port: int, path: str, *, tls: bool, headers: dict | None = None) -> tuple[int, dict, bytes]:
    scheme = "https" if tls else "http"
    context = ssl._create_unverified_context()  # noqa: S323 - the test's own throwaway certificate
    request = urllib.request.Request(f"{scheme}://127.0.0.1:{port}{path}", headers={"Host": HOST, **(headers or {})})  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_nginx_site_passes_on_what_the_portal_expects(layout, nginx):
    http_port, https_port, access_log = nginx
    # Over HTTPS the portal sees a secure request for its host name: the page, not a redirect.
    status, headers, body = _through(https_port, "/track/?code=7KQ2M9XW4HJC8RTV", tls=True)
    assert status == 200, body[-2000:]
    request_id = headers["X-Request-ID"]  # nginx's $request_id, taken up by the portal
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    icon = re.search(rb'/static/(favicon\.[0-9a-f]{12}\.svg)"', _through(https_port, "/login/", tls=True)[2])
    status, headers, body = _through(https_port, f"/static/{icon.group(1).decode()}", tls=True)
    assert status == 200 and b"<svg" in body[:500]
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"  # nginx's, for hashed names
    # Plain HTTP: the load balancer's /healthz/ answers; everything else goes to HTTPS.
    assert _through(http_port, "/healthz/", tls=False)[0] == 200
    status, headers, _body = _through(http_port, "/login/?next=/complaints/", tls=False)
    assert (status, headers["Location"]) == (301, f"https://{HOST}/login/?next=/complaints/")
    # nginx's access log: the same request id, paths without query strings.
    logged = _wait_for(lambda: access_log.exists() and access_log.read_text(), 10, "nginx's access log", layout)
    line = next(x for x in logged.splitlines() if request_id in x)
    assert '"GET /track/ HTTP/1.1" 200' in line
    assert "7KQ2M9XW4HJC8RTV" not in logged and "next=" not in logged and "?" not in logged
