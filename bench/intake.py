"""Complaint intake under load against a bare view in the same gunicorn (issue 13: intake ≥ 0.30×).

Starts a real gunicorn (deploy/gunicorn.conf.py, config.settings.production with throwaway secrets) on
the PostgreSQL of DATABASE_URL and the Redis of REDIS_URL, then, with CLIENTS threads for SECONDS each:
  - bare:   GET /bench/bare/ — a view that returns a two-byte HttpResponse through the whole middleware
            stack; routed only when PORTAL_BENCH=1, which this script sets for its gunicorn alone;
  - intake: each client GETs the park's complaint form once (CSRF cookie and token, as a browser does),
            then POSTs valid complaints (anonymous and named, alternately) as fast as it is answered.
The client speaks as nginx would (X-Forwarded-For, X-Forwarded-Proto: https, TRUSTED_PROXIES=1), so
the production settings' HTTPS redirect, secure cookies and CSRF Referer check stay on.

The rate limiter stays on and counts in Redis; only its documented limit is raised for the bench
(COMPLAINT_SUBMIT_RATE, deploy/portal.env.example), else one address could file 10 complaints an hour.

Prints, per round, requests/s, p50/p95 and errors (any answer other than 2xx/3xx, and refused
connections) of both, the ratio intake/bare, and the gunicorn workers' CPU milliseconds per request
(less noisy than requests/s on a machine shared with other work).

    DATABASE_URL=postgres://… REDIS_URL=redis://…/4 .venv/bin/python bench/intake.py [--seconds 30]
        [--clients 12] [--rounds 3] [--workers N] [--complaints 100000]

``measure_intake(base_url, …)`` and ``measure_get(base_url, path, …)`` take any running portal (the
page bench reuses them); the bench's gunicorn must run with PORTAL_BENCH=1 for the bare view.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BARE_PATH = "/bench/bare/"
sys.path.insert(0, str(ROOT))

from bench import benchenv  # noqa: E402

# The bench's production settings with throwaway secrets (bench/benchenv.py), and the bare view routed.
BENCH_ENV = {**benchenv.BENCH_ENV, "PORTAL_BENCH": "1"}


@dataclass
class Result:
    """What one kind of request did during one measurement."""

    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)  # ms of CPU over the measurement, by process kind

    def cpu_per_request(self, kind: str | None = None) -> float:
        spent = sum(self.cpu.values()) if kind is None else self.cpu.get(kind, 0.0)
        return spent / max(len(self.latencies), 1)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    def line(self) -> str:
        cpu = (
            (
                "  CPU ms/req: "
                + " ".join(f"{k} {self.cpu_per_request(k):.2f}" for k in self.cpu)
                + f" = {self.cpu_per_request():.2f}"
            )
            if self.cpu
            else ""
        )
        return (
            f"{self.name:7} {self.rate:8.1f} req/s  p50 {self.percentile(0.5):6.1f} ms  "
            f"p95 {self.percentile(0.95):6.1f} ms  errors {self.errors}{cpu}"
        )


# --- The client: stdlib http.client, one connection per request (gunicorn's sync workers close it) ----


class Visitor:
    """One browser behind nginx: its cookies (secure ones too: nginx ends TLS) and the headers nginx adds."""

    def __init__(self, base_url: str) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.origin = f"https://{parts.netloc}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            sent = {
                "X-Forwarded-For": "127.0.0.1",
                "X-Forwarded-Proto": "https",
                "Referer": self.origin + path,
                **(headers or {}),
            }
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content
        finally:
            connection.close()


def complaint_body(token: str, number: int) -> bytes:
    named = number % 2 == 1
    return urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "category": "other",
            "subject": "管委会审批科",
            "description": f"办事拖延，多次往返仍未办结（压测第 {number} 件）。",
            "demand": "请尽快办理。" if named else "",
            "is_anonymous": "" if named else "on",
            "contact_name": "张三" if named else "",
            "contact_phone": "13800138000" if named else "",
        }
    ).encode()


def _run(clients: int, seconds: float, name: str, prepare, step) -> Result:
    """``clients`` threads, each ``prepare()`` once then ``step(state)`` → (ok, note) until time is up."""
    result = Result(name, seconds)
    lock = threading.Lock()
    ready, go = threading.Barrier(clients + 1), threading.Event()
    state_holder: dict = {"end": 0.0}

    def client() -> None:
        try:
            state = prepare()
        except Exception:
            ready.abort()  # the measurement cannot start: main's wait raises
            raise
        ready.wait()
        go.wait()
        mine, errors, samples = [], 0, []
        while time.perf_counter() < state_holder["end"]:
            began = time.perf_counter()
            try:
                ok, note = step(state)
            except OSError as error:  # refused or reset: the server could not take it
                ok, note = False, repr(error)
            if ok:
                mine.append(time.perf_counter() - began)
            else:
                errors += 1
                samples.append(note)
        with lock:
            result.latencies.extend(mine)
            result.errors += errors
            result.error_samples.extend(samples[:3])

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    state_holder["end"] = time.perf_counter() + seconds
    go.set()
    for thread in threads:
        thread.join()
    return result


def measure_get(base_url: str, path: str = BARE_PATH, *, clients: int = 12, seconds: float = 30.0) -> Result:
    """GET ``path`` from ``clients`` threads for ``seconds``; any answer but 2xx/3xx is an error."""

    def step(visitor: Visitor):
        status, _ = visitor.request("GET", path)
        return status < 400, f"GET {path}: {status}"

    return _run(clients, seconds, "bare" if path == BARE_PATH else path, lambda: Visitor(base_url), step)


def measure_intake(base_url: str, park_code: str, *, clients: int = 12, seconds: float = 30.0) -> Result:
    """File complaints through the public form at /report/<park_code>/ from ``clients`` threads for
    ``seconds``. Each client reads the form once (CSRF cookie and token); every POST must be answered
    with the redirect to the receipt (302), anything else counts as an error."""
    path = f"/report/{park_code}/"

    def prepare():
        visitor = Visitor(base_url)
        status, page = visitor.request("GET", path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not found:
            raise RuntimeError(f"GET {path} answered {status} without a form")
        return {"visitor": visitor, "token": found.group(1).decode(), "n": 0}

    def step(state):
        state["n"] += 1
        status, content = state["visitor"].request(
            "POST",
            path,
            body=complaint_body(state["token"], state["n"]),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        return status == 302, f"POST {path}: {status} {content[:200]!r}"

    return _run(clients, seconds, "intake", prepare, step)


# --- The server ------------------------------------------------------------------------------------


def bench_environ(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(BENCH_ENV)
    if not env.get("DATABASE_URL", "").startswith("postgres") or not env.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the bench runs production settings.")
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def prepare_database(env: dict, complaints: int) -> str:
    """Migrate, load the demo parks if there are none, top complaints up to ``complaints``; the code of
    the park whose form is used."""
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    script = f"""
import datetime, secrets
from django.utils import timezone
from complaints.models import Complaint
from parks.models import Park
if not Park.objects.filter(is_active=True).exists():
    from django.core.management import call_command
    call_command("seed_demo", verbosity=0)
parks = list(Park.objects.filter(is_active=True).order_by("code"))
missing = {complaints} - Complaint.objects.count()
now = timezone.now()
for start in range(0, max(missing, 0), 5000):
    Complaint.objects.bulk_create(
        Complaint(park=parks[i % len(parks)], category="other", subject="压测", description="压测数据",
                  is_anonymous=True, tracking_digest=secrets.token_hex(32), status="closed",
                  submitted_at=now - datetime.timedelta(hours=i % 50000), accept_due=now.date())
        for i in range(start, min(start + 5000, missing)))
print(parks[0].code)
"""
    return manage(env, "shell", "-c", script).strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, log) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESS_LOG": "-"},
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    visitor = Visitor(f"http://127.0.0.1:{port}")
    for _ in range(300):
        time.sleep(0.1)
        try:
            if visitor.request("GET", BARE_PATH)[0] == 200:
                return process
        except OSError:
            if process.poll() is not None:
                break
    process.kill()
    log.seek(0)
    sys.exit(f"gunicorn did not start:\n{log.read()[-4000:]}")


def _process_cpu_ms(pid: str) -> tuple[float, float]:
    """(own, reaped children's) CPU time of a process in ms, user + system (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) * 1000 / tick, (int(fields[13]) + int(fields[14])) * 1000 / tick


def server_cpu_ms(master: int, database: str) -> dict[str, float]:
    """CPU time so far, in ms, of gunicorn's workers (live ones, and those the master replaced and reaped:
    max_requests) under "workers", and of each PostgreSQL backend of ``database`` under its pid; {} off
    Linux."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        spent = {"workers": sum(_process_cpu_ms(pid)[0] for pid in children) + _process_cpu_ms(str(master))[1]}
    except OSError:
        return {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f" {database} " in (entry / "cmdline").read_bytes().decode(errors="replace"):
                spent[entry.name] = _process_cpu_ms(entry.name)[0]
        except OSError:
            continue
    return spent


def timed(master: int, database: str, measure) -> Result:
    """``measure()`` with the CPU it cost the workers, PostgreSQL and this client (its threads). A backend
    that ended meanwhile (its worker was replaced) is missed since the start; a new one counts whole."""
    before, client = server_cpu_ms(master, database), time.process_time()
    result = measure()
    after, client = server_cpu_ms(master, database), (time.process_time() - client) * 1000
    if before and after:
        postgres = sum(spent - before.get(pid, 0.0) for pid, spent in after.items() if pid != "workers")
        result.cpu = {"workers": after["workers"] - before["workers"], "postgres": postgres, "client": client}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=0, help="default: deploy/gunicorn.conf.py's 2 × cores + 1")
    parser.add_argument("--complaints", type=int, default=0, help="top the complaints table up to this many")
    args = parser.parse_args()
    env = bench_environ(STATIC_ROOT=tempfile.mkdtemp(prefix="bench-static-"))
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    park = prepare_database(env, args.complaints)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as log:
        server = start_gunicorn(env, port, log)
        try:
            report(base, park, server.pid, args)
        finally:
            server.terminate()
            server.wait(timeout=30)


def report(base: str, park: str, master: int, args) -> None:
    database = urllib.parse.urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")
    workers = len(Path(f"/proc/{master}/task/{master}/children").read_text().split())
    print(f"gunicorn {base}: {workers} workers; {args.clients} clients, {args.seconds:g} s each; park {park}")
    measure_get(base, clients=args.clients, seconds=2)  # warm-up: imports, connections, templates
    measure_intake(base, park, clients=args.clients, seconds=2)
    ratios, cpu_ratios = [], []
    for number in range(1, args.rounds + 1):
        bare = timed(master, database, lambda: measure_get(base, clients=args.clients, seconds=args.seconds))
        intake = timed(master, database, lambda: measure_intake(base, park, clients=args.clients, seconds=args.seconds))
        ratios.append(intake.rate / bare.rate)
        if bare.cpu and intake.cpu:
            cpu_ratios.append(bare.cpu_per_request() / intake.cpu_per_request())
        print(f"round {number}\n  {bare.line()}\n  {intake.line()}\n  ratio intake/bare {ratios[-1]:.3f}")
        for sample in (bare.error_samples + intake.error_samples)[:5]:
            print("    error:", sample)
    print(f"median ratio intake/bare, requests/s: {statistics.median(ratios):.3f} (target >= 0.30)")
    if cpu_ratios:
        # Where the machine is the bottleneck, throughput goes as 1 / CPU per request (gunicorn, PostgreSQL
        # and the client share the cores): the ratio a machine running nothing else would show.
        print(f"median ratio of CPU per request, bare/intake: {statistics.median(cpu_ratios):.3f}")


if __name__ == "__main__":
    main()
