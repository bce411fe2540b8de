"""The yearly evaluation: open a round, compute the indicators that come from the data, let inspectors
score the rest with a justification, record negative-list items, finalise (read-only from then on)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import Park

from .choices import EARNED_SOURCES, RATE_SOURCES, RoundStatus
from .models import Indicator, NegativeItem, NegativeRecord, Round, Score
from .selectors import TWO, source_counts

if TYPE_CHECKING:
    from accounts.models import User


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
    if indicator.source in EARNED_SOURCES:  # each item earns its points, up to the maximum
        return min(indicator.max_score, indicator.penalty_per_item * count).quantize(TWO), {"count": count}
    value = max(Decimal("0"), indicator.max_score - indicator.penalty_per_item * count)
    return value.quantize(TWO), {"count": count}


def round_compute(*, actor: User, round_: Round, today: datetime.date | None = None) -> int:
    """Fill every computed indicator of the round from the year's data (one grouped query per source)."""
    _require_admin(actor)
    today = today or timezone.localdate()
    # The year's figures are read before the transaction — from the replica when there is one: they do not
    # depend on anything it writes. A source added meanwhile is read inside it.
    sources = Score.objects.filter(round=round_, indicator__source__gt="").values_list("indicator__source", flat=True)
    counts = {source: source_counts(source, round_.year, today) for source in set(sources)}
    with transaction.atomic():
        return _scores_write(round_, counts, today)


def _scores_write(round_: Round, counts: dict, today: datetime.date) -> int:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_open(round_)
    scores = list(Score.objects.filter(round=round_, indicator__source__gt="").select_related("indicator"))
    for source in {s.indicator.source for s in scores} - set(counts):
        counts[source] = source_counts(source, round_.year, today)
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
