import datetime

from django.db.models import Count, Exists, F, Func, IntegerField, Max, OuterRef, Subquery, Sum, Window
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import Severity
from ..models import OfficialTie, Subsidy
from ..models.ledgers import ZERO
from .base import MONEY, Rule, register, yuan


class SubsidyRule(Rule):
    model = Subsidy
    #: Which subsidy: every alert text starts with these.
    subject_fields = ("enterprise_name", "policy", "period", "approved_amount", "approved_on")

    @classmethod
    def subsidies(cls):
        return Subsidy.objects.annotate(enterprise_name=F("enterprise__name"))

    @classmethod
    def subject(cls, facts) -> str:
        return _("%(enterprise)s, “%(policy)s” %(period)s, approved %(amount)s on %(date)s") % {
            "enterprise": facts["enterprise_name"],
            "policy": facts["policy"],
            "period": facts["period"],
            "amount": yuan(facts["approved_amount"]),
            "date": facts["approved_on"],
        }


@register
class SubsidyNotLanded(SubsidyRule):
    code = "subsidy_not_landed"
    name = gettext_lazy("Subsidy not landed")
    severity = Severity.MEDIUM
    explanation = gettext_lazy("A subsidy approved N days ago or more has not been fully paid out.")
    fact_fields = (*SubsidyRule.subject_fields, "paid_total", "outstanding")

    @classmethod
    def offenders(cls, today):
        return cls.subsidies().unpaid_too_long(today)

    @classmethod
    def describe(cls, facts):
        days = (timezone.localdate() - datetime.date.fromisoformat(facts["approved_on"])).days
        return _("%(subsidy)s (%(days)d days ago); paid %(paid)s, %(outstanding)s still outstanding.") % {
            "subsidy": cls.subject(facts),
            "days": days,
            "paid": yuan(facts["paid_total"]),
            "outstanding": yuan(facts["outstanding"]),
        }


@register
class SubsidyOverpaid(SubsidyRule):
    code = "subsidy_overpaid"
    name = gettext_lazy("Subsidy paid beyond approval")
    severity = Severity.HIGH
    explanation = gettext_lazy("More has been paid out than was approved.")
    fact_fields = (*SubsidyRule.subject_fields, "paid_total", "last_paid_on")

    @classmethod
    def offenders(cls, today):
        # The stored sum of the payments (risks.paid, the one the lists use) picks the few over-paid
        # subsidies first; only those are joined with their payments for the date of the last one.
        return (
            cls.subsidies()
            .filter(paid_total__gt=F("approved_amount"))
            .order_by()
            .annotate(last_paid_on=Max("payments__paid_on"))
        )

    @classmethod
    def describe(cls, facts):
        return _("%(subsidy)s, but paid %(paid)s (last payment on %(date)s).") % {
            "subsidy": cls.subject(facts),
            "paid": yuan(facts["paid_total"]),
            "date": facts["last_paid_on"],
        }


def _claims(**extra):
    """Subsidies of the same enterprise, policy and period as the outer one: the same claim."""
    return Subsidy.objects.filter(
        enterprise=OuterRef("enterprise"), policy=OuterRef("policy"), period=OuterRef("period"), **extra
    ).order_by()


class _SumOver(Func):
    """``SUM(x) OVER (…)`` of a per-row aggregate (``SUM(COUNT(…)) OVER``), which ``Sum`` refuses. The sum of
    an integer is a bigint, of a bigint a numeric: counts are cast to integer first."""

    function = "SUM"
    window_compatible = True


def _over_claim(expression, **extra):
    """``expression`` over the approvals of the same claim (enterprise, policy, period)."""
    return Window(expression, partition_by=[F("enterprise"), F("policy"), F("period")], **extra)


@register
class SubsidyDuplicate(SubsidyRule):
    """The same claim approved more than once and paid beyond any one approval — wherever the payments
    were recorded: under each approval, or all under one (as an import that merged them once did).
    Instalments of one approval are not a duplicate; paying one approval beyond itself is
    ``subsidy_overpaid``. Every approval of the claim carries the alert.

    One pass, linear in the number of subsidies: a merge semi-join on the claim index keeps the claims
    approved more than once, their payments are summed per approval, then window functions over the claim
    give the counts, rank and sums. (It used five correlated subqueries per subsidy: PostgreSQL estimated
    every subsidy to be duplicated, so the cost crossed the JIT thresholds and compiling took longer than
    running.) The windows need every approval of a claim: see ``in_parks``."""

    code = "subsidy_duplicate"
    name = gettext_lazy("Subsidy claimed twice")
    severity = Severity.HIGH
    explanation = gettext_lazy("The same enterprise was paid more than once under the same policy and period.")
    fact_fields = (*SubsidyRule.subject_fields, "approvals", "approval_rank", "paid_records", "claim_paid")

    @classmethod
    def offenders(cls, today):
        return (
            cls.subsidies()
            .order_by()
            .filter(Exists(_claims().exclude(pk=OuterRef("pk"))))  # approved more than once: few rows go on
            .annotate(
                paid_here=Coalesce(Sum("payments__amount"), ZERO), records_here=Cast(Count("payments"), IntegerField())
            )
            .annotate(
                approvals=_over_claim(Count("pk")),
                approval_rank=_over_claim(RowNumber(), order_by=[F("approved_on").asc(), F("pk").asc()]),
                largest_approval=_over_claim(Max("approved_amount")),
                paid_records=_over_claim(_SumOver(F("records_here"), output_field=IntegerField())),  # bigint
                claim_paid=_over_claim(_SumOver(F("paid_here"), output_field=MONEY)),
            )
            .filter(approvals__gte=2, claim_paid__gt=F("largest_approval"))
        )

    @classmethod
    def in_parks(cls, offenders, park_ids):
        """Every approval of the claims of the enterprises with a subsidy in these parks — an approval
        recorded in another park included, so that the counts over the claim stay whole (the windows are
        computed over the rows the WHERE clause keeps)."""
        return offenders.filter(enterprise__in=Subsidy.objects.filter(park__in=park_ids).values("enterprise"))

    @classmethod
    def describe(cls, facts):
        return _(
            "%(subsidy)s — approval %(rank)d of %(approvals)d of the same claim; %(payments)d payments total "
            "%(paid)s, more than any one approval."
        ) % {
            "subsidy": cls.subject(facts),
            "rank": facts["approval_rank"],
            "approvals": facts["approvals"],
            "payments": facts["paid_records"],
            "paid": yuan(facts["claim_paid"]),
        }


def _ties(enterprise_ref: str, park_ref: str):
    return OfficialTie.objects.filter(
        enterprise=OuterRef(enterprise_ref), official__park=OuterRef(park_ref), official__is_active=True
    ).order_by("pk")


def tie_annotations(enterprise_ref: str, park_ref: str) -> dict:
    ties = _ties(enterprise_ref, park_ref)
    return {
        "official_name": Subquery(ties.values("official__name")[:1]),
        "official_position": Subquery(ties.values("official__position")[:1]),
        "relation": Subquery(ties.values("relation")[:1]),
    }


def describe_tie(facts) -> str:
    from ..choices import Relation

    relation = Relation(facts["relation"]).label if facts.get("relation") in Relation.values else facts.get("relation")
    return _("Tied to %(name)s (%(position)s) of this park: %(relation)s.") % {
        "name": facts["official_name"],
        "position": facts["official_position"],
        "relation": relation,
    }


@register
class SubsidyConflict(SubsidyRule):
    code = "subsidy_conflict"
    name = gettext_lazy("Subsidy to an official's enterprise")
    severity = Severity.HIGH
    explanation = gettext_lazy("The enterprise is in the conflict-of-interest register of the park.")
    fact_fields = (*SubsidyRule.subject_fields, "official_name", "official_position", "relation")

    @classmethod
    def offenders(cls, today):
        return (
            cls.subsidies()
            .filter(Exists(_ties("enterprise", "park")))
            .annotate(**tie_annotations("enterprise", "park"))
        )

    @classmethod
    def describe(cls, facts):
        return _("%(subject)s. %(tie)s") % {"subject": cls.subject(facts), "tie": describe_tie(facts)}
