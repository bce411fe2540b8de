"""Fill a PostgreSQL database to a fraction of the province scale, fast (COPY), for the page benchmark.

At 1.0: 200 parks, 100,000 enterprises, 1,000,000 complaints (with their steps and complainants),
500,000 subsidies with their payments, 20,000 projects with 200,000 contracts, 100,000 三重一大 decisions,
100,000 rectification tasks with their findings and inspections, risk points and officials, ten years
of history (the simple-history rows of every tracked model), and the users: a commission admin, an
inspector of three parks, an officer per park, enterprise users. Below 0.01 there are fewer parks
(100 per 0.005) so that a tiny database still has rows in each. A few big parks hold most rows; most
complaints are closed and rated, some are overdue; deadlines are counted with the portal's own
working-day calendar and tracking codes digested with its own key. Then the alert engine's rescan
raises the alerts, the subsidies it rewrote are compacted, and VACUUM (ANALYZE).

Rows are generated and copied in batches, so memory stays flat at any fraction.

    DATABASE_URL=postgres://…/empty_db .venv/bin/python bench/seed.py 0.01

The database is migrated first and must have no parks yet.
"""

from __future__ import annotations

import sys
import time
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.benchenv import setup_django

BATCH = 20_000
FULL_SCALE = {
    "enterprises": 100_000,
    "complaints": 1_000_000,
    "subsidies": 500_000,
    "contracts": 200_000,
    "decisions": 100_000,
    "tasks": 100_000,
    "riskpoints": 20_000,
    "officials": 10_000,
}


def scale(fraction: float) -> dict[str, int]:
    counts = {name: max(int(full * fraction), 20) for name, full in FULL_SCALE.items()}
    counts["parks"] = min(200, max(6, round(20_000 * fraction)))
    counts["enterprises"] = max(counts["enterprises"], counts["parks"] * 2)
    return counts


class Copier:
    """COPY rows into a model's table (and, for models with django-simple-history, the same rows into
    its historical table as creations dated by ``when``). Rows are dicts by column name; a column left
    out takes the field's default."""

    def __init__(self):
        from django.db import connection

        connection.ensure_connection()
        self.raw = connection.connection
        import psycopg

        with self.raw.cursor() as cursor:
            # Do not wait for each commit's flush while copying. The generated rows are consistent by
            # construction: skip the foreign-key triggers too (as pg_restore does) — a superuser setting,
            # so without that right the triggers stay on and the copy is only slower.
            cursor.execute("SET synchronous_commit = off")
            try:
                cursor.execute("SET session_replication_role = replica")
                self.replica = True
            except psycopg.errors.InsufficientPrivilege:
                self.raw.rollback()
                cursor.execute("SET synchronous_commit = off")
                self.replica = False
        self.raw.commit()
        self.rows_written = 0

    def copy(self, model, rows, when: str | None = None) -> int:
        fields = model._meta.concrete_fields
        columns = [f.column for f in fields]
        defaults = {f.column: f.get_default() for f in fields}
        history = self._history(model, columns) if when else None
        count = 0
        rows = iter(rows)
        while batch := [[row.get(c, defaults[c]) for c in columns] for row in islice(rows, BATCH)]:
            self._copy(model._meta.db_table, columns, batch)
            if history:
                table, keep, at = history
                self._copy(
                    table,
                    [columns[i] for i in keep] + ["history_date", "history_type"],
                    ([r[i] for i in keep] + [r[at], "+"] for r in batch),
                )
            count += len(batch)
        self.rows_written += count * (2 if history else 1)
        return count

    def close(self) -> None:
        with self.raw.cursor() as cursor:
            if self.replica:
                cursor.execute("RESET session_replication_role")
            cursor.execute("RESET synchronous_commit")
        self.raw.commit()

    def _history(self, model, columns):
        manager = getattr(model, "history", None)
        if manager is None:
            return None
        history_model = manager.model
        tracked = {f.column for f in history_model._meta.concrete_fields}
        keep = [i for i, c in enumerate(columns) if c in tracked and c != "history_id"]
        when = "date_joined" if "date_joined" in columns else "created_at"
        return history_model._meta.db_table, keep, columns.index(when)

    def _copy(self, table: str, columns: list[str], rows) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        with self.raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        self.raw.commit()


def reset_sequences() -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.app_label != "contenttypes"]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def seed(fraction: float, say=print) -> dict:
    """Fill the (migrated, empty) database; returns the counts and timings."""
    from django.db import connection
    from django.utils import timezone

    from bench import seed_rows as rows
    from complaints import tally
    from parks.models import Park
    from risks import tally as alert_tally
    from risks.engine import evaluate_all
    from risks.paid import sync_paid_totals

    if Park.objects.exists():
        raise SystemExit("seed: this database already has parks; seed an empty one")
    counts = scale(fraction)
    started = time.perf_counter()
    copier = Copier()
    plan = rows.Plan(counts, timezone.now())
    for step in rows.steps():
        t0 = time.perf_counter()
        written = copier.rows_written
        step(plan, copier)
        say(f"  {step.__name__:<24} {copier.rows_written - written:>10,} rows {time.perf_counter() - t0:6.1f} s")
    copier.close()
    reset_sequences()
    sync_paid_totals()  # COPY sends no signal: each subsidy's stored paid_total from its payments, once
    tally.rebuild()  # COPY as the replication role fires no trigger: the complaint tally counted once
    rows.make_devices(plan)
    copied = time.perf_counter() - started
    t0 = time.perf_counter()
    outcome = evaluate_all()
    rescan = time.perf_counter() - t0
    say(f"  alert rescan             {outcome.raised:>10,} alerts {rescan:6.1f} s")
    # The rescan appended a +1 row per alert to AlertTally; a live database's hourly beat task sums them.
    alert_tally.compact()
    with connection.cursor() as cursor:
        # The state autovacuum keeps a live database in: statistics, and the visibility map that lets
        # index-only scans skip the table (rows just COPYed are not yet marked all-visible; without it the
        # figures' covering indexes read every row's page, 3 to 10 times slower than in production).
        # The subsidies were rewritten once by sync_paid_totals: compacted, so that their indexes hold what a live
        # database's hold (``subsidy_unpaid_by_park`` was built while every subsidy was unpaid: 42 MB of mostly
        # empty pages at 1.0 instead of 5 MB, and "not landed" read all of them).
        cursor.execute("VACUUM (FULL) risks_subsidy")
        cursor.execute("VACUUM (ANALYZE)")
    total = time.perf_counter() - started
    say(f"  seeded {copier.rows_written:,} rows in {total:.1f} s (copy {copied:.1f} s, rescan {rescan:.1f} s)")
    return {"counts": counts, "rows": copier.rows_written, "seconds": total, "alerts": outcome.raised}


def migrations_pending() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    fraction = float(argv[0])
    setup_django()
    from django.core.management import call_command

    if migrations_pending():
        call_command("migrate", verbosity=0, interactive=False)
    print(f"seeding fraction {fraction} of the province scale: {scale(fraction)}")
    seed(fraction)


if __name__ == "__main__":
    main(sys.argv[1:])
