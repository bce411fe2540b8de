"""Tallies kept by triggers: tables of (key columns…, n) to which a trigger appends +1 and -1 rows as the
counted rows change, so that writers never wait on one another's counters. Summing ``n`` over the rows a
condition on the key selects counts exactly the rows it selects. ``compact`` sums each key's rows into
one (a periodic task); the sums do not change. ``trigger_sql`` builds the trigger that appends. PostgreSQL only (``in_use``); elsewhere the figures are
counted over the rows themselves. Used by ``complaints.tally`` and ``risks.tally``."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, connections


def in_use(using=None) -> bool:
    return (connections[using] if using else connection).vendor == "postgresql"


def trigger_sql(
    name: str,
    table: str,
    *,
    steps: Callable[[str, int], str],
    changed: str,
    counted: Callable[[str], str] | None = None,
) -> list[str]:
    """The trigger function ``<name>_step`` and its two triggers on ``table``: on every insert and delete,
    and on an update when ``changed`` (a condition on OLD and NEW) holds, it runs ``steps("OLD", -1)`` for
    the row as it was and ``steps("NEW", 1)`` for the row as it is (the INSERT statements of the -1 and +1
    rows), each only when ``counted(row)`` holds, if given."""

    def when(row: str) -> str:
        return f" AND {counted(row)}" if counted else ""

    return [
        f"""CREATE OR REPLACE FUNCTION {name}_step() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT'{when("OLD")} THEN
                {steps("OLD", -1)}
            END IF;
            IF TG_OP <> 'DELETE'{when("NEW")} THEN
                {steps("NEW", 1)}
            END IF;
            RETURN NULL;
        END $$""",
        *drop_triggers_sql(name, table),
        f"""CREATE TRIGGER {name}_written AFTER INSERT OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {name}_step()""",
        f"""CREATE TRIGGER {name}_updated AFTER UPDATE ON {table}
        FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {name}_step()""",
    ]


def drop_triggers_sql(name: str, table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}_written ON {table}", f"DROP TRIGGER IF EXISTS {name}_updated ON {table}"]


def uninstall_sql(name: str, table: str) -> list[str]:
    """What ``trigger_sql`` installed, dropped."""
    return [*drop_triggers_sql(name, table), f"DROP FUNCTION IF EXISTS {name}_step()"]


def compact(tables: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """One row per key in each table: the rows visible now are deleted and their sums inserted, in one
    statement (rows appended meanwhile by other transactions are left as they are). Keys summing to 0
    go. Returns the rows left per table."""
    if not in_use():
        return dict.fromkeys(tables, 0)
    left = {}
    with connection.cursor() as cursor:
        for table, key in tables.items():
            columns = ", ".join(key)
            cursor.execute(
                f"""WITH moved AS (DELETE FROM {table} RETURNING {columns}, n)
                INSERT INTO {table} ({columns}, n)
                SELECT {columns}, sum(n) FROM moved GROUP BY {columns} HAVING sum(n) <> 0"""  # noqa: S608 - our own names
            )
            left[table] = cursor.rowcount
    return left
