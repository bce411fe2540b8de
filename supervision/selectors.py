"""Reads of the supervision app: a supervisor's parks and desk, each term's activity, the evaluation's
figure."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet

from core.db_router import reporting_db
from parks.models import Park

from .choices import HANDLED_STATUSES, ObservationStatus
from .models import Appointment, Observation

if TYPE_CHECKING:
    from accounts.models import User

#: The evaluation indicator this app feeds: "supervisor observations handled within limits".
SOURCE_OBSERVATIONS_HANDLED = "observations_handled"


def supervisor_parks(user: User, today: datetime.date | None = None) -> QuerySet[Park]:
    """The parks the supervisor serves today (a current appointment names them)."""
    serving = Appointment.objects.visible_to(user).current(today).values("parks")
    return Park.objects.filter(pk__in=serving).order_by("code")


def supervisor_desk(user: User) -> dict:
    """The supervisor's home: the parks served today, their appointments, their latest observations."""
    observations = Observation.objects.visible_to(user).select_related("park")
    return {
        "serving_parks": list(supervisor_parks(user)),
        "appointments": list(Appointment.objects.visible_to(user).prefetch_related("parks")),
        "my_observations": list(observations[:10]),
        "waiting_for_me": observations.filter(status=ObservationStatus.ASKED_BACK).count(),
    }


def with_activity(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Each appointment (a supervisor's term) with what they did in it: ``n_filed`` observations filed,
    ``n_accepted`` accepted as findings, ``n_filed_away``, ``n_asked_back`` (asked for more at least once),
    ``n_open`` waiting for the inspectors. Visits are not counted: a visit records the commission member who made it
    (``inspections.Visit.visitor``), never a supervisor who came along."""
    obs = "observations__"
    return appointments.annotate(
        n_filed=Count("observations", distinct=True),
        n_accepted=Count("observations", filter=Q(**{f"{obs}status": ObservationStatus.ACCEPTED}), distinct=True),
        n_filed_away=Count("observations", filter=Q(**{f"{obs}status": ObservationStatus.FILED}), distinct=True),
        n_asked_back=Count("observations", filter=Q(**{f"{obs}times_asked__gt": 0}), distinct=True),
        n_open=Count("observations", filter=Q(**{f"{obs}status": ObservationStatus.SUBMITTED}), distinct=True),
    )


def handled_in_time_q() -> Q:
    """Accepted or filed by the time limit (``due_on``, set on each submission)."""
    return Q(status__in=HANDLED_STATUSES, decided_at__date__lte=F("due_on"))


def due_q(today: datetime.date) -> Q:
    """Due for the figure: handled, or still waiting for the inspectors past its time limit (an observation
    asked back waits for the supervisor, and is not due)."""
    return Q(status__in=HANDLED_STATUSES) | Q(status=ObservationStatus.SUBMITTED, due_on__lt=today)


@reporting_db()
def evaluation_counts(source_code: str, year: int, today: datetime.date) -> dict[int, tuple[int, int]]:
    """Per park: (numerator, denominator) of "supervisor observations handled within limits".

    Observations first submitted in ``year``; denominator: those handled (accepted as a finding or filed
    away) plus those submitted and still unhandled past their time limit on ``today``; numerator: those
    handled by their time limit. The limit is ``SUPERVISION_HANDLE_WORKING_DAYS`` (10) working days
    (core.workdays) after the submission, counted again from the supervisor's answer when asked back.
    Another ``source_code`` gives ``{}``. A park with nothing due is absent (no data)."""
    if source_code != SOURCE_OBSERVATIONS_HANDLED:
        return {}
    rows = (
        Observation.objects.filter(submitted_at__year=year)
        .filter(due_q(today))
        .order_by()
        .values("park")
        .annotate(a=Count("pk", filter=handled_in_time_q()), b=Count("pk"))
    )
    return {row["park"]: (row["a"], row["b"]) for row in rows}


def observation_inbox(user: User, today: datetime.date | None = None) -> dict[str, int]:
    """What the commission staff's desk says of the observations they see: waiting for them (``submitted``),
    of which past the time limit (``overdue``, the list's filter), and asked back to the supervisors."""
    from django.utils import timezone

    today = today or timezone.localdate()
    waiting = Q(status=ObservationStatus.SUBMITTED)
    return Observation.objects.visible_to(user).aggregate(
        submitted=Count("pk", filter=waiting),
        overdue=Count("pk", filter=waiting & Q(due_on__lt=today)),
        asked_back=Count("pk", filter=Q(status=ObservationStatus.ASKED_BACK)),
    )
