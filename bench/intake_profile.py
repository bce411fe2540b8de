"""Where the complaint intake's CPU goes, in this process: the production settings' WSGI application called
directly (no HTTP, no gunicorn), the same requests as bench/intake.py. Prints CPU ms per request of the
bare view and of a complaint POST (medians of 3), then cProfile's cumulative lines for N POSTs, timed in
CPU time so that waits on PostgreSQL and Redis do not count.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/intake_profile.py [N] [PARK]

With ``STATEMENTS=1`` it prints instead the wall time per POST and each SQL statement's milliseconds per POST.

The database must be prepared (bench/intake.py does it: migrated, demo parks loaded). ``git stash`` or a
checkout of an older commit gives the "before" of a change, in the same conditions.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.intake import BARE_PATH, BENCH_ENV, complaint_body

HOST = "127.0.0.1:8000"


class WsgiVisitor:
    """A browser behind nginx, as in bench/intake.py, calling the WSGI application in this process."""

    def __init__(self, application) -> None:
        self.application = application
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": HOST,
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_X_FORWARDED_FOR": "127.0.0.1",
            "HTTP_REFERER": f"https://{HOST}{path}",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/x-www-form-urlencoded" if body else "",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answered = {}

        def start_response(status, headers, exc_info=None):
            answered["status"] = int(status[:3])
            for name, value in headers:
                if name.lower() == "set-cookie":
                    self.cookies.update({key: morsel.value for key, morsel in SimpleCookie(value).items()})

        result = self.application(environ, start_response)
        content = b"".join(result)
        result.close()
        return answered["status"], content


def cpu_ms_per_call(action, count: int) -> float:
    for number in range(10):
        action(number)
    started = time.process_time()
    for number in range(count):
        action(number)
    return (time.process_time() - started) / count * 1000


def print_statement_times(post, count: int) -> None:
    """Wall time per complaint POST and, per SQL statement, the milliseconds it took per POST (summed over
    ``count`` POSTs, after 20 to warm up): where the database's share of a complaint goes."""
    from collections import defaultdict

    from django.db import connection

    for number in range(20):
        post(number)
    spent = defaultdict(float)

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[re.sub(r"\s+", " ", sql)[:100]] += time.perf_counter() - started

    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        for number in range(count):
            post(100 + number)
    wall = (time.perf_counter() - started) / count * 1000
    print(f"wall {wall:.2f} ms per POST, SQL {sum(spent.values()) / count * 1000:.2f} ms")
    for sql, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"{seconds / count * 1000:8.3f} ms  {sql}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    for key, value in BENCH_ENV.items():
        os.environ[key] = value
    os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="bench-static-"))
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    visitor = WsgiVisitor(get_wsgi_application())
    call_command("collectstatic", "--noinput", verbosity=0)  # the pages link the manifest's hashed names
    from parks.models import Park

    park = sys.argv[2] if len(sys.argv) > 2 else Park.objects.filter(is_active=True).order_by("code").first().code
    path = f"/report/{park}/"
    _status, page = visitor.request("GET", path)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()

    def bare(number):
        assert visitor.request("GET", BARE_PATH)[0] == 200

    def post(number):
        status, content = visitor.request("POST", path, complaint_body(token, number))
        assert status == 302, (status, content[:300])

    if os.environ.get("STATEMENTS"):
        print_statement_times(post, count)
        return
    rounds = [(cpu_ms_per_call(bare, count * 3), cpu_ms_per_call(post, count)) for _ in range(3)]
    bare_ms, post_ms = statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds)
    print(f"CPU ms/request in-process: bare {bare_ms:.2f}, intake POST {post_ms:.2f}, ratio {bare_ms / post_ms:.3f}")
    profile = cProfile.Profile(time.process_time)
    profile.runcall(lambda: [post(number) for number in range(count)])
    pstats.Stats(profile).sort_stats("cumulative").print_stats(r"complaints|core/|ratelimit|sessions|full_clean", 30)


if __name__ == "__main__":
    main()
