"""The column lists of the inspection pages (see core.columns): the tables of the inspection and visit
lists, the rectification board and the demands board, and every export here, are built from these
declarations. Nothing here is imported (``parse=None``)."""

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.columns import Columns, Shown, shown

from .selectors import days_left

INSPECTIONS = Columns(
    pgettext_lazy("sheet", "Inspections"),
    [
        Shown("title", gettext_lazy("inspection title")),
        Shown("kind", gettext_lazy("kind"), "get_kind_display"),
        Shown("parks", gettext_lazy("parks"), "park_names"),
        Shown("starts_on", gettext_lazy("starts on"), sort="starts_on"),
        Shown("ends_on", gettext_lazy("ends on"), sort="ends_on"),
        Shown("status", gettext_lazy("status"), "get_status_display"),
    ],
    link="title",
)

FINDINGS = Columns(
    pgettext_lazy("sheet", "Findings"),
    [
        Shown("inspection", pgettext_lazy("column", "inspection"), "inspection__title"),
        Shown("park", gettext_lazy("park"), "park__name"),
        Shown("source", gettext_lazy("source"), "get_source_display"),
        Shown("description", gettext_lazy("finding")),
        Shown("category", gettext_lazy("category"), "get_category_display"),
        Shown("severity", gettext_lazy("severity"), "get_severity_display"),
        Shown("unit", gettext_lazy("responsible unit"), "responsible_unit"),
        Shown("found_on", gettext_lazy("found on")),
    ],
)


def _deadline(task):
    """The deadline, and how many working days are left or overdue (inspections.selectors.days_left)."""
    badge = render_to_string("inspections/includes/days_left.html", {"left": days_left(task)})
    return format_html("{}{}", shown(task.deadline), badge)


def _overdue(task) -> str:
    left = days_left(task)
    return "row-overdue" if left is not None and left < 0 else ""


# The rectification board's table and the tasks' export.
TASKS = Columns(
    gettext_lazy("Rectification tasks"),
    [
        Shown("deadline", gettext_lazy("deadline"), cell=_deadline),
        Shown("park", gettext_lazy("park"), "park__name"),
        Shown(
            "finding",
            gettext_lazy("finding"),
            "finding__description",
            cell=lambda task: Truncator(task.finding.description).chars(50),
        ),
        Shown("measures", gettext_lazy("rectification measures"), table=False),
        Shown("owner", gettext_lazy("owner"), "owner__display_name"),
        Shown("status", gettext_lazy("status"), "get_status_display"),
        Shown("recovered", gettext_lazy("economic losses recovered (yuan)"), "recovered_losses"),
        Shown("verified_at", gettext_lazy("verified at"), table=False),
    ],
    link="finding",
    row_class=_overdue,
)

VISITS = Columns(
    gettext_lazy("Enterprise visits"),
    [
        Shown("visited_on", gettext_lazy("visit date"), sort="visited_on"),
        Shown("enterprise", gettext_lazy("enterprise"), "enterprise__name"),
        Shown("park", gettext_lazy("park"), "park__name", sort="park__code"),
        Shown("campaign", gettext_lazy("campaign"), "get_campaign_display"),
        Shown("visitor", gettext_lazy("visited by"), "visitor__display_name"),
        Shown("demands", gettext_lazy("demands"), cell=lambda visit: len(visit.demands.all()), export=False),
        Shown("note", gettext_lazy("notes"), table=False),
    ],
    link="visited_on",
)


def _demand_enterprise(demand):
    """The enterprise, linking to the visit the demand was raised at."""
    return format_html('<a href="{}">{}</a>', demand.visit.get_absolute_url(), demand.visit.enterprise.name)


# The demands board's list and the demands' export.
DEMANDS = Columns(
    gettext_lazy("Demands"),
    [
        Shown("park", gettext_lazy("park"), "visit__park__name", table=False),
        Shown("enterprise", gettext_lazy("enterprise"), "visit__enterprise__name", cell=_demand_enterprise),
        Shown("visited_on", gettext_lazy("visit date"), "visit__visited_on", table=False),
        Shown("kind", gettext_lazy("kind of demand"), "get_kind_display"),
        Shown("description", gettext_lazy("demand"), cell=lambda demand: Truncator(demand.description).chars(40)),
        Shown("solved_on", gettext_lazy("solved on")),
        Shown("solution", gettext_lazy("how it was solved"), table=False),
    ],
)


def _measure_finding(measure):
    """The finding the measure was taken on, linking to its rectification task."""
    return format_html(
        '<a href="{}">{}</a>', measure.task.get_absolute_url(), Truncator(measure.task.finding.description).chars(40)
    )


MEASURES = Columns(
    gettext_lazy("Accountability measures"),
    [
        Shown("taken_on", gettext_lazy("date"), sort="taken_on"),
        Shown("park", gettext_lazy("park"), "task__park__name"),
        Shown("finding", gettext_lazy("finding"), "task__finding__description", cell=_measure_finding),
        Shown("kind", gettext_lazy("measure"), "get_kind_display"),
        Shown("form", gettext_lazy("form (1–4)")),
        Shown("person", gettext_lazy("person concerned")),
        Shown("position", gettext_lazy("position")),
        Shown("note", gettext_lazy("note"), table=False),
    ],
)
