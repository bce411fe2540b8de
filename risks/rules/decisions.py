from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import DecisionKind, Severity
from ..models import Decision
from .base import Rule, register, threshold, yuan


def covered() -> Q:
    """三重一大 matters: every kind, but fund use only from the large-fund threshold up."""
    return ~Q(kind=DecisionKind.LARGE_FUNDS) | Q(amount__gte=threshold("LARGE_FUND_THRESHOLD"))


def _subject(facts) -> str:
    kind = DecisionKind(facts["kind"]).label if facts.get("kind") in DecisionKind.values else ""
    amount = f"，{yuan(facts['amount'])}" if facts.get("amount") not in (None, "") else ""
    return f"{kind}“{facts['subject']}”{amount}"


class DecisionRule(Rule):
    model = Decision
    fact_fields = ("kind", "subject", "amount", "meeting_on", "members_entitled", "members_present", "executed_on")


@register
class DecisionWithoutCollectiveDecision(DecisionRule):
    code = "decision_not_collective"
    name = gettext_lazy("No collective decision")
    severity = Severity.HIGH
    explanation = gettext_lazy("A 'three majors, one large' matter was not decided at a meeting.")

    @classmethod
    def offenders(cls, today):
        return Decision.objects.filter(covered(), meeting_on__isnull=True)

    @classmethod
    def describe(cls, facts):
        if facts.get("executed_on"):
            return _("%(subject)s: carried out on %(date)s with no collective decision recorded.") % {
                "subject": _subject(facts),
                "date": facts["executed_on"],
            }
        return _("%(subject)s: no collective decision recorded.") % {"subject": _subject(facts)}


@register
class DecisionWithoutQuorum(DecisionRule):
    code = "decision_no_quorum"
    name = gettext_lazy("Meeting without quorum")
    severity = Severity.HIGH
    explanation = gettext_lazy("Fewer than two thirds of the members entitled to attend were present.")

    @classmethod
    def offenders(cls, today):
        numerator, denominator = threshold("QUORUM")
        return (
            Decision.objects.filter(covered(), meeting_on__isnull=False)
            .filter(
                members_present__isnull=False,
                members_entitled__isnull=False,
            )
            .alias(present_scaled=F("members_present") * denominator, entitled_scaled=F("members_entitled") * numerator)
            .filter(present_scaled__lt=F("entitled_scaled"))
        )

    @classmethod
    def describe(cls, facts):
        return _("%(subject)s: decided on %(date)s with %(present)s of %(entitled)s members present.") % {
            "subject": _subject(facts),
            "date": facts["meeting_on"],
            "present": facts["members_present"],
            "entitled": facts["members_entitled"],
        }


@register
class DecisionWithoutMinutes(DecisionRule):
    code = "decision_no_minutes"
    name = gettext_lazy("No minutes")
    severity = Severity.MEDIUM
    explanation = gettext_lazy("The meeting that decided the matter kept no minutes.")

    @classmethod
    def offenders(cls, today):
        return Decision.objects.filter(covered(), meeting_on__isnull=False, has_minutes=False)

    @classmethod
    def describe(cls, facts):
        return _("%(subject)s: decided on %(date)s, no minutes kept.") % {
            "subject": _subject(facts),
            "date": facts["meeting_on"],
        }


@register
class DecisionAfterSpending(DecisionRule):
    code = "decision_after_spending"
    name = gettext_lazy("Decided after the fact")
    severity = Severity.HIGH
    explanation = gettext_lazy("The matter was carried out, or the money spent, before the meeting decided it.")

    @classmethod
    def offenders(cls, today):
        return Decision.objects.filter(
            covered(), meeting_on__isnull=False, executed_on__isnull=False, executed_on__lt=F("meeting_on")
        )

    @classmethod
    def describe(cls, facts):
        return _("%(subject)s: carried out on %(executed)s, decided only on %(date)s.") % {
            "subject": _subject(facts),
            "executed": facts["executed_on"],
            "date": facts["meeting_on"],
        }
