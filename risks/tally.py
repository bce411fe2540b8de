"""The alerts needing attention, counted by park, rule and severity (``AlertTally``) and kept in step with
the alerts by the database itself: a trigger on ``risks_alert`` appends a -1 row for the old key of an
alert that needed attention and a +1 row for the new key of one that does, on every insert, delete and
update of a counted column (park, rule, severity, status, cleared). The nightly rescan's refresh of the
facts and ``last_seen`` of live alerts changes none of those, so it appends nothing. ``compact`` (a
periodic task) sums each key's rows into one (``core.tally``).

"Needing attention" is ``AlertQuerySet.needing_attention``: live (not cleared) and open (not dismissed,
not acted on). The dashboards read the tally instead of every such alert (297,000 at the province scale
of issue 13); on SQLite (``in_use`` false) they count the alerts."""

from __future__ import annotations

from django.db import connection, transaction

from core import tally as core_tally

from .choices import AlertStatus

TABLE = "risks_alerttally"
KEY = ("park_id", "rule", "severity")
COUNTED = ("park_id", "rule", "severity", "status")


def _counted(row: str) -> str:
    return f"{row}.cleared_at IS NULL AND {row}.status = '{AlertStatus.OPEN.value}'"


def _step(row: str, n: int) -> str:
    columns = ", ".join(KEY)
    values = ", ".join(f"{row}.{column}" for column in KEY)
    return f"INSERT INTO {TABLE} ({columns}, n) VALUES ({values}, {n});"  # noqa: S608 - our own names


def install_sql() -> list[str]:
    changed = " OR ".join(
        [f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COUNTED]
        + ["(OLD.cleared_at IS NULL) <> (NEW.cleared_at IS NULL)"]
    )
    return core_tally.trigger_sql("alert_tally", "risks_alert", steps=_step, changed=changed, counted=_counted)


UNINSTALL_SQL = core_tally.uninstall_sql("alert_tally", "risks_alert")


def rebuild_sql() -> list[str]:
    columns = ", ".join(KEY)
    return [
        "LOCK TABLE risks_alert IN SHARE MODE",  # no alert written while counting them
        f"DELETE FROM {TABLE}",  # noqa: S608 - our own names
        f"""INSERT INTO {TABLE} ({columns}, n)
        SELECT {columns}, count(*) FROM risks_alert a WHERE {_counted("a")} GROUP BY {columns}""",  # noqa: S608
    ]


def in_use(using=None) -> bool:
    return core_tally.in_use(using)


def rebuild() -> None:
    """Count every alert again (after loading alerts with the triggers off)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in rebuild_sql():
            cursor.execute(statement)


def compact() -> int:
    """One row per key (``core.tally.compact``). Returns the rows left."""
    return core_tally.compact({TABLE: KEY})[TABLE] if in_use() else 0
