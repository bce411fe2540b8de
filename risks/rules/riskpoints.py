import datetime

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import RiskDomain, RiskStatus, Severity
from ..models import RiskPoint
from .base import Rule, register


@register
class RiskPointReviewOverdue(Rule):
    code = "riskpoint_review_overdue"
    name = gettext_lazy("Risk point not reviewed")
    severity = Severity.LOW
    explanation = gettext_lazy("A risk point is past its review date.")
    model = RiskPoint
    fact_fields = ("domain", "description", "department", "review_on", "level")

    @classmethod
    def offenders(cls, today):
        return RiskPoint.objects.filter(review_on__lt=today).exclude(status=RiskStatus.ELIMINATED)

    @classmethod
    def describe(cls, facts):
        days = (timezone.localdate() - datetime.date.fromisoformat(facts["review_on"])).days
        domain = RiskDomain(facts["domain"]).label if facts.get("domain") in RiskDomain.values else ""
        return _(
            "%(domain)s: “%(description)s” (%(department)s) was to be reviewed by %(date)s, %(days)d days ago."
        ) % {
            "domain": domain,
            "description": Truncator(facts["description"]).chars(40),
            "department": facts["department"] or _("no responsible department"),
            "date": facts["review_on"],
            "days": days,
        }
