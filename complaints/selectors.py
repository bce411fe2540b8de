"""Reads of complaints: the staff queue, what a complainant may see, statistics per park."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Aggregate, Case, Count, F, Min, Q, QuerySet, When
from django.utils import timezone

from .choices import OPEN_STATUSES, SATISFIED_RATINGS, Category, Status
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


def _reader_sees_every_attachment(complaint: Complaint, user: User | None, as_complainant: bool) -> bool:
    """The complainant, staff who may see who complained, and anybody once the inspector shared the
    complainant's files; otherwise park officers see replies only (not the complainant's own files)."""
    return as_complainant or (user is not None and can_see_identity(user)) or complaint.attachments_shared


def complaint_attachments_for(*, complaint: Complaint, user: User | None, as_complainant: bool):
    """The attachments this reader may open."""
    attachments = complaint.attachments.all()
    if _reader_sees_every_attachment(complaint, user, as_complainant):
        return attachments  # their own files and the files of replies
    return attachments.filter(from_complainant=False)


def complaint_attachment_list(*, complaint: Complaint, user: User | None, as_complainant: bool) -> list:
    """The same files, filtered in Python so that attachments prefetched for a page of complaints (the
    API list) are not read again once per row."""
    attachments = list(complaint.attachments.all())
    if _reader_sees_every_attachment(complaint, user, as_complainant):
        return attachments
    return [attachment for attachment in attachments if not attachment.from_complainant]


def complaint_figures(*, today: datetime.date, year: int | None = None) -> dict[str, Aggregate]:
    """The one definition of every complaint figure, as aggregates for ``.aggregate()`` or a grouped
    ``.values("park").annotate()``: the dashboard, the park page and the evaluation all use these.

    Open and overdue are today's state; the rates count the complaints filed in ``year`` (all when none).
    On-time rate: replied on time / (replied on time + replied late + still unanswered past a deadline,
    before or after acceptance). Satisfaction: satisfied or fairly satisfied / rated."""
    overdue = Complaint.objects.overdue_q(today)
    filed = Complaint.objects.filed_in_q(year)
    running_due = Case(When(status=Status.SUBMITTED, then=F("accept_due")), default=F("reply_due"))
    return {
        "n_total": Count("pk"),
        "n_open": Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        "n_overdue": Count("pk", filter=overdue),
        "oldest_due": Min(running_due, filter=overdue),
        "n_replied_on_time": Count("pk", filter=filed & Q(replied_on_time=True)),
        "n_reply_due": Count("pk", filter=filed & Complaint.objects.reply_due_q(today)),
        "n_rated": Count("pk", filter=filed & ~Q(rating="")),
        "n_satisfied": Count("pk", filter=filed & Q(rating__in=SATISFIED_RATINGS)),
    }


def share(numerator: int, denominator: int) -> float | None:
    """A rate; None when there is nothing to count (shown as —, scored in full by the evaluation)."""
    return numerator / denominator if denominator else None


def complaint_stats(queryset: QuerySet[Complaint], *, year: int | None = None) -> dict:
    """Counts by category and by state, overdue, on-time and satisfaction rates (``complaint_figures``)
    for any (scoped) queryset."""
    totals = queryset.aggregate(**complaint_figures(today=timezone.localdate(), year=year))
    by_pair = queryset.order_by().values_list("category", "status").annotate(n=Count("pk"))
    by_category = dict.fromkeys(Category.values, 0)
    by_status = dict.fromkeys(Status.values, 0)
    for category, status, count in by_pair:
        by_category[category] += count
        by_status[status] += count
    return {
        "total": totals["n_total"],
        "overdue": totals["n_overdue"],
        "by_category": [(Category(key).label, value) for key, value in by_category.items()],
        "by_status": [(Status(key).label, value) for key, value in by_status.items()],
        "on_time_rate": share(totals["n_replied_on_time"], totals["n_reply_due"]),
        "satisfaction_rate": share(totals["n_satisfied"], totals["n_rated"]),
        "rated": totals["n_rated"],
    }


def attachment_for_download(pk: int) -> ComplaintAttachment | None:
    return ComplaintAttachment.objects.select_related("complaint").filter(pk=pk).first()
