#!/usr/bin/env python3
"""Run a command with PostgreSQL and Redis available, for the test suite.

For each service, in this order: the URL already in the environment (DATABASE_URL, REDIS_URL); the
local server on its standard port; a throwaway server started here in a temporary folder (initdb +
pg_ctl, redis-server) and removed afterwards. Without PostgreSQL it stops with a one-line message
saying what to install; without Redis it goes on, and the tests that need a broker say they were
skipped and why.

    python scripts/with_services.py COMMAND [ARG ...]
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/1"


def say(message: str) -> None:
    print(f"with_services: {message}", file=sys.stderr, flush=True)


def postgres_answers(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except (redis.RedisError, OSError):
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def as_unprivileged(command: list[str], folder: str) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the postgres (or nobody) user then."""
    if os.geteuid() != 0:
        return command
    for name in ("postgres", "nobody"):
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            continue
        for root, dirs, files in os.walk(folder):
            for entry in [root, *(os.path.join(root, d) for d in dirs), *(os.path.join(root, f) for f in files)]:
                os.chown(entry, account.pw_uid, account.pw_gid)
        return ["runuser", "-u", name, "--", *command]
    return command


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str | None]:
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not (initdb and pg_ctl):
        yield None
        return
    folder = tempfile.mkdtemp(prefix="portal-pg-")
    os.chmod(folder, 0o755)  # noqa: S103 - the unprivileged postgres user must enter it
    data, port = os.path.join(folder, "data"), free_port()
    try:
        subprocess.run(
            as_unprivileged([initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"], folder),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
        subprocess.run(
            as_unprivileged(
                [pg_ctl, "-D", data, "-o", options, "-l", os.path.join(folder, "log"), "-w", "start"], folder
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        say(f"started a throwaway PostgreSQL on port {port}")
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            as_unprivileged([pg_ctl, "-D", data, "-m", "fast", "stop"], folder),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def throwaway_redis() -> Iterator[str | None]:
    server = shutil.which("redis-server")
    if not server:
        yield None
        return
    folder, port = tempfile.mkdtemp(prefix="portal-redis-"), free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(50):
            if redis_answers(url):
                break
            time.sleep(0.1)
        say(f"started a throwaway Redis on port {port}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def main(command: list[str]) -> int:
    if not command:
        say("usage: with_services.py COMMAND [ARG ...]")
        return 2
    env = dict(os.environ)
    with contextlib.ExitStack() as stack:
        if not env.get("DATABASE_URL"):
            if postgres_answers(LOCAL_POSTGRES):
                env["DATABASE_URL"] = LOCAL_POSTGRES
            else:
                url = stack.enter_context(throwaway_postgres())
                if url is None:
                    say(
                        "PostgreSQL is needed: install it (e.g. apt-get install postgresql) "
                        "or set DATABASE_URL=postgres://user:password@host:5432/db"
                    )
                    return 2
                env["DATABASE_URL"] = url
        if not env.get("REDIS_URL"):
            if redis_answers(LOCAL_REDIS):
                env["REDIS_URL"] = LOCAL_REDIS
            else:
                url = stack.enter_context(throwaway_redis())
                if url is None:
                    say("no Redis (install redis-server or set REDIS_URL): tests that need a broker will be skipped")
                else:
                    env["REDIS_URL"] = url
        return subprocess.run(command, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
