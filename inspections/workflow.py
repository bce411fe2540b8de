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
