"""Reads of complaints: the staff queue, what a complainant may see, statistics per park."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .choices import AWAITING_REPLY, SATISFIED_RATINGS, Category, Status
from .models import Complaint, ComplaintAttachment, ComplaintEvent

if TYPE_CHECKING:
    from accounts.models import User


def can_see_identity(user: User) -> bool:
    """Who complained (name, phone, enterprise) is for commission staff only — never park officers."""
    return user.is_authenticated and user.is_commission_staff


def is_staff_reader(user: User) -> bool:
    """Users who work on complaints (everyone but enterprise users)."""
    return user.is_authenticated and user.is_staff_reader


def complaint_queue(*, user: User) -> QuerySet[Complaint]:
    queryset = Complaint.objects.visible_to(user).select_related("park", "assigned_to")
    if can_see_identity(user):
        queryset = queryset.select_related("complainant")
    return queryset


def complaint_timeline(*, complaint: Complaint, public_only: bool) -> QuerySet[ComplaintEvent]:
    events = complaint.events.select_related("actor").prefetch_related("attachments")
    return events.public() if public_only else events


def complaint_attachments_for(*, complaint: Complaint, user: User | None, as_complainant: bool):
    """The attachments this reader may open."""
    attachments = complaint.attachments.all()
    if as_complainant:
        return attachments  # their own files and the files of replies
    if user is not None and can_see_identity(user):
        return attachments
    if complaint.attachments_shared:
        return attachments
    return attachments.filter(from_complainant=False)


def complaint_stats(queryset: QuerySet[Complaint]) -> dict:
    """Counts by category and by state, on-time and satisfaction rates, for any (scoped) queryset.

    On-time rate: of the complaints whose reply was due (replied, or still awaiting a reply past the
    due date), the share replied on time. Satisfaction: of the rated answers, the share rated
    satisfied or fairly satisfied.
    """
    today = timezone.localdate()
    totals = queryset.aggregate(
        n_total=Count("pk"),
        n_replied_on_time=Count("pk", filter=Q(replied_on_time=True)),
        n_replied_late=Count("pk", filter=Q(replied_on_time=False)),
        n_overdue_unreplied=Count(
            "pk", filter=Q(status__in=AWAITING_REPLY, reply_due__lt=today, replied_on_time__isnull=True)
        ),
        n_overdue=Count(
            "pk",
            filter=Q(status=Status.SUBMITTED, accept_due__lt=today) | Q(status__in=AWAITING_REPLY, reply_due__lt=today),
        ),
        n_rated=Count("pk", filter=~Q(rating="")),
        n_satisfied=Count("pk", filter=Q(rating__in=SATISFIED_RATINGS)),
    )
    by_pair = queryset.order_by().values_list("category", "status").annotate(n=Count("pk"))
    by_category = dict.fromkeys(Category.values, 0)
    by_status = dict.fromkeys(Status.values, 0)
    for category, status, count in by_pair:
        by_category[category] += count
        by_status[status] += count
    due = totals["n_replied_on_time"] + totals["n_replied_late"] + totals["n_overdue_unreplied"]
    return {
        "total": totals["n_total"],
        "overdue": totals["n_overdue"],
        "by_category": [(Category(key).label, value) for key, value in by_category.items()],
        "by_status": [(Status(key).label, value) for key, value in by_status.items()],
        "on_time_rate": totals["n_replied_on_time"] / due if due else None,
        "satisfaction_rate": totals["n_satisfied"] / totals["n_rated"] if totals["n_rated"] else None,
        "rated": totals["n_rated"],
    }


def attachment_for_download(pk: int) -> ComplaintAttachment | None:
    return ComplaintAttachment.objects.select_related("complaint").filter(pk=pk).first()
