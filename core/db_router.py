"""Reports read from a replica of the database, when there is one (``REPLICA_DATABASE_URL``).

Nothing is guessed: a read goes to the replica only inside ``with reporting_db():``, which the code that
builds a report puts around its reads — the commission's dashboard, the park page's figures, exports, the
evaluation's figures. Everything else, and every write, uses the primary (``default``): what a user has
just saved is always what the next page shows them. Inside a transaction on the primary the reports read
the primary too, since the transaction may have written what they read and the replica cannot see it.

A replica lags the primary by its replication delay (usually well under a second), so a report may miss
the last instant's changes; a report that must not (one written right after a change it has to show)
simply does not use ``reporting_db()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_reporting: ContextVar[bool] = ContextVar("reporting", default=False)


@contextmanager
def reporting_db() -> Iterator[None]:
    """Reads of the ORM inside this block go to the reporting database (``REPORTING_DATABASE``)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def reporting_alias() -> str:
    """Where a report reads right now: the replica inside ``reporting_db()`` outside a transaction, if
    one is configured; else the primary."""
    alias = getattr(settings, "REPORTING_DATABASE", DEFAULT_DB_ALIAS)
    if not _reporting.get() or alias == DEFAULT_DB_ALIAS or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return alias


class PrimaryReplicaRouter:
    """``DATABASE_ROUTERS`` entry: writes and migrations on the primary, reads as ``reporting_alias``."""

    def db_for_read(self, model, **hints) -> str:
        return reporting_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the same rows as the primary: a park read from one is the park of the other.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema by replication
