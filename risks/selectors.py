"""Reads of the risk ledgers and alerts, always through the scoping rule."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet, Sum

from . import tally
from .choices import RiskLevel
from .models import Alert, AlertTally, RiskPoint
from .rules import REGISTRY

if TYPE_CHECKING:
    from accounts.models import User
    from parks.models import Park


def live_alert_counts(model, ids) -> Counter:
    """{object id: number of live alerts} for one page of rows — one query."""
    rows = (
        Alert.objects.live()
        .filter(content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids))
        .values("object_id")
        .annotate(n=Count("pk"))
    )
    return Counter({row["object_id"]: row["n"] for row in rows})


def attention_by_park(user: User) -> dict[int, dict[str, int]]:
    """{park id: {severity: alerts needing attention}} of the alerts ``user`` sees — one query, over the
    tally (``risks.tally``) on PostgreSQL, over the alerts elsewhere."""
    if tally.in_use():
        rows = AlertTally.objects.visible_to(user).order_by().values("park", "severity").annotate(n=Sum("n"))
    else:
        rows = Alert.objects.visible_to(user).needing_attention().order_by().values("park", "severity")
        rows = rows.annotate(n=Count("pk"))
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        if row["n"]:
            found[row["park"]][row["severity"]] = row["n"]
    return found


def alerts_for(obj, *, user: User) -> QuerySet[Alert]:
    return (
        Alert.objects.visible_to(user)
        .for_object(obj)
        .select_related("decided_by")
        .order_by("cleared_at", "-first_seen")
    )


def park_risk_panel(*, user: User, park: Park) -> dict:
    """What the park page shows: risk points by level and the alerts needing attention, by rule."""
    by_level = dict(
        RiskPoint.objects.visible_to(user).filter(park=park).order_by().values_list("level").annotate(n=Count("pk"))
    )
    alerts = list(
        Alert.objects.visible_to(user).needing_attention().filter(park=park).order_by("rule", "-first_seen")[:200]
    )
    groups: dict[str, list[Alert]] = {}
    for alert in alerts:
        groups.setdefault(alert.rule, []).append(alert)
    return {
        "levels": [(level.label, level.value, by_level.get(level.value, 0)) for level in reversed(RiskLevel)],
        "alert_groups": [(REGISTRY[code], items) for code, items in groups.items() if code in REGISTRY],
        "alert_count": len(alerts),
    }
