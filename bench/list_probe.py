"""In-process figures for a few pages, per bench role: status, number of SQL queries and median latency
of N requests (django.test.Client, no gunicorn) against a database seeded by bench/seed.py. For quick
before/after comparisons of one change; bench/pages.py is the benchmark.

    DATABASE_URL=postgres://…/seeded_db N=3 .venv/bin/python bench/list_probe.py /risks/officials/ /api/tasks/

SLOWEST=3 also prints the three slowest queries of the last request of each page (time and SQL).
EXPLAIN=9 also prints the page's database time as PostgreSQL measures it, steadier than wall time on a busy
machine: the sum over the last request's queries of the median of 9 ``EXPLAIN ANALYZE`` execution times.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(paths: list[str], repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.pages import ROLES

    settings.ALLOWED_HOSTS = ["*"]
    for role, username in ROLES.items():
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:  # the state a real 2FA login leaves
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        for path in paths:
            client.get(path, secure=True)  # warm-up
            times = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(path, secure=True)
                    times.append((time.perf_counter() - start) * 1000)
            print(
                f"{role:10} {path:40} status={response.status_code} queries={len(captured)} "
                f"median_ms={statistics.median(times):.0f}"
            )
            for query in sorted(captured, key=lambda q: -float(q["time"]))[: int(os.environ.get("SLOWEST", "0"))]:
                print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:600]}")
            if runs := int(os.environ.get("EXPLAIN", "0")):
                print(
                    f"    database {explained_ms(connection, captured, runs):.2f} ms (EXPLAIN ANALYZE, median of {runs})"
                )


def explained_ms(connection, captured, runs: int) -> float:
    """The sum over the captured reads of the median execution time PostgreSQL reports for each."""
    import re

    total = 0.0
    with connection.cursor() as cursor:
        for query in captured:
            sql = re.sub(r"^DECLARE .*? FOR ", "", query["sql"])  # a server-side cursor's query
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            times = []
            for _ in range(runs):
                cursor.execute("EXPLAIN (ANALYZE) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                times.append(float(re.search(r"Execution Time: ([\d.]+)", plan).group(1)))
            total += statistics.median(times)
    return total


if __name__ == "__main__":
    main(sys.argv[1:], int(os.environ.get("N", "3")))
