from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.workflow import StateMachine, Transition

from .choices import InspectionStatus, TaskStatus

S = InspectionStatus
INSPECTION = StateMachine(
    [
        Transition("start", frozenset({S.PLANNED}), S.IN_PROGRESS, _("Start the inspection")),
        Transition("feedback", frozenset({S.IN_PROGRESS}), S.FEEDBACK, _("Give feedback to the park")),
        Transition("rectify", frozenset({S.FEEDBACK}), S.RECTIFICATION, _("Start rectification")),
        Transition("close", frozenset({S.RECTIFICATION}), S.CLOSED, _("Close the inspection")),
    ],
    labels=InspectionStatus,
)

T = TaskStatus
TASK = StateMachine(
    [
        Transition("start", frozenset({T.ASSIGNED, T.RETURNED}), T.IN_PROGRESS, _("Start rectifying")),
        Transition(
            "submit", frozenset({T.ASSIGNED, T.IN_PROGRESS, T.RETURNED}), T.SUBMITTED, _("Submit for verification")
        ),
        Transition("verify", frozenset({T.SUBMITTED}), T.VERIFIED, _("Verify and close")),
        Transition("return", frozenset({T.SUBMITTED}), T.RETURNED, _("Return for more work")),
    ],
    labels=TaskStatus,
)


# --- who takes which step: one rule for the buttons shown, the services and the API ----------------------

#: Steps of a task taken by its owner, and by an inspector of the park (never the owner).
TASK_OWNER_STEPS = frozenset({"start", "submit"})
TASK_VERIFIER_STEPS = frozenset({"verify", "return"})
#: Recording an accountability measure on a task: commission staff, in any state.
TASK_STAFF_STEPS = frozenset({"measure"})


def task_refusal(task, user, step: str) -> str | None:
    """Why ``user`` may not take ``step`` on ``task``, or None when they may. Whether the task's state
    allows the step is the machine's question (``TASK``); the park's scope is the queryset's."""
    if step in TASK_OWNER_STEPS:
        return None if task.owner_id == user.pk else gettext("Only the owner works on the task.")
    if step in TASK_VERIFIER_STEPS:
        if task.owner_id == user.pk:
            return gettext("Nobody verifies their own task.")
        return (
            None if user.is_commission_staff else gettext("Only an inspector of the park verifies or returns a task.")
        )
    if step in TASK_STAFF_STEPS:
        return None if user.is_commission_staff else gettext("Only inspectors can do this.")
    return gettext("Only inspectors can do this.")


def may_take_task_step(task, user, step: str) -> bool:
    return task_refusal(task, user, step) is None


def task_steps_for(task, user) -> list[str]:
    """The workflow steps this user may take on the task now (the buttons shown)."""
    return [t.name for t in TASK.available(task) if may_take_task_step(task, user, t.name)]


def inspection_refusal(inspection, user, step: str) -> str | None:
    """Why ``user`` may not move the inspection on, or None: commission staff of its parks do."""
    return None if user.is_commission_staff else gettext("Only inspectors can do this.")


def inspection_steps_for(inspection, user) -> list:
    """The transitions this user may take on the inspection now (the buttons shown)."""
    return [t for t in INSPECTION.available(inspection) if inspection_refusal(inspection, user, t.name) is None]
