import datetime

from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import Severity
from ..models import OfficialTie, Subsidy
from .base import Rule, register, yuan


@register
class SubsidyNotLanded(Rule):
    code = "subsidy_not_landed"
    name = gettext_lazy("Subsidy not landed")
    severity = Severity.MEDIUM
    explanation = gettext_lazy("A subsidy approved N days ago or more has not been fully paid out.")
    model = Subsidy
    fact_fields = ("approved_amount", "paid_total", "outstanding", "approved_on")

    @classmethod
    def offenders(cls, today):
        return Subsidy.objects.unpaid_too_long(today)

    @classmethod
    def describe(cls, facts):
        days = (timezone.localdate() - datetime.date.fromisoformat(facts["approved_on"])).days
        return _(
            "Approved %(approved)s on %(date)s (%(days)d days ago); paid %(paid)s, %(outstanding)s still outstanding."
        ) % {
            "approved": yuan(facts["approved_amount"]),
            "date": facts["approved_on"],
            "days": days,
            "paid": yuan(facts["paid_total"]),
            "outstanding": yuan(facts["outstanding"]),
        }


@register
class SubsidyOverpaid(Rule):
    code = "subsidy_overpaid"
    name = gettext_lazy("Subsidy paid beyond approval")
    severity = Severity.HIGH
    explanation = gettext_lazy("More has been paid out than was approved.")
    model = Subsidy
    fact_fields = ("approved_amount", "paid_total")

    @classmethod
    def offenders(cls, today):
        return Subsidy.objects.with_outstanding().filter(paid_total__gt=F("approved_amount"))

    @classmethod
    def describe(cls, facts):
        return _("Approved %(approved)s but paid %(paid)s.") % {
            "approved": yuan(facts["approved_amount"]),
            "paid": yuan(facts["paid_total"]),
        }


@register
class SubsidyDuplicate(Rule):
    code = "subsidy_duplicate"
    name = gettext_lazy("Subsidy claimed twice")
    severity = Severity.HIGH
    explanation = gettext_lazy("The same enterprise was paid more than once under the same policy and period.")
    model = Subsidy
    fact_fields = ("policy", "period", "paid_records")

    @classmethod
    def offenders(cls, today):
        paid_twins = Subsidy.objects.filter(
            enterprise=OuterRef("enterprise"),
            policy=OuterRef("policy"),
            period=OuterRef("period"),
            payments__isnull=False,
        ).exclude(pk=OuterRef("pk"))
        group = (
            Subsidy.objects.filter(
                enterprise=OuterRef("enterprise"),
                policy=OuterRef("policy"),
                period=OuterRef("period"),
                payments__isnull=False,
            )
            .order_by()
            .values("enterprise")
            .annotate(n=Count("pk", distinct=True))
            .values("n")
        )
        return (
            Subsidy.objects.filter(Exists(Subsidy.objects.filter(pk=OuterRef("pk"), payments__isnull=False)))
            .filter(Exists(paid_twins))
            .annotate(paid_records=Subquery(group))
        )

    @classmethod
    def describe(cls, facts):
        return _("%(count)d paid subsidy records for the same enterprise under “%(policy)s”, period %(period)s.") % {
            "count": facts["paid_records"],
            "policy": facts["policy"],
            "period": facts["period"],
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
class SubsidyConflict(Rule):
    code = "subsidy_conflict"
    name = gettext_lazy("Subsidy to an official's enterprise")
    severity = Severity.HIGH
    explanation = gettext_lazy("The enterprise is in the conflict-of-interest register of the park.")
    model = Subsidy
    fact_fields = ("official_name", "official_position", "relation", "approved_amount")

    @classmethod
    def offenders(cls, today):
        return Subsidy.objects.filter(Exists(_ties("enterprise", "park"))).annotate(
            **tie_annotations("enterprise", "park")
        )

    @classmethod
    def describe(cls, facts):
        return describe_tie(facts) + " " + _("Approved %(amount)s.") % {"amount": yuan(facts["approved_amount"])}
