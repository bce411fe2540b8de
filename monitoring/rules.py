"""The monitoring alert rule. It joins the one rule registry (risks.rules) from here, the app that owns
the reports, like inspections.rules does for rectification tasks."""

from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parks.models import Park
from risks.choices import Severity
from risks.rules import Rule, register

from .models import Answer, MonitoringReport, Question
from .periods import period_label

#: A drop of this many points or more in a question's average raises the alert.
DROP = 1


def score_drops():
    """Per question of the park's latest reported period: its average and the previous reported period's,
    keeping the questions whose average fell by DROP or more. Compared in integers (prev_sum × cur_n −
    cur_sum × prev_n ≥ DROP × cur_n × prev_n), so 4.0 → 3.0 is a drop and 4.0 → 3.1 is not, exactly.
    One grouped subquery over both periods' answers (conditional sums), correlated to the park."""
    latest = Q(report__period=OuterRef("monitoring_latest"))
    previous = Q(report__period=OuterRef("monitoring_previous"))
    return (
        Answer.objects.filter(latest | previous, report__park=OuterRef("pk"))
        .values("question__code")
        .annotate(
            cur_sum=Sum("score", filter=latest),
            cur_n=Count("pk", filter=latest),
            prev_sum=Sum("score", filter=previous),
            prev_n=Count("pk", filter=previous),
        )
        .filter(cur_n__gt=0, prev_n__gt=0)
        .annotate(
            gap=F("prev_sum") * F("cur_n") - F("cur_sum") * F("prev_n") - DROP * F("cur_n") * F("prev_n"),
            cur_avg=Cast(F("cur_sum"), FloatField()) / Cast(F("cur_n"), FloatField()),
            prev_avg=Cast(F("prev_sum"), FloatField()) / Cast(F("prev_n"), FloatField()),
        )
        .filter(gap__gte=0)
    )


def with_latest_periods(parks, today):
    """Parks annotated with their latest period with reports (up to ``today``) and the one before it (the
    second of the distinct periods: a subquery that does not refer to the first, which Django cannot
    nest again inside the drops' subquery)."""

    def periods():
        return MonitoringReport.objects.filter(park=OuterRef("pk"), period__lte=today).order_by("-period")

    return parks.annotate(
        monitoring_latest=Subquery(periods().values("period")[:1]),
        monitoring_previous=Subquery(periods().values("period").distinct()[1:2]),
        monitoring_months=Subquery(periods().values("period_months")[:1]),
    )


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
        def worst(field):  # a fresh subquery each time: Django cannot share one between annotations
            drops = score_drops().order_by(-(F("prev_avg") - F("cur_avg")), "question__code")
            return Subquery(drops.values(field)[:1])

        return (
            with_latest_periods(Park.objects.all(), today)
            .filter(Exists(score_drops()))
            .annotate(
                question_code=worst("question__code"),
                average=worst("cur_avg"),
                previous_average=worst("prev_avg"),
                period=F("monitoring_latest"),
                previous_period=F("monitoring_previous"),
                months=F("monitoring_months"),
            )
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
