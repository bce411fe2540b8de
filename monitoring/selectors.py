"""Reads: which periods are open, who has not reported, the figures per park and period.

The figures (one definition each, used by the monitoring page, the park page, the evaluation and the
lists their numbers link to):

- **filed** for a park and period: the reports of that period in the park (the reports list filtered by
  park and period).
- **missing**: the park's monitoring points today without a report for the period (the "not reported"
  list). A point flagged after a period is counted as missing for it: the flag has no start date.
- **due** = filed + missing; **response rate** = filed / due.
- **average score** of a question: the mean of its scores in the period's reports (questions match across
  questionnaire versions by their code).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum

from parks.models import Enterprise, Park

from .models import Answer, MonitoringReport, ParkMonitoringSettings, Question, Questionnaire, is_point, point_q
from .periods import Period, default_due_working_days, recent


def active_questionnaire() -> Questionnaire | None:
    return Questionnaire.objects.filter(is_active=True).prefetch_related("questions").first()


def park_settings(park: Park) -> ParkMonitoringSettings:
    """The park's settings row, or the defaults (monthly, due after MONITORING_DUE_WORKING_DAYS) unsaved."""
    found = ParkMonitoringSettings.objects.filter(park=park).first()
    return found or ParkMonitoringSettings(park=park, period_months=1, due_working_days=default_due_working_days())


def settings_by_park(park_ids) -> dict[int, ParkMonitoringSettings]:
    rows = {row.park_id: row for row in ParkMonitoringSettings.objects.filter(park_id__in=list(park_ids))}
    return {
        pk: rows.get(pk) or ParkMonitoringSettings(park_id=pk, due_working_days=default_due_working_days())
        for pk in park_ids
    }


def open_periods(enterprise: Enterprise, today: datetime.date) -> list[Period]:
    """The periods the enterprise may still file: the current one and the previous one (late after its
    due day, but better late than never), less those it has filed."""
    months = park_settings(enterprise.park).period_months
    current = Period.containing(today, months)
    candidates = [current.previous(), current]
    filed = set(
        MonitoringReport.objects.filter(enterprise=enterprise, period__in=[p.start for p in candidates]).values_list(
            "period", flat=True
        )
    )
    return [period for period in candidates if period.start not in filed]


def missing_reporters(park: Park, period_start: datetime.date):
    """The park's monitoring points without a report for the period (the "not reported" list)."""
    reported = MonitoringReport.objects.filter(enterprise=OuterRef("pk"), period=period_start)
    return Enterprise.objects.filter(point_q(), park=park).filter(~Exists(reported))


@dataclass
class PeriodFigures:
    period: Period
    filed: int = 0
    missing: int = 0
    averages: dict[str, float | None] = field(default_factory=dict)  # question code → average score

    @property
    def due(self) -> int:
        return self.filed + self.missing

    @property
    def rate(self) -> float | None:
        """Response rate in per cent, None when nothing was due."""
        return round(100 * self.filed / self.due, 1) if self.due else None


def short_label(text: str) -> str:
    """A question's name for a table header or a chart legend: its text before the first colon
    ("办事效率：到园区…" → "办事效率")."""
    return text.replace(":", "：").split("：", 1)[0].strip() or text


def question_labels() -> list[tuple[str, str]]:
    """(code, short name) of the active questionnaire's questions, in order (codes of older versions after
    them)."""
    active = active_questionnaire()
    labels = [(q.code, short_label(q.text)) for q in active.questions.all()] if active else []
    known = {code for code, _text in labels}
    for code, text in (
        Question.objects.exclude(code__in=known).order_by("code", "-questionnaire__version").values_list("code", "text")
    ):
        if code not in known:
            labels.append((code, short_label(text)))
            known.add(code)
    return labels


def park_trend(park: Park, today: datetime.date, count: int = 6) -> list[PeriodFigures]:
    """Filed, missing, response rate and the average score per question for the park's last ``count``
    periods (oldest first): three aggregate queries, whatever the number of reports."""
    months = park_settings(park).period_months
    periods = recent(today, months, count)
    starts = [p.start for p in periods]
    points = Enterprise.objects.filter(point_q(), park=park).count()
    figures = {p.start: PeriodFigures(p, missing=points) for p in periods}
    counts = (
        MonitoringReport.objects.filter(park=park, period__in=starts)
        .values("period")
        .annotate(
            filed=Count("pk"), by_points=Count("pk", filter=point_q("enterprise__") & Q(enterprise__park=F("park")))
        )
    )
    for row in counts:
        one = figures[row["period"]]
        one.filed = row["filed"]
        one.missing = points - row["by_points"]
    rows = (
        Answer.objects.filter(report__park=park, report__period__in=starts)
        .values("report__period", "question__code")
        .annotate(average=Avg("score"))
    )
    for row in rows:
        figures[row["report__period"]].averages[row["question__code"]] = round(row["average"], 2)
    return [figures[start] for start in starts]


def due_periods(park_settings_row: ParkMonitoringSettings, year: int, today: datetime.date) -> list[Period]:
    """The park's periods ending in ``year`` whose report was due by ``today``."""
    months = park_settings_row.period_months
    period, periods = Period(datetime.date(year, 1, 1), months), []
    while period.start.year == year:
        if period.due_on(park_settings_row.due_working_days) <= today:
            periods.append(period)
        period = period.next()
    return periods


RESPONSE_RATE = "monitoring_response_rate"
AVERAGE_SCORE = "monitoring_average_score"


def evaluation_counts(source_code: str, year: int, today: datetime.date) -> dict[int, tuple[float, float]]:
    """The figures of the evaluation's monitoring-point indicators (政商亲清), per park id.

    - ``monitoring_response_rate``: (reports filed, reports due) over the park's periods of ``year`` whose
      due day has passed by ``today``; due = filed + missing per period (see the module's figures), so a
      rate of filed / due. A park with nothing due gets (0, 0): no data.
    - ``monitoring_average_score``: (sum of every score given in those reports, 5 × the number of scores):
      the average score as a share of the best (4.2 of 5 → 0.84). No score: (0, 0).
    """
    if source_code not in (RESPONSE_RATE, AVERAGE_SCORE):
        raise ValueError(f"unknown source {source_code}")
    parks = list(Park.objects.filter(is_active=True).values_list("pk", flat=True))
    settings_rows = settings_by_park(parks)
    due = {pk: [p.start for p in due_periods(settings_rows[pk], year, today)] for pk in parks}
    wanted = Q()
    for pk, starts in due.items():
        if starts:
            wanted |= Q(park_id=pk, period__in=starts)
    result: dict[int, tuple[float, float]] = dict.fromkeys(parks, (0, 0))
    if not wanted:
        return result
    if source_code == AVERAGE_SCORE:
        scores = Answer.objects.filter(report__in=MonitoringReport.objects.filter(wanted)).values("report__park")
        for row in scores.annotate(total=Count("pk"), points=Sum("score")):
            result[row["report__park"]] = (row["points"], 5 * row["total"])
        return result
    filed = defaultdict(int)
    by_points = defaultdict(int)
    for row in (
        MonitoringReport.objects.filter(wanted)
        .values("park")
        .annotate(
            filed=Count("pk"), by_points=Count("pk", filter=point_q("enterprise__") & Q(enterprise__park=F("park")))
        )
    ):
        filed[row["park"]], by_points[row["park"]] = row["filed"], row["by_points"]
    points = dict(
        Enterprise.objects.filter(point_q(), park_id__in=parks)
        .values("park")
        .annotate(n=Count("pk"))
        .values_list("park", "n")
    )
    for pk in parks:
        expected = filed[pk] + points.get(pk, 0) * len(due[pk]) - by_points[pk]
        result[pk] = (filed[pk], expected)
    return result


def enterprise_status(enterprise: Enterprise, today: datetime.date) -> dict:
    """What the enterprise's home desk says: whether it is a monitoring point, the periods it may still
    file, and its last reports."""
    if not is_point(enterprise):
        return {"is_point": False}
    return {
        "is_point": True,
        "open_periods": open_periods(enterprise, today),
        "reports": list(MonitoringReport.objects.filter(enterprise=enterprise).order_by("-period")[:4]),
    }


@dataclass
class ParkRow:
    park: Park
    period: Period
    points: int
    filed: int
    missing: int

    @property
    def rate(self) -> float | None:
        due = self.filed + self.missing
        return round(100 * self.filed / due, 1) if due else None


def parks_overview(parks, today: datetime.date) -> list[ParkRow]:
    """Per park, the period whose report was last due (the previous one): points, filed, missing — the
    same figures as the park's monitoring page, in three queries for all the parks."""
    parks = list(parks.annotate(points=Count("enterprises", filter=point_q("enterprises__"))))
    settings_rows = settings_by_park([park.pk for park in parks])
    periods = {park.pk: Period.containing(today, settings_rows[park.pk].period_months).previous() for park in parks}
    wanted = Q(pk__in=[])
    for park_id, period in periods.items():
        wanted |= Q(park_id=park_id, period=period.start)
    counts = {
        row["park"]: row
        for row in MonitoringReport.objects.filter(wanted)
        .values("park")
        .annotate(
            filed=Count("pk"), by_points=Count("pk", filter=point_q("enterprise__") & Q(enterprise__park=F("park")))
        )
    }
    rows = []
    for park in parks:
        row = counts.get(park.pk, {"filed": 0, "by_points": 0})
        rows.append(ParkRow(park, periods[park.pk], park.points, row["filed"], park.points - row["by_points"]))
    return rows
