"""Reads of the evaluation: the year's figures behind the computed indicators, the ranking, a park's sheet."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q

from complaints.models import Complaint
from complaints.selectors import complaint_figures, figure_rows
from conduct.selectors import evaluation_counts as conduct_counts
from core.db_router import reporting_db
from inspections.choices import TaskStatus
from inspections.models import RectificationTask
from monitoring.selectors import evaluation_counts as monitoring_counts
from risks.choices import AlertStatus, Severity
from risks.models import Alert, Subsidy
from supervision.selectors import evaluation_counts as supervision_counts

from .choices import Dimension, Source
from .models import NegativeRecord, Round, Score

if TYPE_CHECKING:
    from accounts.models import User
    from parks.models import Park

TWO = Decimal("0.01")  # scores are kept to two decimals


@reporting_db()
def source_counts(source: str, year: int, today: datetime.date) -> dict[int, tuple[int, int]]:
    """Per park: (numerator, denominator) for rates, (count, 0) for counts — one grouped query, through the
    same definitions as the dashboard and the lists (README, "Figures"). From the replica when there is one
    and no transaction is open (core.db_router)."""
    complaint = complaint_figures(today=today, year=year)
    filed = Complaint.objects.filter(figure_rows("n_reply_due", year)).order_by().values("park")  # the year's only
    if source == Source.COMPLAINT_ON_TIME:
        rows = filed.annotate(a=complaint["n_replied_on_time"], b=complaint["n_reply_due"])
    elif source == Source.SATISFACTION:
        rows = filed.annotate(a=complaint["n_satisfied"], b=complaint["n_rated"])
    elif source == Source.RECTIFICATION_ON_TIME:
        rows = _rectification_on_time(year, today)
    elif source == Source.OPEN_HIGH_ALERTS:
        rows = (
            Alert.objects.needing_attention()
            .filter(severity=Severity.HIGH)
            .order_by()
            .values("park")
            .annotate(a=Count("pk"))
        )
    elif source == Source.SUBSIDIES_NOT_LANDED:
        rows = Subsidy.objects.not_landed(today).order_by().values("park").annotate(a=Count("pk"))
    elif source == Source.DECISION_BREACHES:
        rows = (
            Alert.objects.filter(rule__startswith="decision_", first_seen__year=year).exclude(status=AlertStatus.DISMISSED)
            .order_by().values("park").annotate(a=Count("pk"))
        )  # fmt: skip
    elif source in FEATURE_SOURCES:
        return FEATURE_SOURCES[source](source, year, today)
    else:
        return {}
    return {row["park"]: (row["a"], row.get("b", 0)) for row in rows}


# The sources whose figures the feature apps define (each app's `evaluation_counts`, formulas in README).
FEATURE_SOURCES = {
    Source.OBSERVATIONS_HANDLED: supervision_counts,
    Source.MONITORING_RESPONSE: monitoring_counts,
    Source.MONITORING_SCORE: monitoring_counts,
    Source.REGISTRATIONS: conduct_counts,
    Source.NEGATIVE_HITS: conduct_counts,
    Source.ACTIVITIES: conduct_counts,
}


def _rectification_on_time(year: int, today: datetime.date):
    """Tasks whose deadline fell in the year and has passed (or that are verified): verified by the deadline."""
    due = Q(deadline__lt=today) | Q(status=TaskStatus.VERIFIED)
    return (
        RectificationTask.objects.filter(deadline__year=year).filter(due).order_by().values("park")
        .annotate(
            a=Count("pk", filter=Q(status=TaskStatus.VERIFIED, verified_at__date__lte=F("deadline"))),
            b=Count("pk"),
        )
    )  # fmt: skip


def results(*, user: User, round_: Round) -> list[dict]:
    """Each park in the user's scope: score by dimension (capped at each indicator's maximum), the
    negative-list deductions, the total (never below 0) and the rank."""
    scores = Score.objects.visible_to(user).filter(round=round_).select_related("indicator", "park")
    negatives = NegativeRecord.objects.visible_to(user).filter(round=round_).select_related("item")
    by_park: dict[int, dict] = {}
    for score in scores:
        row = by_park.setdefault(
            score.park_id,
            {"park": score.park, "dimensions": defaultdict(Decimal), "deductions": Decimal("0"), "missing": 0},
        )
        if score.value is None:
            row["missing"] += 1
        else:
            row["dimensions"][score.indicator.dimension] += min(score.value, score.indicator.max_score)
    for record in negatives:
        if record.park_id in by_park:
            by_park[record.park_id]["deductions"] += record.item.deduction
    rows = []
    for row in by_park.values():
        subtotal = sum(row["dimensions"].values(), Decimal("0"))
        row["by_dimension"] = [(d.label, row["dimensions"].get(d.value, Decimal("0"))) for d in Dimension]
        row["total"] = max(Decimal("0"), subtotal - row["deductions"]).quantize(TWO)
        rows.append(row)
    rows.sort(key=lambda r: (-r["total"], r["park"].code))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def park_scores(*, user: User, round_: Round, park: Park) -> list[Score]:
    return list(Score.objects.visible_to(user).filter(round=round_, park=park).select_related("indicator", "scored_by"))


def park_negatives(*, user: User, round_: Round, park: Park):
    return NegativeRecord.objects.visible_to(user).filter(round=round_, park=park).select_related("item", "recorded_by")
