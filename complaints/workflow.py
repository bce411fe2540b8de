"""The complaint workflow as data (see core.workflow): which step is possible from which state."""

from django.utils.translation import gettext_lazy as _

from core.workflow import StateMachine, Transition

from .choices import AWAITING_REPLY, OPEN_STATUSES, Status

ALL = frozenset(Status.values)

MACHINE = StateMachine(
    [
        Transition("accept", frozenset({Status.SUBMITTED}), Status.ACCEPTED, _("Accept")),
        Transition("reject", frozenset({Status.SUBMITTED}), Status.REJECTED, _("Do not accept")),
        Transition("assign", AWAITING_REPLY, Status.ASSIGNED, _("Assign")),
        Transition("start", frozenset({Status.ASSIGNED}), Status.HANDLING, _("Start handling")),
        Transition("reply", AWAITING_REPLY, Status.REPLIED, _("Reply")),
        Transition("close", frozenset({Status.REPLIED}), Status.CLOSED, _("Close")),
        Transition("rate", frozenset({Status.REPLIED, Status.CLOSED}), None, _("Rate the answer")),
        Transition("reopen", frozenset({Status.REPLIED}), Status.HANDLING, _("Reopen")),
        Transition("escalate", frozenset({Status.REPLIED, Status.CLOSED}), None, _("Refer to the inspectors")),
        Transition("supplement", OPEN_STATUSES, None, _("Add information")),
        Transition("note", ALL, None, _("Internal note")),
    ],
    labels=Status,
)

# Steps taken by commission staff (inspectors of the park, commission admins).
STAFF_STEPS = frozenset({"accept", "reject", "assign", "close"})
# Steps taken by whoever handles the complaint: the assigned officer, or commission staff.
HANDLER_STEPS = frozenset({"start", "reply", "note"})


def may_take(complaint, user, step: str) -> bool:
    """Whether this staff-side user may take the step (the complainant's steps are not theirs). The
    buttons shown and the services' checks both ask here."""
    if step in STAFF_STEPS:
        return user.is_commission_staff
    if step in HANDLER_STEPS:
        return user.is_commission_staff or complaint.assigned_to_id == user.pk
    return False
