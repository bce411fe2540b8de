"""The campaign board: per covered park in the reader's scope, the checklist return, the findings tagged,
their rectification tasks (rectified / open / overdue, recovered losses — inspections' one definition,
``task_figures``) and the people held accountable by the four forms; with totals. The board page, the
printable report and the Excel export all read ``campaign_board``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q
from django.utils import timezone

from inspections.choices import MeasureKind
from inspections.models import AccountabilityMeasure, RectificationTask
from inspections.selectors import task_figures_by
from parks.models import Park

from .choices import ReturnStatus
from .models import Campaign, CampaignFinding, ParkReturn

if TYPE_CHECKING:
    from accounts.models import User

FORMS = (1, 2, 3, 4)


@dataclass
class BoardRow:
    """One park's figures (or the totals, ``park`` None)."""

    park: Park | None
    park_return: ParkReturn | None = None
    findings: int = 0
    rectified: int = 0
    open: int = 0
    overdue: int = 0
    recovered: Decimal = Decimal("0")
    forms: dict[int, int] = field(default_factory=lambda: dict.fromkeys(FORMS, 0))

    @property
    def park_name(self) -> str:
        return self.park.name if self.park else ""

    @property
    def return_status(self) -> str:
        return self.park_return.get_status_display() if self.park_return else ""

    @property
    def due_on(self):
        return self.park_return.due_on if self.park_return else None

    @property
    def accountable(self) -> int:
        return sum(self.forms.values())

    def __getattr__(self, name: str):
        # form_1 … form_4: the columns of the four forms (campaigns.columns.BOARD).
        if name.startswith("form_") and name[5:].isdigit():
            return self.forms.get(int(name[5:]), 0)
        raise AttributeError(name)


# Each figure's rows, for the lists the board links to: the tasks and measures of the findings tagged.


def campaign_tasks(user: User, campaign: Campaign):
    return RectificationTask.objects.visible_to(user).filter(finding__campaign_links__campaign=campaign)


def campaign_measures(user: User, campaign: Campaign):
    return AccountabilityMeasure.objects.visible_to(user).filter(task__finding__campaign_links__campaign=campaign)


def campaign_findings(user: User, campaign: Campaign):
    return CampaignFinding.objects.visible_to(user).filter(campaign=campaign)


def campaign_board(*, user: User, campaign: Campaign, today: datetime.date | None = None) -> list[BoardRow]:
    """The board's rows, the totals last: a fixed number of queries, whatever the number of parks."""
    today = today or timezone.localdate()
    parks = list(Park.objects.visible_to(user).filter(pk__in=campaign.parks.values("pk")).order_by("code"))
    returns = {r.park_id: r for r in ParkReturn.objects.visible_to(user).filter(campaign=campaign)}
    findings = dict(campaign_findings(user, campaign).order_by().values_list("finding__park").annotate(n=Count("pk")))
    tasks = task_figures_by(
        campaign_tasks(user, campaign),
        "finding__park",
        today=today,
        names=("n_open", "n_overdue", "n_verified", "recovered"),
    )
    forms: dict[int, dict[int, int]] = {}
    measures = campaign_measures(user, campaign).filter(kind=MeasureKind.FOUR_FORMS)
    for park_id, form, n in measures.order_by().values_list("task__finding__park", "form").annotate(n=Count("pk")):
        forms.setdefault(park_id, {})[form] = n
    rows = []
    for park in parks:
        figures = tasks.get(park.pk, {})
        rows.append(
            BoardRow(
                park=park,
                park_return=returns.get(park.pk),
                findings=findings.get(park.pk, 0),
                rectified=figures.get("n_verified", 0),
                open=figures.get("n_open", 0),
                overdue=figures.get("n_overdue", 0),
                recovered=figures.get("recovered") or Decimal("0"),
                forms={form: forms.get(park.pk, {}).get(form, 0) for form in FORMS},
            )
        )
    return [*rows, _total(rows)]


def _total(rows: list[BoardRow]) -> BoardRow:
    total = BoardRow(park=None)
    for row in rows:
        total.findings += row.findings
        total.rectified += row.rectified
        total.open += row.open
        total.overdue += row.overdue
        total.recovered += row.recovered
        for form in FORMS:
            total.forms[form] += row.forms[form]
    return total


def return_counts(*, user: User, campaign: Campaign) -> dict[str, int]:
    """How many returns are in each state (the board's heading)."""
    rows = ParkReturn.objects.visible_to(user).filter(campaign=campaign).order_by().values_list("status")
    return dict(rows.annotate(n=Count("pk")))


#: The evaluation indicator this app can feed (evaluations wires it at the merge).
RETURNS_ON_TIME = "campaign_returns_on_time"


def evaluation_counts(source_code: str, year: int, today: datetime.date) -> dict[int, tuple[int, int]]:
    """{park id: (numerator, denominator)} for the evaluation indicator ``source_code`` of ``year``.

    ``campaign_returns_on_time`` — the share of self-inspection checklists returned on time: the
    denominator counts the park's returns due in ``year`` that are either due already (due date before
    ``today``) or submitted; the numerator those of them submitted (or passed) on or before their due date
    (the last submission counts: a return sent back and submitted again late is late). Returns of
    campaigns in preparation do not exist; returns of ended campaigns count. Any other code: {}.
    """
    if source_code != RETURNS_ON_TIME:
        return {}
    done = Q(status__in=[ReturnStatus.SUBMITTED, ReturnStatus.PASSED])
    rows = (
        ParkReturn.objects.filter(due_on__year=year)
        .filter(Q(due_on__lt=today) | done)
        .order_by()
        .values("park")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=done & Q(submitted_at__date__lte=F("due_on"))),
        )
    )
    return {row["park"]: (row["on_time"], row["due"]) for row in rows}
