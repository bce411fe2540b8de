"""Reads of complaints: the staff queue, what a complainant may see, statistics per park."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Aggregate, Case, Count, F, IntegerField, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from . import tally
from .choices import OPEN_STATUSES, SATISFIED_RATINGS, Category, Status
from .models import Complaint, ComplaintAttachment, ComplaintEvent, ComplaintParkTally, ComplaintTally

if TYPE_CHECKING:
    from accounts.models import User
    from parks.models import Park


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


def _stored_conditions(filed: Q) -> dict[str, Q]:
    """The conditions of the figures that count only what each complaint stores (not today's date)."""
    return {
        "n_open": Q(status__in=OPEN_STATUSES),
        "n_replied_on_time": filed & Q(replied_on_time=True),
        "n_rated": filed & ~Q(rating=""),
        "n_satisfied": filed & Q(rating__in=SATISFIED_RATINGS),
    }


def complaint_figures(*, today: datetime.date, year: int | None = None) -> dict[str, Aggregate]:
    """The one definition of every complaint figure, as aggregates for ``.aggregate()`` or a grouped
    ``.values("park").annotate()``: the lists' filters, the evaluation and (through ``complaint_figures_by``
    and ``complaint_stats``, which split them between the tally and the open complaints) the dashboards.

    Open and overdue are today's state; the rates count the complaints filed in ``year`` (all when none).
    On-time rate: replied on time / (replied on time + replied late + still unanswered past a deadline,
    before or after acceptance). Satisfaction: satisfied or fairly satisfied / rated."""
    overdue = Complaint.objects.overdue_q(today)
    filed = Complaint.objects.filed_in_q(year)
    stored = _stored_conditions(filed)
    return {
        "n_total": Count("pk"),
        "n_open": Count("pk", filter=stored["n_open"]),
        "n_overdue": Count("pk", filter=overdue),
        "oldest_due": Min(_running_due(), filter=overdue),
        "n_replied_on_time": Count("pk", filter=stored["n_replied_on_time"]),
        "n_reply_due": Count("pk", filter=filed & Complaint.objects.reply_due_q(today)),
        "n_rated": Count("pk", filter=stored["n_rated"]),
        "n_satisfied": Count("pk", filter=stored["n_satisfied"]),
    }


def _running_due():
    return Case(When(status=Status.SUBMITTED, then=F("accept_due")), default=F("reply_due"))


# How the dashboards count (issue 13): what each complaint stores is summed from the tally
# (``ComplaintTally``, kept in step by the database), today's state is counted over the open complaints
# (an overdue complaint is open) through the index kept for them. ``n_reply_due`` = replied (stored) +
# overdue and not replied (today's): the two parts of ``reply_due_q`` counted where each lives.
STATE_FIGURES = ("n_open", "n_overdue", "oldest_due")
RATE_FIGURES = ("n_replied_on_time", "n_reply_due", "n_rated", "n_satisfied")


def figure_rows(figure: str, year: int | None = None) -> Q:
    """The rows ``figure`` can count (a filter its own condition implies, so narrowing to it changes nothing)."""
    return Q(status__in=OPEN_STATUSES) if figure in STATE_FIGURES else Complaint.objects.filed_in_q(year)


def _stored_source(user: User, *, by_park: bool = False) -> tuple[QuerySet, object]:
    """The rows to sum the stored figures over, and how to count one condition on them: the tally on
    PostgreSQL, the complaints themselves elsewhere (``complaints.tally.in_use``). ``by_park``: the caller
    groups by park (or month) only, so for a user who sees whole parks the coarser ``ComplaintParkTally``
    holds the same sums in fewer rows."""
    if tally.in_use():
        model = ComplaintParkTally if by_park and not user.is_park_officer else ComplaintTally
        return model.objects.visible_to(user), lambda q=None: Sum("n", filter=q, default=0)
    return Complaint.objects.visible_to(user), lambda q=None: Count("pk", filter=q)


def stored_figures(user: User, *, year: int | None, by_park: bool = False) -> tuple[QuerySet, dict[str, Aggregate]]:
    """``complaint_figures``' figures that count what is stored, plus ``n_replied`` (the stored part of
    ``n_reply_due``), as aggregates over the rows they are summed from (scoped to ``user``)."""
    source, count = _stored_source(user, by_park=by_park)
    filed = source.model.objects.filed_in_q(year)
    conditions = {**_stored_conditions(filed), "n_replied": filed & Complaint.objects.replied_q()}
    return source, {"n_total": count(), **{name: count(q) for name, q in conditions.items()}}


def state_figures(*, today: datetime.date, year: int | None) -> dict[str, Aggregate]:
    """Today's state over the open complaints: ``STATE_FIGURES`` and ``n_late_unreplied``, the overdue
    complaints filed in ``year`` with no reply yet (the part of ``n_reply_due`` that depends on today)."""
    figures = complaint_figures(today=today, year=year)
    unreplied = Complaint.objects.filed_in_q(year) & Complaint.objects.overdue_q(today) & ~Complaint.objects.replied_q()
    return {**{name: figures[name] for name in STATE_FIGURES}, "n_late_unreplied": Count("pk", filter=unreplied)}


def _reply_due(row: dict) -> dict:
    row["n_reply_due"] = row.pop("n_replied", 0) + row.pop("n_late_unreplied", 0)
    return row


def complaint_figures_by(*, user: User, group: str, today: datetime.date, year: int | None) -> dict[object, dict]:
    """``complaint_figures`` (all but ``n_total``) of the complaints ``user`` sees, grouped by ``group`` (a
    column of both the complaints and the tally): {group value: {figure: value}} — two queries."""
    state = Complaint.objects.visible_to(user).filter(status__in=OPEN_STATUSES).order_by().values(group)
    found: dict[object, dict] = {row.pop(group): row for row in state.annotate(**state_figures(today=today, year=year))}
    source, stored = stored_figures(user, year=year, by_park=group == "park")
    source = source.filter(source.model.objects.filed_in_q(year))  # the year's rows only: the index serves
    wanted = {name: stored[name] for name in ("n_replied_on_time", "n_replied", "n_rated", "n_satisfied")}
    for row in source.order_by().values(group).annotate(**wanted):
        found.setdefault(row.pop(group), {"n_open": 0, "n_overdue": 0, "oldest_due": None}).update(row)
    for row in found.values():
        row.setdefault("n_replied_on_time", 0), row.setdefault("n_rated", 0), row.setdefault("n_satisfied", 0)
        _reply_due(row)
    return found


def complaints_filed_by_month(*, user: User, year: int) -> list[int]:
    """How many complaints ``user`` sees were filed in each local month of ``year`` — one query."""
    source, stored = stored_figures(user, year=year, by_park=True)
    if tally.in_use():
        rows = source.filter(month__year=year).order_by().values_list("month__month").annotate(n=stored["n_total"])
    else:
        local = TruncMonth("submitted_at", tzinfo=timezone.get_current_timezone())
        rows = source.filter(submitted_at__year=year).order_by().values_list(local).annotate(n=Count("pk"))
        rows = [(month.month, n) for month, n in rows]
    counts = dict(rows)
    return [counts.get(month, 0) for month in range(1, 13)]


def share(numerator: int, denominator: int) -> float | None:
    """A rate; None when there is nothing to count (shown as —, scored in full by the evaluation)."""
    return numerator / denominator if denominator else None


STATS_COUNTS = ("n_total", "n_replied_on_time", "n_replied", "n_rated", "n_satisfied", "n_overdue", "n_late_unreplied")


def complaint_stats(*, user: User, park: Park) -> dict:
    """Counts by category and by state, overdue, on-time and satisfaction rates (``complaint_figures``,
    every complaint filed) of a park's complaints as ``user`` sees them: one query, the stored figures
    from the tally by (category, state), united with today's state over the park's open complaints."""
    source, stored = stored_figures(user, year=None)
    day = timezone.localdate()
    today = state_figures(today=day, year=None)
    zero = Value(0, output_field=IntegerField())
    sums = {**{name: stored[name] for name in STATS_COUNTS[:5]}, "n_overdue": zero, "n_late_unreplied": zero}
    counts = {
        **dict.fromkeys(STATS_COUNTS[:5], zero),
        "n_overdue": today["n_overdue"],
        "n_late_unreplied": today["n_late_unreplied"],
    }
    # Both live counts count overdue complaints only (open ones): the rows narrowed to those.
    live = Complaint.objects.visible_to(user).filter(
        Complaint.objects.overdue_q(day), park=park, status__in=OPEN_STATUSES
    )
    rows = (
        source.filter(park=park).order_by().values("category", "status").annotate(**sums)
        .union(live.order_by().values("category", "status").annotate(**counts), all=True)
    )  # fmt: skip
    totals = dict.fromkeys(STATS_COUNTS, 0)
    by_category = dict.fromkeys(Category.values, 0)
    by_status = dict.fromkeys(Status.values, 0)
    for row in rows:
        by_category[row["category"]] += row["n_total"]
        by_status[row["status"]] += row["n_total"]
        for name in totals:
            totals[name] += row[name]
    totals = _reply_due(totals)
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
