"""The production layout of deploy/README.md, started on this machine: ``config.settings.production`` (DEBUG
off, every required secret), a database of its own created and migrated under those settings, ``collectstatic``
into its own STATIC_ROOT, then the three lines of the Procfile — gunicorn with deploy/gunicorn.conf.py, a
Celery worker and beat — as separate processes against the real PostgreSQL and Redis. Every request comes as
nginx (deploy/nginx/portal.conf) would pass it on: Host, X-Forwarded-For, X-Forwarded-Proto: https.

Also: the access log keeps no query string, and deploy/portal.env.example names every setting read from the
environment.

Run alone with:  pytest -m production tests/reliability/test_production_smoke.py
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
from base64 import b32decode
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import environ
import openpyxl
import psycopg
import pytest
from django_otp.oath import totp

from tests.core.test_celery import REDIS_URL, ROOT
from tests.reliability.conftest import Portal, _free_port, wait_for_port

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
SETTINGS_FILES = [ROOT / "config" / "settings" / "base.py", ROOT / "config" / "settings" / "production.py"]
ENV_TEMPLATE = ROOT / "deploy" / "portal.env.example"

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


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(":", 1) for line in lines if re.match(r"^[a-z]+:", line))


@pytest.fixture(scope="module")
def layout_database():
    """A database of the layout's own, on the test's PostgreSQL server, dropped afterwards."""
    server = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    name = f"smoke_{secrets.token_hex(6)}"
    admin = {"host": server["HOST"] or "127.0.0.1", "port": server["PORT"] or 5432, "user": server["USER"]}
    if server["PASSWORD"]:
        admin["password"] = server["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    auth = server["USER"] + (f":{server['PASSWORD']}" if server["PASSWORD"] else "")
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
        for name, command in _procfile().items():
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


# --- The env file template ---------------------------------------------------------------------------------

READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
NAMED = re.compile(r"^#?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def test_the_env_template_names_every_setting_read_from_the_environment():
    read = {name for path in SETTINGS_FILES for name in READ.findall(path.read_text())}
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', (ROOT / "core" / "backup.py").read_text()))
    assert len(read) > 40  # the parser found them
    named = set(NAMED.findall(ENV_TEMPLATE.read_text()))
    assert sorted(read - named) == []
    # The deployment's own knobs are named too.
    gunicorn = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', (ROOT / "deploy" / "gunicorn.conf.py").read_text()))
    assert sorted(gunicorn - named) == []


def test_every_procfile_line_is_a_command_the_systemd_units_run_too():
    units = {
        name: (ROOT / "deploy" / "systemd" / f"portal-{name}.service").read_text() for name in ("web", "worker", "beat")
    }
    for name, command in _procfile().items():
        program, *arguments = shlex.split(command)
        execstart = (
            re.search(r"^ExecStart=((?:[^\n]*\\\n)*[^\n]*)", units[name], re.MULTILINE).group(1).replace("\\\n", " ")
        )
        assert f"/.venv/bin/{program} " in execstart
        for argument in arguments:
            assert argument in execstart, (name, argument)


def _template_values() -> dict[str, str]:
    """The template's set lines as systemd's EnvironmentFile reads them (surrounding double quotes removed)."""
    lines = re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", ENV_TEMPLATE.read_text(), re.MULTILINE)
    return {name: value.strip().removeprefix('"').removesuffix('"') for name, value in lines}


def test_the_env_template_loads_in_production_once_its_secrets_are_filled_in():
    script = "import django; django.setup(); from django.conf import settings as s; print(s.ADMINS, s.EMAIL_HOST, s.TRUSTED_PROXIES)"
    base = {"PATH": os.environ["PATH"], **_template_values()}
    refused = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=base, capture_output=True, text=True)
    assert refused.returncode != 0 and "TRACKING_CODE_KEY" in refused.stderr  # the placeholder is too short
    filled = {**base, "SECRET_KEY": secrets.token_urlsafe(50), "TRACKING_CODE_KEY": secrets.token_urlsafe(48)}
    loaded = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=filled, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.split() == ["[('信息中心值班',", "'ops@example.gov.cn')]", "mail.example.gov.cn", "1"]
