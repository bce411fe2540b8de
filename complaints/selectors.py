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


def _every_attachment_opens(*, complaint: Complaint, user: User | None, as_complainant: bool) -> bool:
    """Complainants open their own files and the replies'; commission staff everything; other staff the
    replies, plus the complainant's files once an inspector shared them."""
    return as_complainant or (user is not None and can_see_identity(user)) or complaint.attachments_shared


def complaint_attachments_for(*, complaint: Complaint, user: User | None, as_complainant: bool):
    """The attachments this reader may open."""
    attachments = complaint.attachments.all()
    if _every_attachment_opens(complaint=complaint, user=user, as_complainant=as_complainant):
        return attachments
    return attachments.filter(from_complainant=False)


def complaint_attachment_list(*, complaint: Complaint, user: User | None, as_complainant: bool) -> list:
    """The same files, filtered in Python so that attachments prefetched for a page of complaints (the
    API list) are not read again once per row."""
    attachments = list(complaint.attachments.all())
    if _every_attachment_opens(complaint=complaint, user=user, as_complainant=as_complainant):
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


# Which rows each figure of ``complaint_figures`` can count: today's state figures only open complaints (an
# overdue one is open), the rates only those filed in the year. Grouped over these rows alone, the figures
# read the indexes kept for them (``Complaint.Meta.indexes``) instead of every complaint ever filed.
STATE_FIGURES = ("n_open", "n_overdue", "oldest_due")
RATE_FIGURES = ("n_replied_on_time", "n_reply_due", "n_rated", "n_satisfied")


def figure_rows(figure: str, year: int | None = None) -> Q:
    """The rows ``figure`` can count (a filter its own condition implies, so narrowing to it changes nothing)."""
    return Q(status__in=OPEN_STATUSES) if figure in STATE_FIGURES else Complaint.objects.filed_in_q(year)


def complaint_figures_by(
    queryset: QuerySet[Complaint], group: str, *, today: datetime.date, year: int | None
) -> dict[object, dict]:
    """``complaint_figures`` (all but ``n_total``) grouped by ``group``: {group value: {figure: value}} — two
    queries, each over the rows its figures count (``figure_rows``)."""
    figures = complaint_figures(today=today, year=year)
    found: dict[object, dict] = {}
    for names in (STATE_FIGURES, RATE_FIGURES):
        rows = queryset.filter(figure_rows(names[0], year)).order_by().values(group)
        for row in rows.annotate(**{name: figures[name] for name in names}):
            found.setdefault(row.pop(group), {}).update(row)
    return found


def share(numerator: int, denominator: int) -> float | None:
    """A rate; None when there is nothing to count (shown as —, scored in full by the evaluation)."""
    return numerator / denominator if denominator else None


def complaint_stats(queryset: QuerySet[Complaint], *, year: int | None = None) -> dict:
    """Counts by category and by state, overdue, on-time and satisfaction rates (``complaint_figures``)
    for any (scoped) queryset."""
    figures = complaint_figures(today=timezone.localdate(), year=year)
    # One pass, grouped by (category, state) in the order of the park's figures index, summed up here.
    by_pair = queryset.order_by().values("category", "status").annotate(**figures)
    totals = {name: 0 for name in figures if not name.startswith("oldest")}  # counts only: they add up
    by_category = dict.fromkeys(Category.values, 0)
    by_status = dict.fromkeys(Status.values, 0)
    for row in by_pair:
        by_category[row["category"]] += row["n_total"]
        by_status[row["status"]] += row["n_total"]
        for name in totals:
            totals[name] += row[name]
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
