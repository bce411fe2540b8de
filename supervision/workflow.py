"""The observation's state machine, and who takes which step: one rule for the buttons shown, the services
and the API (``observation_refusal``)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.workflow import StateMachine, Transition

from .choices import ObservationStatus

S = ObservationStatus
OBSERVATION = StateMachine(
    [
        Transition("accept", frozenset({S.SUBMITTED}), S.ACCEPTED, _("Accept as a finding")),
        Transition("ask", frozenset({S.SUBMITTED}), S.ASKED_BACK, _("Ask for more information")),
        Transition("answer", frozenset({S.ASKED_BACK}), S.SUBMITTED, _("Answer and submit again")),
        Transition("file", frozenset({S.SUBMITTED, S.ASKED_BACK}), S.FILED, _("File away")),
    ],
    labels=ObservationStatus,
)

#: Steps the park's inspectors take; the supervisor who filed the observation answers.
INSPECTOR_STEPS = frozenset({"accept", "ask", "file"})
SUPERVISOR_STEPS = frozenset({"answer"})


def observation_refusal(observation, user, step: str) -> str | None:
    """Why ``user`` may not take ``step`` on ``observation``, or None when they may. The state is the
    machine's question (``OBSERVATION``); the park's scope is the queryset's."""
    if step in INSPECTOR_STEPS:
        return None if user.is_commission_staff else gettext("Only inspectors of the park handle observations.")
    if step in SUPERVISOR_STEPS:
        if observation.supervisor_id == user.pk:
            return None
        return gettext("Only the supervisor who filed the observation answers.")
    return gettext("Only inspectors can do this.")


def observation_steps_for(observation, user) -> list[str]:
    """The steps this user may take on the observation now (the buttons shown)."""
    return [
        t.name for t in OBSERVATION.available(observation) if observation_refusal(observation, user, t.name) is None
    ]
