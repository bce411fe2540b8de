from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignTheme(models.TextChoices):
    SUBSIDIES = "subsidies", _("Payment of enterprise subsidies and awards")
    PROJECTS = "projects", _("Engineering project construction")
    BANQUETS = "banquets", _("Improper banquets and drinking")
    LIVING_OFF_ENTERPRISES = "living_off", _("Living off enterprises")
    OTHER = "other", pgettext_lazy("campaign theme", "Other")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign", "in preparation")
    LAUNCHED = "launched", pgettext_lazy("campaign", "under way")
    CLOSED = "closed", pgettext_lazy("campaign", "ended")


class Ledger(models.TextChoices):
    """The ledgers a campaign may focus on (risks' ledgers)."""

    RISK_POINTS = "riskpoints", _("Integrity risk points")
    DECISIONS = "decisions", _("'Three majors, one large' decisions")
    SUBSIDIES = "subsidies", _("Enterprise subsidies")
    PROJECTS = "projects", _("Engineering projects")
    OFFICIALS = "officials", _("Conflict-of-interest register")


class ReturnStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("checklist return", "to be filled in")
    SUBMITTED = "submitted", pgettext_lazy("checklist return", "submitted")
    RETURNED = "returned", pgettext_lazy("checklist return", "sent back")
    PASSED = "passed", pgettext_lazy("checklist return", "passed")


#: Returns the park still has to fill in (and is reminded of).
OPEN_RETURN_STATUSES = frozenset({ReturnStatus.PENDING, ReturnStatus.RETURNED})


class AnswerResult(models.TextChoices):
    DONE = "done", pgettext_lazy("checklist answer", "checked, no problem")
    NOT_APPLICABLE = "not_applicable", pgettext_lazy("checklist answer", "not applicable")
    PROBLEM = "problem", pgettext_lazy("checklist answer", "problem found")
