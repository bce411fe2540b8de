"""Runs the alert rules and keeps the alerts in step with the ledgers.

For one rule: one query for the rows that break it now, one for the live alerts, then at most one
bulk insert, one bulk update and one update that clears — whatever the number of ledger rows. The
partial unique index on live alerts makes two runs at once (a rescan and an on-change evaluation)
safe: the second insert of the same (rule, object) is ignored.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Alert
from .rules import REGISTRY
from .rules.base import Rule, jsonable


@dataclass
class Outcome:
    raised: int = 0
    refreshed: int = 0
    cleared: int = 0

    def __iadd__(self, other: Outcome) -> Outcome:
        self.raised += other.raised
        self.refreshed += other.refreshed
        self.cleared += other.cleared
        return self


def evaluate(rule: type[Rule], *, park_ids: Iterable[int] | None = None, now=None) -> Outcome:
    now = now or timezone.now()
    today = timezone.localdate(now)
    park_path = rule.park_path()
    offenders = rule.offenders(today).annotate(alert_park_id=F(park_path))
    live = Alert.objects.filter(rule=rule.code, content_type=ContentType.objects.get_for_model(rule.model)).live()
    if park_ids is not None:
        park_ids = list(park_ids)
        offenders = rule.in_parks(offenders, park_ids)
    queried = [name for name in rule.fact_fields if name not in rule.added_facts]
    rows = {row["pk"]: row for row in offenders.values("pk", "alert_park_id", *queried)}
    if rule.added_facts and rows:
        rule.add_facts(rows)
    if park_ids is not None:
        # A row moved here from another park brings its live alert along rather than leaving it behind.
        live = live.filter(Q(park_id__in=park_ids) | Q(object_id__in=list(rows)))
    content_type = ContentType.objects.get_for_model(rule.model)

    with transaction.atomic():
        current = {alert.object_id: alert for alert in live.select_for_update()}
        new = [
            Alert(
                rule=rule.code,
                severity=rule.severity,
                park_id=row["alert_park_id"],
                content_type=content_type,
                object_id=pk,
                facts=_facts(rule, row),
                first_seen=now,
                last_seen=now,
            )
            for pk, row in rows.items()
            if pk not in current
        ]
        Alert.objects.bulk_create(new, ignore_conflicts=True)
        gone = [alert.pk for object_id, alert in current.items() if object_id not in rows]
        Alert.objects.filter(pk__in=gone).update(cleared_at=now)
        still = [alert for object_id, alert in current.items() if object_id in rows]
        # Rewrite only the alerts whose facts (or park) moved; the rest just get their last_seen, in one UPDATE.
        changed = []
        for alert in still:
            row = rows[alert.object_id]
            facts = _facts(rule, row)
            if facts != alert.facts or alert.severity != rule.severity or alert.park_id != row["alert_park_id"]:
                alert.facts, alert.severity, alert.park_id = facts, rule.severity, row["alert_park_id"]
                changed.append(alert)
        Alert.objects.bulk_update(changed, ["facts", "severity", "park"], batch_size=500)
        if still:
            live.filter(last_seen__lt=now).update(last_seen=now)
    return Outcome(raised=len(new), refreshed=len(still), cleared=len(gone))


def _facts(rule: type[Rule], row: dict) -> dict:
    return {name: jsonable(row[name]) for name in rule.fact_fields}


def evaluate_all(*, park_ids: Iterable[int] | None = None, now=None) -> Outcome:
    total = Outcome()
    for rule in REGISTRY.values():
        total += evaluate(rule, park_ids=park_ids, now=now)
    return total


# --- Evaluation when ledgers change ------------------------------------------------------------------

_deferred = threading.local()


def request_evaluation(park_id: int | None) -> None:
    """Re-run the rules for a park once the current transaction commits (or, inside
    ``deferred_evaluation``, once at the end of the block: imports change thousands of rows)."""
    if park_id is None:
        return
    pending = getattr(_deferred, "parks", None)
    if pending is not None:
        pending.add(park_id)
        return
    from core.tasks import enqueue_on_commit

    from .tasks import evaluate_park

    enqueue_on_commit(evaluate_park, park_id)


@contextlib.contextmanager
def deferred_evaluation() -> Iterator[None]:
    outer = getattr(_deferred, "parks", None)
    if outer is not None:  # nested: the outermost block evaluates
        yield
        return
    _deferred.parks = set()
    try:
        yield
        parks = _deferred.parks
    finally:
        _deferred.parks = None
    for park_id in sorted(parks):
        request_evaluation(park_id)
