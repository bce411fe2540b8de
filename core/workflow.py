"""The one state-machine helper for the portal's workflows (complaints, rectification tasks, …).

A workflow declares its transitions as data; services ask the machine whether a transition is allowed
from the current state *after* locking the row (``select_for_update``), so two people acting at once
cannot both win: the second one finds the state already changed and gets ``TransitionNotAllowed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (notes, supplements)
    label: str | Promise


class TransitionNotAllowed(Exception):
    """A transition asked from a state that does not allow it. Views show ``message``; the API
    answers 409 with ``message`` and ``message_en``."""

    status_code = 409

    def __init__(self, transition: Transition, current: str, current_label: str | Promise):
        self.transition, self.current = transition, current
        self.message = gettext(
            "“%(action)s” is not possible while the item is %(state)s; someone may have acted on it "
            "already — reload the page."
        ) % {"action": transition.label, "state": current_label}
        self.message_en = (
            f"'{transition.name}' is not allowed from state '{current}'; the item may have been changed "
            "by someone else — reload it."
        )
        super().__init__(self.message)


class ChangedMeanwhile(TransitionNotAllowed):
    """The transition is allowed from the current state, but the item is no longer what the person saw
    when they chose it (another inspector assigned it a moment ago): acting would silently overwrite
    their step. Answered like ``TransitionNotAllowed`` (409), with its own message."""

    def __init__(self, transition: Transition, current: str, message: str, message_en: str):
        Exception.__init__(self, message)
        self.transition, self.current = transition, current
        self.message, self.message_en = message, message_en


#: "The caller did not say what they saw": an API client that does not send it takes the step as asked.
NOT_GIVEN = object()


class StateMachine:
    def __init__(self, transitions: Iterable[Transition], *, field: str = "status", labels=None):
        self.field = field
        self.transitions = {transition.name: transition for transition in transitions}
        self.labels = labels  # a TextChoices class, for messages

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def allows(self, obj, name: str) -> bool:
        return getattr(obj, self.field) in self.transitions[name].sources

    def available(self, obj) -> list[Transition]:
        state = getattr(obj, self.field)
        return [transition for transition in self.transitions.values() if state in transition.sources]

    def check(self, obj, name: str) -> Transition:
        transition = self.transitions[name]
        state = getattr(obj, self.field)
        if state not in transition.sources:
            label = self.labels(state).label if self.labels else state
            raise TransitionNotAllowed(transition, state, label)
        return transition

    def apply(self, obj, name: str) -> tuple[str, str]:
        """Check, then move ``obj`` to the target state. Returns (from_state, to_state)."""
        transition = self.check(obj, name)
        before = getattr(obj, self.field)
        if transition.target is not None:
            setattr(obj, self.field, transition.target)
        return before, getattr(obj, self.field)
