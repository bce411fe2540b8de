"""The column lists of the campaign pages (core.columns): the campaigns' and returns' lists and exports,
the findings tagged to a campaign, and the board's sheet. Nothing here is imported (``parse=None``)."""

from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from core.columns import Columns, Shown


def _form_text(n: int) -> str:
    return gettext("form %(n)s") % {"n": n}


#: "form 1" … "form 4" of the four forms, translated when shown.
_form_label = lazy(_form_text, str)


CAMPAIGNS = Columns(
    pgettext_lazy("sheet", "Campaigns"),
    [
        Shown("name", gettext_lazy("campaign name")),
        Shown("theme", gettext_lazy("theme"), "get_theme_display"),
        Shown("parks", gettext_lazy("parks covered"), "park_names"),
        Shown("starts_on", gettext_lazy("starts on"), sort="starts_on"),
        Shown("ends_on", gettext_lazy("ends on"), sort="ends_on"),
        Shown("lead_unit", gettext_lazy("lead unit")),
        Shown("status", gettext_lazy("status"), "get_status_display"),
    ],
    link="name",
)

RETURNS = Columns(
    pgettext_lazy("sheet", "Checklist returns"),
    [
        Shown("campaign", pgettext_lazy("special campaign", "campaign"), "campaign__name"),
        Shown("park", gettext_lazy("park"), "park__name"),
        Shown("due_on", gettext_lazy("due on"), sort="due_on"),
        Shown("status", gettext_lazy("status"), "get_status_display"),
        Shown("submitted_at", gettext_lazy("submitted at")),
        Shown("reviewed_at", gettext_lazy("reviewed at")),
        Shown("return_reason", gettext_lazy("why it was sent back"), table=False),
    ],
    link="park",
)

TAGGED_FINDINGS = Columns(
    pgettext_lazy("sheet", "Findings"),
    [
        Shown("park", gettext_lazy("park"), "finding__park__name"),
        Shown(
            "finding",
            gettext_lazy("finding"),
            "finding__description",
            cell=lambda link: Truncator(link.finding.description).chars(60),
        ),
        Shown("source", gettext_lazy("source"), "finding__get_source_display"),
        Shown("severity", gettext_lazy("severity"), "finding__get_severity_display"),
        Shown("found_on", gettext_lazy("found on"), "finding__found_on"),
        Shown("tagged_at", gettext_lazy("tagged at")),
    ],
    link="finding",
)

#: The board's figures, per park and in total: the page, the printable report and the Excel export.
BOARD = Columns(
    pgettext_lazy("sheet", "Campaign board"),
    [
        Shown("park", gettext_lazy("park"), "park_name"),
        Shown("return_status", gettext_lazy("checklist return")),
        Shown("due_on", gettext_lazy("due on")),
        Shown("findings", gettext_lazy("findings tagged")),
        Shown("rectified", gettext_lazy("rectified")),
        Shown("open", gettext_lazy("not yet verified")),
        Shown("overdue", gettext_lazy("overdue")),
        Shown("recovered", gettext_lazy("economic losses recovered (yuan)")),
        *(Shown(f"form_{n}", _form_label(n)) for n in (1, 2, 3, 4)),
        Shown("accountable", gettext_lazy("people held accountable")),
    ],
)
