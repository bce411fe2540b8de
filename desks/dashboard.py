"""What each role sees first: figures per park from aggregate queries (one per figure family — the
number of queries does not grow with the data), each linking to the list behind it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.selectors import complaint_figures_by, complaints_filed_by_month, share
from core.charts import Series, bar_chart
from core.db_router import reporting_db
from core.workdays import working_days_between
from inspections.choices import MeasureKind, TaskStatus
from inspections.models import AccountabilityMeasure, Demand, RectificationTask
from inspections.selectors import OPEN_FIGURES, demand_figures, task_figures_by
from parks.models import Park
from risks.models import Subsidy
from risks.selectors import attention_by_park

if TYPE_CHECKING:
    from accounts.models import User


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@reporting_db()  # a report: from the replica when there is one (core.db_router)
def overview(*, user: User, year: int, today: datetime.date | None = None) -> dict:
    """Per park, side by side, for inspectors and commission admins. Every figure comes from the one
    definition its domain app owns (README, "Figures"), the same one as the list it links to and the
    evaluation."""
    today = today or timezone.localdate()
    start, end = year_bounds(year)
    parks = list(Park.objects.visible_to(user).filter(is_active=True).order_by("code"))

    def by_park(queryset, park_path: str, figures: dict) -> dict:
        return {row[park_path]: row for row in queryset.order_by().values(park_path).annotate(**figures)}

    complaints = complaint_figures_by(user=user, group="park", today=today, year=year)
    tasks = task_figures_by(
        RectificationTask.objects.visible_to(user), "park", today=today, names=(*OPEN_FIGURES, "recovered")
    )
    alerts = attention_by_park(user)
    not_landed = by_park(
        Subsidy.objects.visible_to(user).not_landed(today), "park", {"n": Count("pk"), "yuan": Sum("outstanding")}
    )
    demands = by_park(
        Demand.objects.visible_to(user).filter(visit__visited_on__range=(start, end)), "visit__park", demand_figures()
    )
    forms = dict(
        AccountabilityMeasure.objects.visible_to(user)
        .filter(kind=MeasureKind.FOUR_FORMS, taken_on__range=(start, end))
        .order_by()
        .values_list("form")
        .annotate(n=Count("pk"))
    )
    oldest = [row.get("oldest_due") for row in complaints.values()] + [t.get("oldest_deadline") for t in tasks.values()]
    late = days_late([day for day in oldest if day], today)
    rows = [
        _park_row(
            park,
            complaints.get(park.pk, {}),
            tasks.get(park.pk, {}),
            alerts.get(park.pk, {}),
            not_landed,
            demands,
            late,
        )
        for park in parks
    ]
    for row in rows:
        # Which park is in trouble: a simple, explained ordering — overdue work and high alerts first.
        row["trouble"] = (
            row["complaints_overdue"] + row["tasks_overdue"] + 2 * row["alerts_high"] + row["alerts_medium"]
        )
    rows.sort(key=lambda r: (-r["trouble"], r["park"].code))
    return {
        "rows": rows,
        "forms": [(n, forms.get(n, 0)) for n in (1, 2, 3, 4)],
        "trend_chart": trend_chart(user=user, year=year),
        "year": year,
    }


def days_late(days, today: datetime.date) -> dict[datetime.date, int]:
    """``working_days_between(day, today)`` for every day given, in one walk from the earliest to today
    (each step adds the working days between two neighbours) — not one walk per park, which grew with how
    long the oldest overdue work has waited."""
    late, running, previous = {}, 0, today
    for day in sorted(set(days), reverse=True):
        running += working_days_between(day, previous)
        late[day], previous = running, day
    return late


def _park_row(park, c: dict, t: dict, alerts: dict, not_landed: dict, demands: dict, late: dict) -> dict:
    s, d = not_landed.get(park.pk, {}), demands.get(park.pk, {})
    on_time = (c.get("n_replied_on_time", 0), c.get("n_reply_due", 0))
    satisfaction = (c.get("n_satisfied", 0), c.get("n_rated", 0))
    return {
        "park": park,
        "complaints_open": c.get("n_open", 0),
        "complaints_overdue": c.get("n_overdue", 0),
        "complaints_most_late": late[c["oldest_due"]] if c.get("oldest_due") else 0,
        "on_time": on_time,
        "on_time_rate": share(*on_time),
        "satisfaction": satisfaction,
        "satisfaction_rate": share(*satisfaction),
        "tasks_open": t.get("n_open", 0),
        "tasks_overdue": t.get("n_overdue", 0),
        "tasks_most_late": late[t["oldest_deadline"]] if t.get("oldest_deadline") else 0,
        "recovered": t.get("recovered") or Decimal("0"),
        "alerts_high": alerts.get("high", 0),
        "alerts_medium": alerts.get("medium", 0),
        "alerts_low": alerts.get("low", 0),
        "not_landed": s.get("n", 0),
        "not_landed_yuan": s.get("yuan") or Decimal("0"),
        "demands_raised": d.get("raised", 0),
        "demands_solved": d.get("solved", 0),
    }


def by_month(queryset, field: str, year: int) -> list[int]:
    """How many rows of ``queryset`` (already limited to the year) fall in each month, in local time: one
    count per month between that month's bounds, so no row's timestamp is converted (the index serves)."""
    here = timezone.get_current_timezone()
    starts = [datetime.datetime(year + m // 12, m % 12 + 1, 1, tzinfo=here) for m in range(13)]
    counts = queryset.aggregate(
        **{
            f"m{m}": Count("pk", filter=Q(**{f"{field}__gte": starts[m - 1], f"{field}__lt": starts[m]}))
            for m in range(1, 13)
        }
    )
    return [counts[f"m{m}"] for m in range(1, 13)]


@reporting_db()
def trend_chart(*, user: User, year: int) -> str:
    # The year's bounds in local time (``__year``): the index on the timestamp serves; complaints from the tally.
    filed = complaints_filed_by_month(user=user, year=year)
    verified = by_month(
        RectificationTask.objects.visible_to(user).filter(status=TaskStatus.VERIFIED, verified_at__year=year),
        "verified_at",
        year,
    )
    return bar_chart(
        [_("%(month)d mo.") % {"month": m} for m in range(1, 13)],
        [Series(_("complaints filed"), filed), Series(_("rectifications verified"), verified)],
        title=_("%(year)d by month") % {"year": year},
        category_label=_("month"),
    )
