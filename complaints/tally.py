"""The complaint tally (``ComplaintTally``) kept in step with the complaints by the database itself: a
trigger on ``complaints_complaint`` appends a -1 row for the old key of every complaint updated or
deleted and a +1 row for the new key of every complaint inserted or updated (only when a tallied column
changed). Rows are only ever appended, so concurrent complaint writes never wait on one another's
counters; ``compact()`` (a periodic task) sums each key's rows into one. Every write path — services,
the admin, imports, a bulk ``update()`` — is counted, with no code of its own. The same trigger keeps a
coarser tally by park (``ComplaintParkTally``: no handler, no category) for the dashboard's figures.

PostgreSQL only: elsewhere (SQLite, the embedded default) ``in_use()`` is false and the figures are
counted over the complaints themselves. The month is the local month in ``settings.TIME_ZONE`` at the
time of the migration; ``install()`` again (and ``rebuild()``) after changing it."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection

from core import tally as core_tally

TABLE = "complaints_complainttally"
KEY = ("park_id", "assigned_to_id", "month", "category", "status", "replied_on_time", "rating")
TALLIED = ("park_id", "assigned_to_id", "submitted_at", "category", "status", "replied_on_time", "rating")
# The coarser tally by park (``ComplaintParkTally``), kept by the same trigger: {table: its key}.
PARK_TABLE = "complaints_complaintparktally"
TABLES = {TABLE: KEY, PARK_TABLE: ("park_id", "month", "status", "replied_on_time", "rating")}


def _key_of(row: str, time_zone: str, key=KEY) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_+/-]+", time_zone):  # a zone name, written into the SQL below
        raise ValueError(time_zone)
    month = f"date_trunc('month', {row}.submitted_at AT TIME ZONE '{time_zone}')::date"
    return ", ".join(month if column == "month" else f"{row}.{column}" for column in key)


def _steps(row: str, n: int, time_zone: str, tables) -> str:
    return "\n".join(
        f"INSERT INTO {table} ({', '.join(key)}, n) VALUES ({_key_of(row, time_zone, key)}, {n});"  # noqa: S608 - our own names
        for table, key in tables.items()
    )


def install_sql(time_zone: str | None = None, tables=None) -> list[str]:
    """The trigger, appending to every table of ``tables`` (default ``TABLES``)."""
    time_zone, tables = time_zone or settings.TIME_ZONE, tables or TABLES
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in TALLIED)
    return core_tally.trigger_sql(
        "complaint_tally",
        "complaints_complaint",
        steps=lambda row, n: _steps(row, n, time_zone, tables),
        changed=changed,
    )


UNINSTALL_SQL = core_tally.uninstall_sql("complaint_tally", "complaints_complaint")


def in_use(using=None) -> bool:
    return core_tally.in_use(using)


def rebuild_sql(time_zone: str | None = None, tables=None) -> list[str]:
    time_zone, tables = time_zone or settings.TIME_ZONE, tables or TABLES
    statements = ["LOCK TABLE complaints_complaint IN SHARE MODE"]  # no complaint written while counting them
    for table, key in tables.items():
        statements += [
            f"DELETE FROM {table}",  # noqa: S608 - our own names
            f"""INSERT INTO {table} ({", ".join(key)}, n)
            SELECT {_key_of("c", time_zone, key)}, count(*) FROM complaints_complaint c
            GROUP BY {", ".join(str(i + 1) for i in range(len(key)))}""",  # noqa: S608 - our own names, a checked zone name
        ]
    return statements


def rebuild() -> None:
    """Count every complaint again (after a bulk load with the triggers off, as ``bench/seed.py`` does)."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for statement in rebuild_sql():
            cursor.execute(statement)


def compact() -> int:
    """One row per key in both tallies (``core.tally.compact``). Returns the rows left in ``ComplaintTally``."""
    return core_tally.compact(TABLES)[TABLE] if in_use() else 0
