"""Tallies kept by triggers: tables of (key columns…, n) to which a trigger appends +1 and -1 rows as the
counted rows change, so that writers never wait on one another's counters. Summing ``n`` over the rows a
condition on the key selects counts exactly the rows it selects. ``compact`` sums each key's rows into
one (a periodic task); the sums do not change. PostgreSQL only (``in_use``); elsewhere the figures are
counted over the rows themselves. Used by ``complaints.tally`` and ``risks.tally``."""

from __future__ import annotations

from django.db import connection, connections


def in_use(using=None) -> bool:
    return (connections[using] if using else connection).vendor == "postgresql"


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
