"""The complaint tally (``ComplaintTally``) kept in step with the complaints by the database itself: a
trigger on ``complaints_complaint`` appends a -1 row for the old key of every complaint updated or
deleted and a +1 row for the new key of every complaint inserted or updated (only when a tallied column
changed). Rows are only ever appended, so concurrent complaint writes never wait on one another's
counters; ``compact()`` (a periodic task) sums each key's rows into one. Every write path — services,
the admin, imports, a bulk ``update()`` — is counted, with no code of its own.

PostgreSQL only: elsewhere (SQLite, the embedded default) ``in_use()`` is false and the figures are
counted over the complaints themselves. The month is the local month in ``settings.TIME_ZONE`` at the
time of the migration; ``install()`` again (and ``rebuild()``) after changing it."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection

TABLE = "complaints_complainttally"
KEY = ("park_id", "assigned_to_id", "month", "category", "status", "replied_on_time", "rating")
TALLIED = ("park_id", "assigned_to_id", "submitted_at", "category", "status", "replied_on_time", "rating")


def _key_of(row: str, time_zone: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_+/-]+", time_zone):  # a zone name, written into the SQL below
        raise ValueError(time_zone)
    month = f"date_trunc('month', {row}.submitted_at AT TIME ZONE '{time_zone}')::date"
    return ", ".join(month if column == "month" else f"{row}.{column}" for column in KEY)


def install_sql(time_zone: str | None = None) -> list[str]:
    time_zone = time_zone or settings.TIME_ZONE
    columns = ", ".join(KEY)
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in TALLIED)
    return [
        f"""CREATE OR REPLACE FUNCTION complaint_tally_step() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO {TABLE} ({columns}, n) VALUES ({_key_of("OLD", time_zone)}, -1);
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO {TABLE} ({columns}, n) VALUES ({_key_of("NEW", time_zone)}, 1);
            END IF;
            RETURN NULL;
        END $$""",  # noqa: S608 - our own names, a checked zone name
        "DROP TRIGGER IF EXISTS complaint_tally_written ON complaints_complaint",
        "DROP TRIGGER IF EXISTS complaint_tally_updated ON complaints_complaint",
        """CREATE TRIGGER complaint_tally_written AFTER INSERT OR DELETE ON complaints_complaint
        FOR EACH ROW EXECUTE FUNCTION complaint_tally_step()""",
        f"""CREATE TRIGGER complaint_tally_updated AFTER UPDATE ON complaints_complaint
        FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION complaint_tally_step()""",
    ]


UNINSTALL_SQL = [
    "DROP TRIGGER IF EXISTS complaint_tally_written ON complaints_complaint",
    "DROP TRIGGER IF EXISTS complaint_tally_updated ON complaints_complaint",
    "DROP FUNCTION IF EXISTS complaint_tally_step()",
]


def in_use(using=None) -> bool:
    from django.db import connections

    return (connections[using] if using else connection).vendor == "postgresql"


def rebuild_sql(time_zone: str | None = None) -> list[str]:
    time_zone = time_zone or settings.TIME_ZONE
    columns = ", ".join(KEY)
    return [
        "LOCK TABLE complaints_complaint IN SHARE MODE",  # no complaint written while counting them
        f"DELETE FROM {TABLE}",  # noqa: S608 - our own names, a checked zone name
        f"""INSERT INTO {TABLE} ({columns}, n)
        SELECT {_key_of("c", time_zone)}, count(*) FROM complaints_complaint c
        GROUP BY {", ".join(str(i + 1) for i in range(len(KEY)))}""",  # noqa: S608 - our own names, a checked zone name
    ]


def rebuild() -> None:
    """Count every complaint again (after a bulk load with the triggers off, as ``bench/seed.py`` does)."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for statement in rebuild_sql():
            cursor.execute(statement)


def compact() -> int:
    """One row per key: the rows visible now are deleted and their sums inserted, in one statement (rows
    appended meanwhile by other transactions are left as they are). Keys summing to 0 go. Returns the
    number of rows left."""
    if not in_use():
        return 0
    columns = ", ".join(KEY)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH moved AS (DELETE FROM {TABLE} RETURNING {columns}, n)
            INSERT INTO {TABLE} ({columns}, n)
            SELECT {columns}, sum(n) FROM moved GROUP BY {columns} HAVING sum(n) <> 0"""  # noqa: S608 - our own names, a checked zone name
        )
        return cursor.rowcount
