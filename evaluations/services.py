"""The yearly evaluation: open a round, compute the indicators that come from the data, let inspectors
score the rest with a justification, record negative-list items, finalise (read-only from then on)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import Park
from risks.choices import AlertStatus, Severity

from .choices import RATE_SOURCES, Dimension, RoundStatus, Source
from .models import Indicator, NegativeItem, NegativeRecord, Round, Score

if TYPE_CHECKING:
    from accounts.models import User

TWO = Decimal("0.01")


def _require_admin(actor: User) -> None:
    if not actor.is_commission_admin:
        raise PermissionDenied(_("Only commission administrators open, compute and finalise rounds."))


def _require_open(round_: Round) -> None:
    if round_.is_final:
        raise ValidationError(_("The %(year)d round is finalised and can no longer change.") % {"year": round_.year})


FIRST_YEAR = 2000


@transaction.atomic
def round_open(*, actor: User, year: int | None) -> Round:
    _require_admin(actor)
    latest = timezone.localdate().year + 1
    if not isinstance(year, int) or not FIRST_YEAR <= year <= latest:
        raise ValidationError(
            {"year": _("Give a year between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": latest}}
        )
    if Round.objects.filter(year=year).exists():
        raise ValidationError({"year": _("There is already a round for %(year)d.") % {"year": year}})
    round_ = Round.objects.create(year=year)
    indicators = list(Indicator.objects.filter(is_active=True))
    Score.objects.bulk_create(
        Score(round=round_, park=park, indicator=i) for park in Park.objects.filter(is_active=True) for i in indicators
    )
    round_compute(actor=actor, round_=round_)
    return round_


def rate_score(indicator: Indicator, numerator: int, denominator: int) -> tuple[Decimal, dict]:
    if not denominator:
        return indicator.max_score, {"no_data": True}
    value = (indicator.max_score * numerator / denominator).quantize(TWO, rounding=ROUND_HALF_UP)
    return value, {"numerator": numerator, "denominator": denominator}


def count_score(indicator: Indicator, count: int) -> tuple[Decimal, dict]:
    value = max(Decimal("0"), indicator.max_score - indicator.penalty_per_item * count)
    return value.quantize(TWO), {"count": count}


def source_counts(source: str, year: int, today: datetime.date) -> dict[int, tuple[int, int]]:
    """Per park: (numerator, denominator) for rates, (count, 0) for counts — one grouped query, through the
    same definitions as the dashboard and the lists (README, "Figures")."""
    from complaints.models import Complaint
    from complaints.selectors import complaint_figures
    from risks.models import Alert, Subsidy

    complaint = complaint_figures(today=today, year=year)
    if source == Source.COMPLAINT_ON_TIME:
        rows = (
            Complaint.objects.order_by()
            .values("park")
            .annotate(a=complaint["n_replied_on_time"], b=complaint["n_reply_due"])
        )
    elif source == Source.SATISFACTION:
        rows = Complaint.objects.order_by().values("park").annotate(a=complaint["n_satisfied"], b=complaint["n_rated"])
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
    else:
        return {}
    return {row["park"]: (row["a"], row.get("b", 0)) for row in rows}


def _rectification_on_time(year: int, today: datetime.date):
    """Tasks whose deadline fell in the year and has passed (or that are verified): verified by the deadline."""
    from inspections.choices import TaskStatus
    from inspections.models import RectificationTask

    due = Q(deadline__lt=today) | Q(status=TaskStatus.VERIFIED)
    return (
        RectificationTask.objects.filter(deadline__year=year).filter(due).order_by().values(park=F("finding__park"))
        .annotate(
            a=Count("pk", filter=Q(status=TaskStatus.VERIFIED, verified_at__date__lte=F("deadline"))),
            b=Count("pk"),
        )
    )  # fmt: skip


@transaction.atomic
def round_compute(*, actor: User, round_: Round, today: datetime.date | None = None) -> int:
    """Fill every computed indicator of the round from the year's data (one grouped query per source)."""
    _require_admin(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_open(round_)
    today = today or timezone.localdate()
    scores = list(Score.objects.filter(round=round_, indicator__source__gt="").select_related("indicator"))
    counts = {source: source_counts(source, round_.year, today) for source in {s.indicator.source for s in scores}}
    for score in scores:
        numerator, denominator = counts[score.indicator.source].get(score.park_id, (0, 0))
        if score.indicator.source in RATE_SOURCES:
            score.value, score.facts = rate_score(score.indicator, numerator, denominator)
        else:
            score.value, score.facts = count_score(score.indicator, numerator)
    Score.objects.bulk_update(scores, ["value", "facts"], batch_size=500)
    round_.computed_at = timezone.now()
    round_.save(update_fields=["computed_at"])
    return len(scores)


@transaction.atomic
def score_enter(*, actor: User, score: Score, value: Decimal, justification: str) -> Score:
    if not actor.is_commission_staff:
        raise PermissionDenied(_("Only inspectors score indicators."))
    score = (
        Score.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("indicator", "round")
        .get(pk=score.pk)
    )
    _require_open(score.round)
    if score.indicator.is_computed:
        raise ValidationError(_("This indicator is computed from the data."))
    justification = (justification or "").strip()
    if not justification:
        raise ValidationError({"justification": _("Give a short justification for the score.")})
    score.value, score.justification, score.scored_by = value, justification, actor
    score._history_user = actor  # the audit trail names the scorer even outside a web request
    score.full_clean()
    score.save()
    return score


@transaction.atomic
def negative_record(*, actor: User, round_: Round, park: Park, item: NegativeItem, note: str) -> NegativeRecord:
    if not actor.is_commission_staff:
        raise PermissionDenied(_("Only inspectors record negative-list items."))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_open(round_)
    if not Park.objects.visible_to(actor).filter(pk=park.pk).exists():
        raise Park.DoesNotExist
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what happened.")})
    return NegativeRecord.objects.create(round=round_, park=park, item=item, note=note, recorded_by=actor)


@transaction.atomic
def round_finalise(*, actor: User, round_: Round) -> Round:
    _require_admin(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_open(round_)
    missing = Score.objects.filter(round=round_, value__isnull=True).select_related("park", "indicator")
    if missing.exists():
        names = "；".join(f"{s.park.name}·{s.indicator.name}" for s in missing[:10])
        raise ValidationError(_("Scores still missing: %(names)s") % {"names": names})
    round_.status, round_.finalised_at, round_.finalised_by = RoundStatus.FINAL, timezone.now(), actor
    round_.save()
    return round_


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
