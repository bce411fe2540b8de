"""No index of ours repeats another (issue 13: every row written writes every index of its table).

An index whose key columns are the leading columns of another index on the same table, with the same
operator classes (and no more columns included), answers no query the other cannot: it only costs writes and space. Django adds one for
every foreign key, so a foreign key that leads a composite index or a unique constraint says
``db_index=False``. Tables of Django's and other packages' apps, and the link tables Django creates for
many-to-many fields, are not ours to change."""

import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

#: Kept on purpose. ``park`` is declared once, on the abstract ``risks.Ledger``; ``RiskPoint`` and ``Official``
#: have no other index leading with it, so it keeps its own index on every ledger.
KEPT = {
    # Counted per park on the park page; the (park_id, name) index that leads with it is several times wider.
    ("parks_enterprise", "park_id"),
    ("risks_project", "park_id"),
    ("risks_subsidy", "park_id"),
    ("risks_subsidypayment", "park_id"),
    ("risks_decision", "park_id"),
}

REPEATED = """
WITH idx AS (
  SELECT i.indexrelid, i.indrelid, c.relname AS tbl, ic.relname AS name, i.indisunique AS uniq,
         i.indpred IS NOT NULL AS partial, i.indexprs IS NOT NULL AS expr, am.amname AS method,
         string_to_array(i.indkey::text, ' ')::int[] AS cols, string_to_array(i.indclass::text, ' ')::oid[] AS ops, i.indnkeyatts AS nkeys
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indrelid
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
  WHERE c.relnamespace = 'public'::regnamespace
)
SELECT a.tbl, a.name, b.name,
       (SELECT string_agg(attname, ',') FROM pg_attribute WHERE attrelid = a.indrelid AND attnum = ANY(a.cols[1:a.nkeys]))
FROM idx a JOIN idx b ON a.indrelid = b.indrelid AND a.indexrelid <> b.indexrelid
WHERE a.method = 'btree' AND b.method = 'btree' AND NOT a.uniq AND NOT a.partial AND NOT b.partial
  AND NOT a.expr AND NOT b.expr AND a.nkeys <= b.nkeys
  AND a.cols[1:a.nkeys] = b.cols[1:a.nkeys] AND a.ops[1:a.nkeys] = b.ops[1:a.nkeys]
  AND (a.nkeys < b.nkeys OR b.uniq OR cardinality(a.cols) < cardinality(b.cols)
       OR (cardinality(a.cols) = cardinality(b.cols) AND a.indexrelid > b.indexrelid))
"""


def is_ours(path: Path) -> bool:
    return path.is_relative_to(ROOT) and not path.is_relative_to(Path(sys.prefix))  # the virtualenv may be in ROOT


def our_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.auto_created and is_ours(Path(model._meta.app_config.path))
    }


@pytest.mark.django_db
def test_no_index_of_ours_repeats_the_leading_columns_of_another():
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's catalogue")
    with connection.cursor() as cursor:
        cursor.execute(REPEATED)
        rows = cursor.fetchall()
    ours = our_tables()
    repeated = sorted(
        f"{table}.{name} ({columns}) is led by {other}"
        for table, name, other, columns in rows
        if table in ours and (table, columns) not in KEPT
    )
    assert not repeated, "repeated indexes (db_index=False on the foreign key, or drop the index):\n" + "\n".join(
        repeated
    )
    assert ours >= {table for table, _column in KEPT}  # the exceptions name tables that exist
