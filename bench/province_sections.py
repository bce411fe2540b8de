"""The daily jobs and the complaint export on a seeded province database, for ``bench/province.py``.

Each measure runs inside a transaction that is rolled back, so the seeded database is the same after it as
before (a second ``province.py`` run measures the same thing): the rescan (every rule, as the nightly job
runs it — the seeder raised the alerts, so this is the refreshing run), the reminder job twice on today (the last working day on a weekend)
(the second run of a day must cost < 10 % of the first), and the complaint list's export as the commission
admin against raw XlsxWriter over the same rows.

    DATABASE_URL=postgres://…/portal_bench_0.01 .venv/bin/python bench/province_sections.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.benchenv import ADMIN, setup_django


class _Rollback(Exception):
    pass


def rolled_back(measure):
    """Run ``measure()`` in a transaction that is undone afterwards; return what it returned."""
    from django.db import transaction

    box = {}
    try:
        with transaction.atomic():
            box["result"] = measure()
            raise _Rollback
    except _Rollback:
        pass
    return box["result"]


def rescan() -> dict:
    from risks.engine import evaluate
    from risks.rules import REGISTRY

    seconds = {}
    for code, rule in REGISTRY.items():
        start = time.perf_counter()
        evaluate(rule)
        seconds[code] = time.perf_counter() - start
    return seconds


def reminders() -> tuple[dict, dict]:
    from django.utils import timezone

    from bench import reminders as bench_reminders
    from core import tasks
    from core.reminders import send_reminders
    from core.workdays import is_working_day, subtract_working_days

    bench_reminders.warm_up()
    today = timezone.localdate()  # the job sends nothing on a weekend or holiday: run it as on the last working day
    day = today if is_working_day(today) else subtract_working_days(today, 1)
    real_publish, runs = tasks.publish, []
    tasks.publish = lambda task, *args, **kwargs: True  # the worker's e-mail tasks are not part of the job
    try:
        for _ in range(2):
            start = time.perf_counter()
            result = send_reminders(today=day)
            runs.append({"seconds": time.perf_counter() - start, "sent": result.sent})
    finally:
        tasks.publish = real_publish
    return runs[0], runs[1]


def export() -> tuple[float, float, int]:
    from bench.io import export_complaints_ours, export_complaints_raw

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        rows = export_complaints_raw(f"{folder}/raw.xlsx", ADMIN)
        raw = time.perf_counter() - start
        start = time.perf_counter()
        export_complaints_ours(f"{folder}/ours.xlsx", ADMIN)
        ours = time.perf_counter() - start
    return raw, ours, rows


def province_section(database_url: str) -> str:
    setup_django()
    seconds = rolled_back(rescan)
    worst = sorted(seconds.items(), key=lambda item: -item[1])[:3]
    first, second = rolled_back(reminders)
    raw, ours, rows = export()
    ratio = second["seconds"] / first["seconds"] if first["seconds"] else 0
    return "\n".join(
        [
            f"- rescan (every rule, refreshing): {sum(seconds.values()):.2f} s; slowest "
            + ", ".join(f"`{code}` {s:.2f} s" for code, s in worst),
            f"- reminder job: first run {first['seconds']:.2f} s ({first['sent']} sent), second run the same day "
            f"{second['seconds']:.2f} s ({second['sent']} sent): {ratio:.3f} of the first",
            f"- complaint export, {rows:,} rows as the commission admin: ours {ours:.2f} s, raw XlsxWriter "
            f"{raw:.2f} s: {ours / raw if raw else 0:.2f}×",
        ]
    )


if __name__ == "__main__":
    import os

    print(province_section(os.environ["DATABASE_URL"]))
