"""Complaint intake under load against a bare view in the same gunicorn, for bench/province.py.

``compare(port, park_code, clients, seconds)`` uses bench/intake.py's ``measure_intake`` and
``measure_get`` (its gunicorn must run with PORTAL_BENCH=1, which routes the bare view /bench/bare/)
when that module exists; otherwise a small threaded client of its own, with /favicon.ico (a file
answer through the whole middleware stack, no database) as the bare view. Each client files
complaints through the public form (one GET for the CSRF token, then POSTs); every answer other than
the redirect to the receipt is an error.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.webclient import Browser

FALLBACK_BARE = "/favicon.ico"


def _hammer(port: int, clients: int, seconds: float, prepare, step) -> dict:
    times, errors, lock = [], [], threading.Lock()

    def client(number: int) -> None:
        browser = Browser(port, address=f"10.1.{number // 250}.{number % 250 + 1}")
        state = prepare(browser)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                ok = step(browser, state)
            except OSError:
                ok = False
            with lock:
                (times if ok else errors).append((time.perf_counter() - start) * 1000)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    return {"rps": len(times) / seconds, "requests": len(times), "errors": len(errors),
            "p50_ms": statistics.median(times) if times else 0.0,
            "p95_ms": times[int(0.95 * (len(times) - 1))] if times else 0.0}  # fmt: skip


def get_throughput(port: int, path: str, clients: int, seconds: float) -> dict:
    return _hammer(port, clients, seconds, lambda browser: None, lambda browser, state: browser.get(path)[0] == 200)


def intake_throughput(port: int, park_code: str, clients: int, seconds: float) -> dict:
    path = f"/report/{park_code}/"

    def prepare(browser):
        return {"token": browser.form_token(path), "n": 0}

    def step(browser, state):
        state["n"] += 1
        fields = {"csrfmiddlewaretoken": state["token"], "category": "not_handled", "subject": "某审批窗口",
                  "description": f"压测投诉第{state['n']}件：材料齐全仍被要求多次往返。", "is_anonymous": "on"}  # fmt: skip
        return browser.post(path, fields)[0] == 302

    return _hammer(port, clients, seconds, prepare, step)


def _figures(result) -> dict:
    """bench/intake.py's Result as this module's figures."""
    return {"rps": result.rate, "requests": len(result.latencies), "errors": result.errors,
            "p50_ms": result.percentile(0.5), "p95_ms": result.percentile(0.95)}  # fmt: skip


def compare(port: int, park_code: str, clients: int = 12, seconds: float = 10.0) -> dict:
    """Bare view, then intake, then the bare view again (the mean of both is the baseline)."""
    try:
        from bench import intake
    except ImportError:
        intake = None
    if intake is not None:
        base = f"http://127.0.0.1:{port}"

        def bare():
            return _figures(intake.measure_get(base, clients=clients, seconds=seconds))

        def filed():
            return _figures(intake.measure_intake(base, park_code, clients=clients, seconds=seconds))
    else:

        def bare():
            return get_throughput(port, FALLBACK_BARE, clients, seconds)

        def filed():
            return intake_throughput(port, park_code, clients, seconds)

    first, complaints, second = bare(), filed(), bare()
    baseline = (first["rps"] + second["rps"]) / 2
    return {"bare": first, "bare_again": second, "intake": complaints,
            "ratio": complaints["rps"] / baseline if baseline else 0.0,
            "bare_path": "/bench/bare/" if intake is not None else FALLBACK_BARE}  # fmt: skip


def main(argv: list[str]) -> None:
    """``DATABASE_URL=postgres://…/seeded REDIS_URL=… .venv/bin/python bench/load.py [ROUNDS] [SECONDS]``: the
    intake against the bare view ROUNDS times (default 3) in one gunicorn, SECONDS each (default 10), against
    a seeded database — the spread between rounds shows how far one round of province.py can be trusted.
    The complaints the rounds file (about 400 a second) are deleted at the end (``bench.pages.forget_load``)."""
    import os

    rounds = int(argv[0]) if argv else 3
    seconds = float(argv[1]) if len(argv) > 1 else 10.0
    from bench.benchenv import bench_environ
    from bench.pages import prepare_static
    from bench.webclient import Gunicorn

    prepare_static()
    from django.conf import settings

    env = bench_environ(os.environ["DATABASE_URL"], STATIC_ROOT=settings.STATIC_ROOT, PORTAL_BENCH="1")
    with Gunicorn(env) as server:
        for _ in range(rounds):
            figures = compare(server.port, "P001", 12, seconds)
            print(
                f"bare {figures['bare']['rps']:.0f} / {figures['bare_again']['rps']:.0f} req/s, "
                f"intake {figures['intake']['rps']:.0f} req/s: {figures['ratio']:.3f}×",
                flush=True,
            )
    from bench.pages import forget_load

    forget_load()  # what the rounds filed: the database is left as it was seeded


if __name__ == "__main__":
    main(sys.argv[1:])
