"""The monitoring alert rule. It joins the one rule registry (risks.rules) from here, the app that owns
the reports, like inspections.rules does for rectification tasks."""

from collections import defaultdict

from django.db.models import Case, CharField, Count, DateField, FloatField, IntegerField, Q, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parks.models import Park
from risks.choices import Severity
from risks.rules import Rule, register

from .models import Answer, MonitoringReport, Question
from .periods import period_label

#: A drop of this many points or more in a question's average raises the alert.
DROP = 1


def drops_by_park(today) -> dict[int, dict]:
    """Per park, the worst question whose average in the park's latest reported period (up to ``today``) is
    DROP or more below the previous reported period's: two grouped queries (the parks' periods with reports;
    the sums and counts of the answers of those periods per question), compared in integers
    (prev_sum × cur_n − cur_sum × prev_n ≥ DROP × cur_n × prev_n), so 4.0 → 3.0 is a drop and 4.0 → 3.1 is
    not, exactly. The rows are few (parks × 2 periods × questions); the same on PostgreSQL and SQLite."""
    periods: dict[int, list] = defaultdict(list)
    for park_id, period, months in (
        MonitoringReport.objects.filter(period__lte=today)
        .values_list("park", "period", "period_months")
        .distinct()
        .order_by("park", "-period")
    ):
        if len(periods[park_id]) < 2 and all(p != period for p, _m in periods[park_id]):
            periods[park_id].append((period, months))
    pairs = {park_id: found for park_id, found in periods.items() if len(found) == 2}
    if not pairs:
        return {}
    wanted = Q()
    for park_id, found in pairs.items():
        wanted |= Q(report__park_id=park_id, report__period__in=[period for period, _m in found])
    sums: dict[tuple, tuple[int, int]] = {}
    for row in (
        Answer.objects.filter(wanted)
        .values("report__park", "report__period", "question__code")
        .annotate(total=Sum("score"), n=Count("pk"))
        .order_by()
    ):
        sums[row["report__park"], row["report__period"], row["question__code"]] = (row["total"], row["n"])
    drops = {}
    for park_id, ((latest, months), (previous, _m)) in pairs.items():
        worst = None
        for code in sorted({key[2] for key in sums if key[0] == park_id}):
            cur, prev = sums.get((park_id, latest, code)), sums.get((park_id, previous, code))
            if not cur or not prev or prev[0] * cur[1] - cur[0] * prev[1] < DROP * cur[1] * prev[1]:
                continue
            fall = prev[0] / prev[1] - cur[0] / cur[1]
            if worst is None or fall > worst[0]:
                worst = (fall, code, cur[0] / cur[1], prev[0] / prev[1])
        if worst:
            drops[park_id] = {
                "question_code": worst[1], "average": worst[2], "previous_average": worst[3],
                "period": latest, "previous_period": previous, "months": months,
            }  # fmt: skip
    return drops


def _by_park(drops: dict, field: str, output):
    if not drops:  # nothing offends: the annotations still exist, for the engine's values()
        return Value(None, output_field=output)
    return Case(*(When(pk=pk, then=Value(facts[field])) for pk, facts in drops.items()), output_field=output)


@register
class MonitoringScoreDrop(Rule):
    """One alert per park whose latest reported period's average score of a question is DROP (1) point or
    more below the previous reported period's. It clears when it no longer holds: more reports lift the
    average, or the next period's reports come in without a drop."""

    code = "monitoring_score_drop"
    name = gettext_lazy("Monitoring-point score drop")
    severity = Severity.MEDIUM
    explanation = gettext_lazy(
        "The average score of a monitoring-point question in a park fell by 1 point or more from one period "
        "to the next."
    )
    model = Park
    fact_fields = ("question_code", "period", "previous_period", "months", "average", "previous_average")

    @classmethod
    def offenders(cls, today):
        drops = drops_by_park(today)
        return Park.objects.filter(pk__in=list(drops)).annotate(
            question_code=_by_park(drops, "question_code", CharField()),
            average=_by_park(drops, "average", FloatField()),
            previous_average=_by_park(drops, "previous_average", FloatField()),
            period=_by_park(drops, "period", DateField()),
            previous_period=_by_park(drops, "previous_period", DateField()),
            months=_by_park(drops, "months", IntegerField()),
        )

    @classmethod
    def describe(cls, facts):
        import datetime

        question = (
            Question.objects.filter(code=facts["question_code"])
            .order_by("-questionnaire__version")
            .values_list("text", flat=True)
            .first()
        ) or facts["question_code"]
        months = facts.get("months") or 1
        return _("“%(question)s”: average score %(previous).2f in %(before)s, %(current).2f in %(period)s.") % {
            "question": question,
            "previous": facts["previous_average"],
            "current": facts["average"],
            "before": period_label(datetime.date.fromisoformat(facts["previous_period"]), months),
            "period": period_label(datetime.date.fromisoformat(facts["period"]), months),
        }
