"""Character-gram indexes for searches of one or two characters, on PostgreSQL only.

A trigram index (core.trigram) serves ``UPPER(col) LIKE '%term%'`` only when the term has a trigram: a
Chinese word of two characters (技改, 江北) has none, so PostgreSQL read the whole table. Here every value
is indexed by its characters and pairs of adjacent characters (``portal_grams('江北区')`` is
``{江, 江北, 北, 北区, 区}``) in a GIN index over ``portal_grams(UPPER(col::text))``; a term of one or two
characters is then searched as "the value holds the term's grams" (``@>``, served by the index) *and* the
LIKE itself (the exact test, evaluated only on the rows the index found). pg_bigm, which does this in C,
is not available.

``portal_grams`` is an immutable SQL-level function created by core's migration 0010; the indexes are
migration operations, like the trigram ones (SQLite has none of this and skips them)."""

from __future__ import annotations

from django.db import migrations
from django.db.models import BooleanField, Expression, F, Value

from .trigram import AddTrigramIndex

#: The function's body: a plpgsql loop (about 17 µs for a 25-character text; a SQL ``generate_series``
#: version is twice as slow). COST 100 (plpgsql's default) makes PostgreSQL test the LIKE of a row first
#: and compute its grams only when the LIKE holds.
GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_grams(value text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 100 AS $$
DECLARE
    length int := char_length(value);
    grams text[] := '{}';
BEGIN
    FOR i IN 1..length LOOP
        grams := grams || substr(value, i, 1);
        IF i < length THEN
            grams := grams || substr(value, i, 2);
        END IF;
    END LOOP;
    RETURN grams;
END
$$
"""

#: Terms of at most this many characters need the gram index (a longer one has trigrams).
GRAM_TERM_MAX = 2


class CreateGramsFunction(migrations.operations.base.Operation):
    """``portal_grams(text)`` on PostgreSQL; nothing elsewhere."""

    reduces_to_sql = False
    reversible = True

    def deconstruct(self):
        return self.__class__.__name__, [], {}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(GRAMS_FUNCTION)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP FUNCTION IF EXISTS portal_grams(text)")

    def describe(self):
        return "Function portal_grams(text) for the gram indexes (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return "portal_grams"


class AddGramIndex(AddTrigramIndex):
    """``CREATE INDEX name ON table USING gin (portal_grams(UPPER(column::text)))`` on PostgreSQL; nothing
    elsewhere. Not part of the model state, like core.trigram.AddTrigramIndex, whose mechanics it shares."""

    kind = "Gram"

    def indexed(self, column: str) -> str:
        return f"portal_grams(UPPER({column}::text))"


class HoldsGrams(Expression):
    """``portal_grams(UPPER(field::text)) @> portal_grams(UPPER(term))``: true for every value containing the
    term (case-insensitively), served by the field's gram index. Always true on other databases (the LIKE
    beside it decides)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, term: str):
        super().__init__()
        self.column = F(field)
        self.text = Value(term)

    def get_source_expressions(self):
        return [self.column, self.text]

    def set_source_expressions(self, exprs):
        self.column, self.text = exprs

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return "1 = 1", []
        field_sql, field_params = compiler.compile(self.column)
        term_sql, term_params = compiler.compile(self.text)
        sql = f"portal_grams(UPPER({field_sql}::text)) @> portal_grams(UPPER({term_sql}))"
        return sql, (*field_params, *term_params)


def needs_grams(term: str) -> bool:
    """Whether ``term`` is too short for a trigram index (and not empty, which matches everything)."""
    return 0 < len(term) <= GRAM_TERM_MAX
