"""The pages and API lists of issue 13, per role, through a real gunicorn (production settings) against
a database seeded by bench/seed.py: median and p95 latency of N requests each, and the number of SQL
queries each page runs (counted in-process with django.test.Client and CaptureQueriesContext on the
same database and session state — nothing is added to what production sends).

    DATABASE_URL=postgres://…/seeded_db .venv/bin/python bench/pages.py [N [LOAD_SECONDS]] [--json]

N = 0: one request per page through gunicorn (its status), no latency; N = -1: no gunicorn at all, the
statuses and query counts in-process only (the CI test's second size).

Prints a markdown table, or with --json the figures for bench/province.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.benchenv import ADMIN, INSPECTOR, OFFICER, PASSWORD, ROOT, TOTP_KEY, bench_environ, setup_django

ROLES = {"admin": ADMIN, "inspector": INSPECTOR, "officer": OFFICER}
EVERYONE = tuple(ROLES)
COMMISSION = ("admin", "inspector")
# (name, path, roles). {park} is a park the role sees: the biggest for the admin and the officer.
PAGES = [
    ("home dashboard", "/", EVERYONE),
    ("park page", "/parks/{park}/", EVERYONE),
    ("subsidy list", "/risks/subsidies/", EVERYONE),
    ("API subsidies", "/api/subsidies/", EVERYONE),
    ("search subsidies", "/risks/subsidies/?q=技改", EVERYONE),
    ("search complaints", "/complaints/?q=经发局", EVERYONE),
    ("search enterprises", "/enterprises/?q=江北", EVERYONE),
    ("rectification board", "/rectification/", EVERYONE),
    ("alert list", "/risks/alerts/", EVERYONE),
    ("risk points", "/risks/riskpoints/", EVERYONE),
    ("decisions", "/risks/decisions/", EVERYONE),
    ("projects", "/risks/projects/", EVERYONE),
    ("officials", "/risks/officials/", EVERYONE),
    ("complaint queue", "/complaints/", EVERYONE),
    ("enterprise list", "/enterprises/", EVERYONE),
    ("inspections", "/inspections/", COMMISSION),
    ("API complaints", "/api/complaints/", EVERYONE),
    ("API enterprises", "/api/enterprises/", EVERYONE),
    ("API decisions", "/api/decisions/", EVERYONE),
    ("API contracts", "/api/contracts/", EVERYONE),
    ("API tasks", "/api/tasks/", EVERYONE),
    ("API alerts", "/api/alerts/", EVERYONE),
]


def park_of(role: str) -> str:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=ROLES[role])
    return "P001" if role == "admin" else user.parks.order_by("pk").values_list("code", flat=True).first()


def pages_for(role: str) -> list[tuple[str, str]]:
    park = park_of(role)
    return [(name, path.format(park=park)) for name, path, roles in PAGES if role in roles]


def totp_code(username: str):
    """A callable giving the authenticator's current code, never one the device has already accepted
    (django-otp refuses a code twice): waits for the next 30-second step when needed."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def code() -> str:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        totp = TOTP(bytes.fromhex(TOTP_KEY), device.step, device.t0, device.digits, device.drift)
        while totp.t() <= device.last_t:
            time.sleep(1)
            totp = TOTP(bytes.fromhex(TOTP_KEY), device.step, device.t0, device.digits, device.drift)
        return f"{totp.token():0{device.digits}d}"

    return code


def latencies(port: int, role: str, n: int) -> dict[str, dict]:
    from bench.webclient import Browser

    browser = Browser(port)
    browser.login(ROLES[role], PASSWORD, totp_code(ROLES[role]) if role in COMMISSION else None)
    figures = {}
    for name, path in pages_for(role):
        figures[name] = timed_page(browser, path, n)
    return figures


def timed_page(browser, path: str, n: int) -> dict:
    """A warm-up request (its status is the page's), then ``n`` timed ones — 3 when the page takes more
    than 5 s, so that a pathological page does not hold up the run."""
    times = []
    try:
        start = time.perf_counter()
        status, _body, _headers = browser.get(path)
        if time.perf_counter() - start > 5:
            n = min(n, 3)
        for _ in range(n):
            start = time.perf_counter()
            browser.get(path)
            times.append((time.perf_counter() - start) * 1000)
    except OSError as error:  # a worker killed at gunicorn's timeout, say
        return {"status": f"error: {error.__class__.__name__}", "median_ms": 0.0, "p95_ms": 0.0}
    times.sort()
    if not times:  # n = 0: the status only
        return {"status": status, "median_ms": 0.0, "p95_ms": 0.0}
    return {"status": status, "median_ms": statistics.median(times),
            "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]}  # fmt: skip


def query_counts(role: str) -> dict[str, tuple[int, int]]:
    """Each page's status and queries in-process, for a session in the state the real login leaves
    (second factor verified)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=ROLES[role])
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    counts = {}
    for name, path in pages_for(role):
        client.get(path, secure=True)  # warm-up: first-request caches are not the page's cost
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, secure=True)
        counts[name] = (response.status_code, len(captured))
    return counts


def collect_static() -> None:
    """collectstatic into the bench's folder, skipped when no static source file changed since (the
    manifest's post-processing alone takes many seconds)."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    sources = sorted(
        (path, storage.path(path)) for finder in get_finders() for path, storage in finder.list(["CVS", ".*", "*~"])
    )
    digest = hashlib.sha256(
        repr([(p, os.stat(full).st_mtime_ns, os.stat(full).st_size) for p, full in sources]).encode()
    )
    stamp = Path(settings.STATIC_ROOT, ".bench-sources")
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest.hexdigest())


def measure(n: int, load_seconds: float = 0, clients: int = 12) -> dict:
    """Every role's pages: latency through gunicorn, then query counts in-process; with ``load_seconds``
    the intake against a bare view under load (bench/load.py), and the time of one alert rescan."""
    from django.conf import settings

    from bench.load import compare
    from bench.webclient import Gunicorn

    env = bench_environ(os.environ["DATABASE_URL"], STATIC_ROOT=settings.STATIC_ROOT, PORTAL_BENCH="1")
    pages, figures = {role: {} for role in ROLES}, {}
    if n >= 0:
        with Gunicorn(env) as server:
            for role in ROLES:
                pages[role] = latencies(server.port, role, n)
            if load_seconds:
                figures["intake"] = compare(server.port, "P001", clients, load_seconds)
    if load_seconds:
        forget_load()
    for role in ROLES:
        for name, (status, count) in query_counts(role).items():
            entry = pages[role].setdefault(name, {"status": status, "median_ms": 0.0, "p95_ms": 0.0})
            entry.update(queries=count, counted_status=status)
    if load_seconds:
        figures["rescan_s"] = timed_rescan()
    return {"pages": pages, **figures}


def forget_load() -> int:
    """Delete the complaints the load filed (every one says 压测) and compact the tallies: a database measured
    again then holds what the seeder wrote, not the last run's load on top of it (thousands of complaints
    about one subject, all newer than any seeded one, which turned the admin's complaint search to its plan
    for rare terms: 35 ms → 1.3 s at 1.0)."""
    from complaints import tally
    from complaints.models import Complaint

    deleted, _by_model = Complaint.objects.filter(description__contains="压测").delete()
    tally.compact()
    return deleted


def timed_rescan() -> float:
    from risks.engine import evaluate_all

    start = time.perf_counter()
    evaluate_all()
    return time.perf_counter() - start


def table(results: dict) -> str:
    lines = ["| page | role | median ms | p95 ms | queries | status |", "|---|---|---|---|---|---|"]
    for role, pages in results["pages"].items():
        for name, f in pages.items():
            lines.append(
                f"| {name} | {role} | {f['median_ms']:.1f} | {f['p95_ms']:.1f} | {f['queries']} | {f['status']} |"
            )
    return "\n".join(lines)


def prepare_static() -> None:
    # One folder per checkout (other worktrees may have other static files), reused between runs.
    tag = hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]
    os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir(), f"portal-bench-static-{tag}")))
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir(), "portal-bench-media")))
    os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(Path(tempfile.gettempdir(), "portal-bench-private")))
    setup_django()
    collect_static()  # incremental: only what changed is copied again


def main(argv: list[str]) -> None:
    as_json = "--json" in argv
    numbers = [a for a in argv if not a.startswith("--")]
    n = int(numbers[0]) if numbers else 7
    load_seconds = float(numbers[1]) if len(numbers) > 1 else 0
    prepare_static()
    results = measure(n, load_seconds)
    print(json.dumps(results) if as_json else table(results))


if __name__ == "__main__":
    main(sys.argv[1:])
