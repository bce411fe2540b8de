"""`make run` on a newcomer's machine: SQLite, no Redis. Every app's migrations and the whole demo (with the
alert rules evaluated over it) must work there too — a rule's SQL that only PostgreSQL accepts once broke it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_migrate_and_seed_demo_run_on_sqlite_without_redis(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-3000:]
    assert "DEM0-7KQ3-M9XD-4HBT" in done.stdout  # the demo ends by printing the way to try it
