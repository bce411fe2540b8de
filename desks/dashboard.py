"""What each role sees first: figures per park from aggregate queries (one per figure family — the
number of queries does not grow with the data), each linking to the list behind it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.choices import AWAITING_REPLY, OPEN_STATUSES, SATISFIED_RATINGS, Status
from complaints.models import Complaint
from core.charts import Series, bar_chart
from core.workdays import working_days_between
from inspections.choices import UNVERIFIED_TASK_STATUSES, MeasureKind, TaskStatus
from inspections.models import AccountabilityMeasure, Demand, RectificationTask
from parks.models import Park
from risks.models import Alert, Subsidy

if TYPE_CHECKING:
    from accounts.models import User


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def overview(*, user: User, year: int, today: datetime.date | None = None) -> dict:
    """Per park, side by side, for inspectors and commission admins."""
    today = today or timezone.localdate()
    start, end = year_bounds(year)
    parks = list(Park.objects.visible_to(user).filter(is_active=True).order_by("code"))
    complaints = complaint_figures(user, start, end, today)
    tasks = task_figures(user, today)
    alerts = alert_figures(user)
    not_landed = not_landed_figures(user, today)
    demands = demand_figures(user, start, end)
    forms = four_forms_figures(user, start, end)
    rows = [
        park_row(
            park,
            complaints.get(park.pk, {}),
            tasks.get(park.pk, {}),
            alerts[park.pk],
            not_landed.get(park.pk, {}),
            demands.get(park.pk, {}),
            today,
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
        "trend_svg": trend_chart(user=user, year=year),
        "year": year,
    }


def complaint_figures(user: User, start: datetime.date, end: datetime.date, today: datetime.date) -> dict:
    overdue_q = Q(status=Status.SUBMITTED, accept_due__lt=today) | Q(status__in=AWAITING_REPLY, reply_due__lt=today)
    return {
        row["park"]: row
        for row in Complaint.objects.visible_to(user)
        .order_by()
        .values("park")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=overdue_q),
            oldest_due=Min("reply_due", filter=Q(status__in=AWAITING_REPLY, reply_due__lt=today)),
            filed=Count("pk", filter=Q(submitted_at__date__range=(start, end))),
            on_time=Count("pk", filter=Q(submitted_at__date__range=(start, end), replied_on_time=True)),
            late=Count(
                "pk",
                filter=Q(submitted_at__date__range=(start, end))
                & (
                    Q(replied_on_time=False)
                    | Q(status__in=AWAITING_REPLY, reply_due__lt=today, replied_on_time__isnull=True)
                ),
            ),
            rated=Count("pk", filter=Q(submitted_at__date__range=(start, end)) & ~Q(rating="")),
            satisfied=Count("pk", filter=Q(submitted_at__date__range=(start, end), rating__in=SATISFIED_RATINGS)),
        )
    }


def task_figures(user: User, today: datetime.date) -> dict:
    return {
        row["finding__park"]: row
        for row in RectificationTask.objects.visible_to(user)
        .order_by()
        .values("finding__park")
        .annotate(
            open=Count("pk", filter=Q(status__in=UNVERIFIED_TASK_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=UNVERIFIED_TASK_STATUSES, deadline__lt=today)),
            oldest_deadline=Min("deadline", filter=Q(status__in=UNVERIFIED_TASK_STATUSES, deadline__lt=today)),
            recovered=Sum("recovered_losses", filter=Q(status=TaskStatus.VERIFIED), default=Decimal("0")),
        )
    }


def alert_figures(user: User) -> dict:
    alerts: dict = defaultdict(dict)
    for row in (
        Alert.objects.visible_to(user).needing_attention().order_by().values("park", "severity").annotate(n=Count("pk"))
    ):
        alerts[row["park"]][row["severity"]] = row["n"]
    return alerts


def not_landed_figures(user: User, today: datetime.date) -> dict:
    cutoff = today - datetime.timedelta(days=settings.RISK_RULES["SUBSIDY_NOT_LANDED_DAYS"])
    return {
        row["park"]: row
        for row in Subsidy.objects.visible_to(user)
        .with_outstanding()
        .filter(outstanding_amount__gt=0, approved_on__lte=cutoff)
        .order_by()
        .values("park")
        .annotate(n=Count("pk"), yuan=Sum("outstanding_amount"))
    }


def demand_figures(user: User, start: datetime.date, end: datetime.date) -> dict:
    return {
        row["visit__park"]: row
        for row in Demand.objects.visible_to(user)
        .filter(visit__visited_on__range=(start, end))
        .order_by()
        .values("visit__park")
        .annotate(raised=Count("pk"), solved=Count("pk", filter=Q(solved_on__isnull=False)))
    }


def four_forms_figures(user: User, start: datetime.date, end: datetime.date) -> dict:
    return dict(
        AccountabilityMeasure.objects.visible_to(user)
        .filter(kind=MeasureKind.FOUR_FORMS, taken_on__range=(start, end))
        .order_by()
        .values_list("form")
        .annotate(n=Count("pk"))
    )


def park_row(park: Park, c: dict, t: dict, a: dict, s: dict, d: dict, today: datetime.date) -> dict:
    """One park's line of the dashboard from its figures: complaints, tasks, alerts, subsidies not landed, demands."""
    due = (c.get("on_time") or 0) + (c.get("late") or 0)
    return {
        "park": park,
        "complaints_open": c.get("open", 0),
        "complaints_overdue": c.get("overdue", 0),
        "complaints_most_late": working_days_between(c["oldest_due"], today) if c.get("oldest_due") else 0,
        "complaints_filed": c.get("filed", 0),
        "on_time_rate": (c["on_time"] / due) if due else None,
        "satisfaction_rate": (c["satisfied"] / c["rated"]) if c.get("rated") else None,
        "tasks_open": t.get("open", 0),
        "tasks_overdue": t.get("overdue", 0),
        "tasks_most_late": working_days_between(t["oldest_deadline"], today) if t.get("oldest_deadline") else 0,
        "recovered": t.get("recovered") or Decimal("0"),
        "alerts_high": a.get("high", 0),
        "alerts_medium": a.get("medium", 0),
        "alerts_low": a.get("low", 0),
        "not_landed": s.get("n", 0),
        "not_landed_yuan": s.get("yuan") or Decimal("0"),
        "demands_raised": d.get("raised", 0),
        "demands_solved": d.get("solved", 0),
    }


def trend_chart(*, user: User, year: int) -> str:
    start, end = year_bounds(year)
    filed = dict(
        Complaint.objects.visible_to(user)
        .filter(submitted_at__date__range=(start, end))
        .annotate(month=TruncMonth("submitted_at"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    verified = dict(
        RectificationTask.objects.visible_to(user)
        .filter(status=TaskStatus.VERIFIED, verified_at__date__range=(start, end))
        .annotate(month=TruncMonth("verified_at"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    by_month_filed = {
        timezone.localtime(k).month if isinstance(k, datetime.datetime) else k.month: v for k, v in filed.items()
    }
    by_month_verified = {
        timezone.localtime(k).month if isinstance(k, datetime.datetime) else k.month: v for k, v in verified.items()
    }
    months = list(range(1, 13))
    return bar_chart(
        [_("%(month)d mo.") % {"month": m} for m in months],
        [
            Series(_("complaints filed"), [by_month_filed.get(m, 0) for m in months]),
            Series(_("rectifications verified"), [by_month_verified.get(m, 0) for m in months]),
        ],
        title=_("%(year)d by month") % {"year": year},
    )
