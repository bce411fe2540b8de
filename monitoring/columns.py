"""The column lists of the monitoring pages (see core.columns): the reports list's table and export, and
the answers sheet of the export. Nothing here is imported (``parse=None``)."""

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.columns import Columns, Shown

from .periods import period_label


def _period(report) -> str:
    return period_label(report.period, report.period_months)


def _problem(report) -> str:
    return Truncator(report.problem).chars(40) if report.problem else "—"


REPORTS = Columns(
    pgettext_lazy("sheet", "Monitoring reports"),
    [
        Shown("period", gettext_lazy("period"), cell=_period, sort="period"),
        Shown("park", gettext_lazy("park"), "park__name"),
        Shown("enterprise", gettext_lazy("enterprise"), "enterprise__name", sort="enterprise__name"),
        Shown("credit_code", gettext_lazy("unified social credit code"), "enterprise__credit_code", table=False),
        Shown("filed_at", gettext_lazy("filed at"), sort="filed_at"),
        Shown("due_on", gettext_lazy("due on")),
        Shown("version", gettext_lazy("questionnaire version"), "questionnaire__version", table=False),
        Shown("problem", gettext_lazy("any problem to report"), cell=_problem),
        Shown("complaint_filed_at", gettext_lazy("turned into a complaint at")),
    ],
    link="enterprise",
)

ANSWERS = Columns(
    pgettext_lazy("sheet", "Monitoring answers"),
    [
        Shown("period", gettext_lazy("period"), "report__period"),
        Shown("park", gettext_lazy("park"), "report__park__name"),
        Shown("enterprise", gettext_lazy("enterprise"), "report__enterprise__name"),
        Shown("code", gettext_lazy("code"), "question__code"),
        Shown("question", gettext_lazy("question"), "question__text"),
        Shown("score", gettext_lazy("score")),
        Shown("note", gettext_lazy("note")),
    ],
)
