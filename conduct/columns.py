"""The column lists of the conduct pages (see core.columns): each list's table, its export and, for the
lists and the activities, the import template are built from these declarations."""

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.columns import Column, Columns, Shown, park_code
from core.import_cells import choice_parser, parse_date, parse_int, parse_park_code
from risks.columns import park_name

from .choices import ActivityKind, Audience, ListKind, NegativeKind


def _item_park(item) -> str:
    return item.park.name if item.park_id else _("all parks")


LIST_ITEMS = Columns(
    pgettext_lazy("sheet", "Conduct lists"),
    [
        Column(
            "list_kind",
            gettext_lazy("list"),
            "get_list_kind_display",
            parse=choice_parser(ListKind),
            example="负面清单",
            sort="list_kind",
        ),
        Column("code", gettext_lazy("item number"), example="负-9"),
        Column("text", gettext_lazy("item"), example="不得接受企业安排的娱乐活动"),
        Column(
            "negative_kind",
            gettext_lazy("what a registration shows"),
            "get_negative_kind_display",
            parse=choice_parser(NegativeKind),
            blank=True,
            example="其他",
        ),
        Shown("park_name", gettext_lazy("park"), cell=_item_park, export=False),
        Column(
            "park",
            gettext_lazy("park code (empty: all parks)"),
            "park__code",
            table=False,
            parse=parse_park_code,
            blank=True,
            required=False,
        ),
        Column("order", gettext_lazy("order"), parse=parse_int, blank=True, required=False, example=9, table=False),
        Column("is_active", gettext_lazy("in force"), parse=None),
    ],
    link="code",
)

REGISTRATIONS = Columns(
    gettext_lazy("Contact registrations"),
    [
        Shown("contact_on", gettext_lazy("contact date"), sort="contact_on"),
        Shown("park", gettext_lazy("park"), "park__name", sort="park__code"),
        Shown("official", gettext_lazy("official"), "official__display_name"),
        Shown("enterprise", gettext_lazy("enterprise"), "enterprise__name"),
        Shown("place", gettext_lazy("place"), table=False),
        Shown("purpose", gettext_lazy("purpose"), cell=lambda r: Truncator(r.purpose).chars(30)),
        Shown("meal_paid_by", gettext_lazy("meal paid by"), "get_meal_paid_by_display"),
        Shown("gifts_offered", gettext_lazy("gifts offered"), table=False),
        Shown("gifts_value", gettext_lazy("value of the gifts (yuan)"), table=False),
        Shown("gifts_accepted", gettext_lazy("gifts accepted"), table=False),
        Shown("travel_paid_by_enterprise", gettext_lazy("travel paid by the enterprise"), table=False),
        Shown("discussed_bidding", gettext_lazy("bidding the enterprise takes part in was discussed"), table=False),
        Shown("declares_tie", gettext_lazy("declares a tie")),
        Shown("tie_note", gettext_lazy("the tie"), table=False),
        Shown("self_reported", gettext_lazy("self-report")),
        Shown("reviewed_at", gettext_lazy("reviewed at")),
    ],
    link="contact_on",
)

ACTIVITIES = Columns(
    pgettext_lazy("sheet", "Integrity-culture activities"),
    [
        park_name(),
        park_code(),
        Column("held_on", gettext_lazy("date"), parse=parse_date, example="2026-03-15", sort="held_on"),
        Column("kind", gettext_lazy("kind"), "get_kind_display", parse=choice_parser(ActivityKind), example="警示教育"),
        Column("title", gettext_lazy("title"), example="观看警示教育片《镜鉴》"),
        Column(
            "audience",
            gettext_lazy("audience"),
            "get_audience_display",
            parse=choice_parser(Audience),
            example="园区干部",
        ),
        Column("attendance", gettext_lazy("attendance"), parse=parse_int, example=45, sort="attendance"),
        Column("note", gettext_lazy("notes"), table=False, blank=True, required=False, example=""),
    ],
    link="title",
)
