"""The alert rule over rectification work. It joins the one rule registry (risks.rules) from here, the
app that owns rectification tasks, so that the risk ledgers never import the inspections."""

import datetime

from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workdays import working_days_between
from risks.choices import Severity
from risks.rules import Rule, register

from .models import RectificationTask


@register
class TaskOverdue(Rule):
    """One alert per task past its deadline (the board's own definition of overdue), until an inspector
    verifies and closes it (销号): submitted evidence that nobody has checked yet does not clear it."""

    code = "task_overdue"
    name = gettext_lazy("Rectification task overdue")
    severity = Severity.MEDIUM
    explanation = gettext_lazy("A rectification task is past its deadline and has not been verified and closed.")
    model = RectificationTask
    officers_see = False  # an officer sees their own tasks only; the task board already shows them late
    fact_fields = ("finding_description", "responsible_unit", "owner_name", "deadline")

    @classmethod
    def offenders(cls, today):
        return RectificationTask.objects.overdue(today).annotate(
            finding_description=F("finding__description"),
            responsible_unit=F("finding__responsible_unit"),
            owner_name=Coalesce(NullIf(F("owner__name"), Value("")), F("owner__username")),
        )

    @classmethod
    def describe(cls, facts):
        deadline = datetime.date.fromisoformat(facts["deadline"])
        return _(
            "Rectification of “%(finding)s” (%(unit)s, owner %(owner)s) was due %(date)s: %(days)d working days "
            "overdue."
        ) % {
            "finding": Truncator(facts["finding_description"]).chars(40),
            "unit": facts["responsible_unit"],
            "owner": facts["owner_name"],
            "date": facts["deadline"],
            "days": working_days_between(deadline, timezone.localdate()),
        }
