"""Trigram indexes for the lists' searches, on PostgreSQL only.

A search (``?q=``, the admin's search box) is an ``icontains`` lookup, which Django writes on PostgreSQL
as ``UPPER(col::text) LIKE UPPER('%…%')``: no b-tree serves it, so it read the whole table. A GIN index
of ``UPPER(col) gin_trgm_ops`` (the ``pg_trgm`` extension) serves exactly that expression. Chinese text
works (pg_trgm hashes multibyte trigrams), but a term of one or two characters has no trigram: such a term
is found through a gram index instead (core.grams, core.filters.contains_text).

Such indexes are a migration operation, not ``Meta.indexes``: SQLite (``make run``) has neither GIN nor
operator classes, and skips them."""

from __future__ import annotations

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class AddTrigramIndex(migrations.operations.base.Operation):
    """``CREATE INDEX name ON table USING gin (UPPER(column) gin_trgm_ops)`` on PostgreSQL; nothing
    elsewhere. The index is not part of the model state (the autodetector never sees it)."""

    reduces_to_sql = False
    reversible = True
    kind = "Trigram"  # in describe(); a subclass indexes another expression of the column (core.grams)

    def __init__(self, model_name: str, column: str, name: str):
        self.model_name = model_name
        self.column = column
        self.name = name

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name, "column": self.column, "name": self.name}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(self.name)} ON {quote(table)} USING gin ({self.indexed(quote(self.column))})"
        )

    def indexed(self, column: str) -> str:
        """What the GIN index holds, for the quoted ``column``."""
        return f"UPPER({column}::text) gin_trgm_ops"

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"{self.kind} index {self.name} on {self.model_name}.{self.column} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.name


def trigram_indexes(model_name: str, *columns: str, prefix: str) -> list[migrations.operations.base.Operation]:
    """The extension (created once, skipped on other databases by Django itself) and one index per
    column, named ``<prefix>_<column>_trgm``."""
    return [
        TrigramExtension(),
        *(AddTrigramIndex(model_name, column, f"{prefix}_{column}_trgm") for column in columns),
    ]
