from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Aggregate, Count, Min, Q, Sum
from django.utils import timezone

from core.workdays import working_days_between

from .choices import TaskStatus
from .models import TASK_VERIFIED_LAST, Demand, RectificationTask

if TYPE_CHECKING:
    from accounts.models import User
    from parks.models import Park


VERIFIED = Q(status=TaskStatus.VERIFIED)


def task_board(*, user: User):
    """Tasks in scope, overdue first, then by deadline; verified ones last. Among the tasks not yet
    verified, the overdue ones are exactly those whose deadline is past, so ordering them by deadline
    puts them first: the order needs no date and is served by the index ``task_board_order``."""
    return (
        RectificationTask.objects.visible_to(user)
        .select_related("finding", "park", "owner")
        .order_by(TASK_VERIFIED_LAST, "deadline", "pk")
    )


def days_left(task: RectificationTask, today=None) -> int | None:
    """Working days until the deadline (negative: overdue by that many); None once verified."""
    if task.status == TaskStatus.VERIFIED:
        return None
    return working_days_between(today or timezone.localdate(), task.deadline)


def task_figures(*, today: datetime.date) -> dict[str, Aggregate]:
    """The one definition of the rectification figures, as aggregates for ``.aggregate()`` or a grouped
    ``.values(...).annotate()``: open = not yet verified (未销号), overdue = open past the deadline,
    recovered losses of verified tasks. The dashboard and the park page use these."""
    overdue = RectificationTask.objects.overdue_q(today)
    return {
        "n_open": Count("pk", filter=RectificationTask.objects.unverified_q()),
        "n_overdue": Count("pk", filter=overdue),
        "oldest_deadline": Min("deadline", filter=overdue),
        "n_verified": Count("pk", filter=VERIFIED),
        "recovered": Sum("recovered_losses", filter=VERIFIED, default=Decimal("0")),
    }


# Which rows each figure of ``task_figures`` can count: the open ones (not verified) or the verified ones.
# Grouped over these rows alone, they read the indexes kept for them (``RectificationTask.Meta.indexes``).
OPEN_FIGURES = ("n_open", "n_overdue", "oldest_deadline")
VERIFIED_FIGURES = ("n_verified", "recovered")


def task_figures_by(queryset, group: str, *, today: datetime.date, names=(*OPEN_FIGURES, *VERIFIED_FIGURES)) -> dict:
    """``task_figures`` grouped by ``group``: {group value: {figure: value}} — a query for the open figures
    asked for, one for the verified ones, each over the rows its figures count."""
    figures = task_figures(today=today)
    found: dict = {}
    for family, where in ((OPEN_FIGURES, RectificationTask.objects.unverified_q()), (VERIFIED_FIGURES, VERIFIED)):
        wanted = {name: figures[name] for name in family if name in names}
        if wanted:
            for row in queryset.filter(where).order_by().values(group).annotate(**wanted):
                found.setdefault(row.pop(group), {}).update(row)
    return found


def demand_figures() -> dict[str, Aggregate]:
    return {"raised": Count("pk"), "solved": Count("pk", filter=Q(solved_on__isnull=False))}


def park_rectification_stats(*, user: User, park: Park) -> dict:
    tasks = RectificationTask.objects.visible_to(user).filter(park=park)
    totals = tasks.aggregate(**task_figures(today=timezone.localdate()))
    demands = Demand.objects.visible_to(user).filter(visit__park=park).aggregate(**demand_figures())
    return {**totals, **demands}


def demand_board(queryset):
    """Demands raised and solved per park and kind — one grouped query."""
    return (
        queryset.order_by()
        .values("visit__park__name", "kind")
        .annotate(**demand_figures())
        .order_by("visit__park__name", "kind")
    )
