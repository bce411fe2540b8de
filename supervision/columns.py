"""The column lists of the supervision pages (see core.columns): the observation and appointment lists, their
exports, and the supervisors' import template (``APPOINTMENT_IMPORT``)."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.columns import Column, Columns, Shown
from core.import_cells import choice_parser, parse_date, parse_text

from .choices import AppointmentSource


def _status(observation) -> str:
    return format_html('<span class="badge text-bg-secondary">{}</span>', observation.get_status_display())


OBSERVATIONS = Columns(
    pgettext_lazy("sheet", "Observations"),
    [
        Shown("submitted_at", gettext_lazy("submitted at"), sort="submitted_at"),
        Shown("park", gettext_lazy("park"), "park__name"),
        Shown("category", gettext_lazy("category"), "get_category_display"),
        Shown("description", gettext_lazy("what was seen"), cell=lambda o: Truncator(o.description).chars(40)),
        Shown("place", gettext_lazy("where"), table=False),
        Shown("unit_named", gettext_lazy("unit or official concerned")),
        Shown("occurred_on", gettext_lazy("when it happened"), sort="occurred_on"),
        Shown("status", gettext_lazy("status"), "get_status_display", cell=_status),
        Shown("due_on", gettext_lazy("to be handled by"), sort="due_on"),
        Shown("filed_reason", gettext_lazy("reason for filing"), table=False),
    ],
    link="description",
)

APPOINTMENTS = Columns(
    pgettext_lazy("sheet", "Supervisor appointments"),
    [
        Shown("supervisor", gettext_lazy("supervisor"), "supervisor__name"),
        Shown("username", gettext_lazy("user name"), "supervisor__username", table=False),
        Shown("phone", gettext_lazy("phone"), "supervisor__phone", table=False),
        Shown("parks", gettext_lazy("parks"), "park_names"),
        Shown("source", gettext_lazy("appointed from"), "get_source_display"),
        Shown("starts_on", gettext_lazy("term starts on"), sort="starts_on"),
        Shown("ends_on", gettext_lazy("term ends on"), sort="ends_on"),
        Shown("status", gettext_lazy("status"), "get_status_now_display"),
    ],
    link="supervisor",
)


# The sheet a commission admin fills to appoint supervisors: one row per supervisor and term.
APPOINTMENT_IMPORT = Columns(
    pgettext_lazy("sheet", "Supervisor appointments"),
    [
        Column("username", gettext_lazy("user name"), example="jianduyuan01"),
        Column("name", gettext_lazy("name"), example="赵监察"),
        Column("phone", gettext_lazy("phone"), blank=True, required=False, example="13800000009"),
        Column("parks", gettext_lazy("park codes"), parse=parse_text, example="PDS-GXQ、PDS-NL"),
        Column("source", gettext_lazy("appointed from"), parse=choice_parser(AppointmentSource), example="企业家代表"),
        Column("starts_on", gettext_lazy("term starts on"), parse=parse_date, example="2026-01-01"),
        Column("ends_on", gettext_lazy("term ends on"), parse=parse_date, example="2027-12-31"),
    ],
)


def _count_link(query: str, attribute: str):
    """A count of the term's observations, linking to the observation list showing exactly those."""

    def cell(appointment):
        url = reverse("supervision:observation-list")
        return format_html(
            '<a href="{}?appointment={}{}">{}</a>', url, appointment.pk, query, getattr(appointment, attribute)
        )

    return cell


# The supervisors' activity per term (supervision.selectors.with_activity): the page commission admins
# renew or end appointments from, and its export.
ACTIVITY = Columns(
    gettext_lazy("Supervisors' activity"),
    [
        *APPOINTMENTS.without("username", "phone").columns,
        Shown("n_filed", gettext_lazy("observations filed"), cell=_count_link("", "n_filed"), sort="n_filed"),
        Shown("n_accepted", gettext_lazy("accepted as findings"), cell=_count_link("&status=accepted", "n_accepted")),
        Shown("n_filed_away", gettext_lazy("filed away"), cell=_count_link("&status=filed", "n_filed_away")),
        Shown("n_asked_back", gettext_lazy("asked for more"), cell=_count_link("&asked=true", "n_asked_back")),
        Shown("n_open", gettext_lazy("waiting for the inspectors"), cell=_count_link("&status=submitted", "n_open")),
    ],
    link="supervisor",
)
