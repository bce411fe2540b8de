import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import RiskStatus, Severity
from ..models import RiskPoint
from .base import Rule, register


@register
class RiskPointReviewOverdue(Rule):
    code = "riskpoint_review_overdue"
    name = gettext_lazy("Risk point not reviewed")
    severity = Severity.LOW
    explanation = gettext_lazy("A risk point is past its review date.")
    model = RiskPoint
    fact_fields = ("review_on", "level")

    @classmethod
    def offenders(cls, today):
        return RiskPoint.objects.filter(review_on__lt=today).exclude(status=RiskStatus.ELIMINATED)

    @classmethod
    def describe(cls, facts):
        days = (timezone.localdate() - datetime.date.fromisoformat(facts["review_on"])).days
        return _("To be reviewed by %(date)s, %(days)d days ago.") % {"date": facts["review_on"], "days": days}
