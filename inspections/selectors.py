from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from core.workdays import working_days_between

from .choices import UNVERIFIED_TASK_STATUSES, TaskStatus
from .models import Demand, RectificationTask

if TYPE_CHECKING:
    from accounts.models import User
    from parks.models import Park


def task_board(*, user: User):
    """Tasks in scope, overdue first, then by deadline; verified ones last."""
    today = timezone.localdate()
    return (
        RectificationTask.objects.visible_to(user)
        .select_related("finding__park", "owner")
        .annotate(
            board_rank=Case(
                When(Q(status__in=UNVERIFIED_TASK_STATUSES) & Q(deadline__lt=today), then=Value(0)),
                When(status__in=UNVERIFIED_TASK_STATUSES, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("board_rank", "deadline", "pk")
    )


def days_left(task: RectificationTask, today=None) -> int | None:
    """Working days until the deadline (negative: overdue by that many); None once verified."""
    if task.status == TaskStatus.VERIFIED:
        return None
    return working_days_between(today or timezone.localdate(), task.deadline)


def park_rectification_stats(*, user: User, park: Park) -> dict:
    today = timezone.localdate()
    tasks = RectificationTask.objects.visible_to(user).filter(finding__park=park)
    totals = tasks.aggregate(
        n_open=Count("pk", filter=Q(status__in=UNVERIFIED_TASK_STATUSES)),
        n_overdue=Count("pk", filter=Q(status__in=UNVERIFIED_TASK_STATUSES, deadline__lt=today)),
        n_verified=Count("pk", filter=Q(status=TaskStatus.VERIFIED)),
        recovered=Sum("recovered_losses", filter=Q(status=TaskStatus.VERIFIED), default=Decimal("0")),
    )
    demands = (
        Demand.objects.visible_to(user)
        .filter(visit__park=park)
        .aggregate(raised=Count("pk"), solved=Count("pk", filter=Q(solved_on__isnull=False)))
    )
    return {**totals, **demands}


def demand_board(queryset):
    """Demands raised and solved per park and kind — one grouped query."""
    return (
        queryset.order_by()
        .values("visit__park__name", "kind")
        .annotate(raised=Count("pk"), solved=Count("pk", filter=Q(solved_on__isnull=False)))
        .order_by("visit__park__name", "kind")
    )
