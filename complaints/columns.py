"""The complaint list's columns (see core.columns): its table and its export are built from this
declaration. Who complained (``identity=True``) is shown and exported only to commission staff."""

from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.columns import Columns, Shown, shown


def _status(complaint):
    badge = format_html('<span class="badge status-{}">{}</span>', complaint.status, complaint.get_status_display())
    if complaint.escalated_at:  # rated "not satisfied" a second time: the inspectors look into it
        badge += format_html(
            ' <span class="badge text-bg-warning" title="{}">{}</span>',
            _("Rated not satisfied after it had been reopened once."),
            _("not satisfied twice"),
        )
    return badge


def _due(complaint):
    if complaint.due_date is None:
        return "—"
    if complaint.is_overdue():
        return format_html('{} <span class="badge text-bg-danger">{}</span>', shown(complaint.due_date), _("overdue"))
    return shown(complaint.due_date)


def _complainant(complaint):
    if complaint.is_anonymous:
        return format_html('<span class="text-muted">{}</span>', _("anonymous"))
    complainant = getattr(complaint, "complainant", None)
    return (complainant and (complainant.name or complainant.enterprise_name)) or "—"


COMPLAINTS = Columns(
    gettext_lazy("Complaints"),
    [
        Shown("reference", gettext_lazy("reference")),
        Shown("park", gettext_lazy("park"), "park__name"),
        Shown("channel", gettext_lazy("channel"), "get_channel_display", table=False),
        Shown("category", gettext_lazy("category"), "get_category_display"),
        Shown(
            "subject",
            gettext_lazy("department or official complained about"),
            cell=lambda c: Truncator(c.subject).chars(30),
        ),
        Shown("description", gettext_lazy("what happened"), table=False),
        Shown("demand", gettext_lazy("what you would like done"), table=False),
        Shown("status", gettext_lazy("status"), "get_status_display", cell=_status),
        Shown("due", gettext_lazy("due"), "due_date", cell=_due, export=False),
        Shown("submitted_at", gettext_lazy("submitted at"), table=False),
        Shown("accept_due", gettext_lazy("to be accepted by"), table=False),
        Shown("accepted_on_time", gettext_lazy("accepted on time"), table=False),
        Shown("reply_due", gettext_lazy("to be replied by"), table=False),
        Shown("replied_on_time", gettext_lazy("replied on time"), table=False),
        Shown("handler", gettext_lazy("handled by"), "assigned_to__display_name"),
        Shown("rating", gettext_lazy("rating"), "get_rating_display", table=False),
        Shown("complainant", gettext_lazy("complainant"), cell=_complainant, export=False, identity=True),
        Shown("anonymous", gettext_lazy("anonymous"), "is_anonymous", table=False, identity=True),
        Shown("name", gettext_lazy("complainant"), "complainant__name", table=False, identity=True),
        Shown("phone", gettext_lazy("contact phone"), "complainant__phone", table=False, identity=True),
        Shown(
            "enterprise",
            gettext_lazy("complaining enterprise"),
            "complainant__enterprise_name",
            table=False,
            identity=True,
        ),
    ],
    link="reference",
    row_class=lambda complaint: "row-overdue" if complaint.is_overdue() else "",
)
