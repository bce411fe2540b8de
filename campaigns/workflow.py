"""The campaign's and the checklist return's steps, and who takes which: one rule for the buttons shown,
the services and the API."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.workflow import StateMachine, Transition

from .choices import CampaignStatus, ReturnStatus

C = CampaignStatus
CAMPAIGN = StateMachine(
    [
        Transition("launch", frozenset({C.DRAFT}), C.LAUNCHED, _("Launch the campaign")),
        Transition("close", frozenset({C.LAUNCHED}), C.CLOSED, _("End the campaign")),
    ],
    labels=CampaignStatus,
)

R = ReturnStatus
RETURN = StateMachine(
    [
        Transition("fill", frozenset({R.PENDING, R.RETURNED}), None, _("Save the answers")),
        Transition("submit", frozenset({R.PENDING, R.RETURNED}), R.SUBMITTED, _("Submit the checklist")),
        Transition("pass", frozenset({R.SUBMITTED}), R.PASSED, _("Pass the checklist")),
        Transition("send_back", frozenset({R.SUBMITTED}), R.RETURNED, _("Send the checklist back")),
    ],
    labels=ReturnStatus,
)

RETURN_PARK_STEPS = frozenset({"fill", "submit"})
RETURN_REVIEW_STEPS = frozenset({"pass", "send_back"})


def campaign_refusal(user) -> str | None:
    """Campaigns are created, edited, launched and ended by commission administrators."""
    return None if user.is_commission_admin else gettext("Only commission administrators run campaigns.")


def tag_refusal(user) -> str | None:
    """Findings are tagged to a campaign, and untagged, by commission staff (the finding page, the
    campaign's findings list, the API)."""
    return None if user.is_commission_staff else gettext("Only inspectors can do this.")


def return_refusal(park_return, user, step: str) -> str | None:
    """Why ``user`` may not take ``step`` on the return, or None. The park's scope is the queryset's
    question, whether the state allows the step the machine's (``RETURN``)."""
    if park_return.campaign.status != CampaignStatus.LAUNCHED:
        return gettext("The campaign is not under way.")
    if step in RETURN_PARK_STEPS:
        return None if user.is_park_officer else gettext("Only officers of the park fill in its checklist.")
    if step in RETURN_REVIEW_STEPS:
        return None if user.is_commission_staff else gettext("Only inspectors of the park review its checklist.")
    return gettext("Only inspectors can do this.")


def return_steps_for(park_return, user) -> list[str]:
    return [t.name for t in RETURN.available(park_return) if return_refusal(park_return, user, t.name) is None]
