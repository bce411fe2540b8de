from decimal import Decimal

from django.db.models import Count, Exists, F, Func, Sum, Window, WindowFrame
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import NOT_TENDERED, ProcurementMethod, Severity
from ..models import Contract
from .base import MONEY, Rule, register, threshold, yuan
from .subsidies import _ties, describe_tie, tie_annotations


class ContractRule(Rule):
    model = Contract

    @classmethod
    def contracts(cls):
        return Contract.objects.annotate(contractor_name=F("contractor__name"))

    @classmethod
    def subject(cls, facts) -> str:
        """Which contract: its number, the contractor, the amount and the day it was signed."""
        return _("Contract %(number)s with %(contractor)s, %(amount)s, signed %(date)s") % {
            "number": facts["number"],
            "contractor": facts["contractor_name"],
            "amount": yuan(facts["amount"]),
            "date": facts["signed_on"],
        }


@register
class ContractDirectAward(ContractRule):
    code = "contract_direct_award"
    name = gettext_lazy("Awarded without tender")
    severity = Severity.HIGH
    explanation = gettext_lazy(
        "A works contract at or above the tendering threshold was let without an open or invited tender."
    )
    fact_fields = ("number", "contractor_name", "amount", "signed_on", "procurement_method")

    @classmethod
    def offenders(cls, today):
        return cls.contracts().filter(procurement_method__in=NOT_TENDERED, amount__gte=threshold("TENDERING_THRESHOLD"))

    @classmethod
    def describe(cls, facts):
        return _("%(contract)s: let by %(method)s, not tendered (tendering threshold %(threshold)s).") % {
            "contract": cls.subject(facts),
            "method": ProcurementMethod(facts["procurement_method"]).label,
            "threshold": yuan(threshold("TENDERING_THRESHOLD")),
        }


@register
class ContractWithoutIntegrityContract(ContractRule):
    code = "contract_no_integrity"
    name = gettext_lazy("No integrity contract")
    severity = Severity.MEDIUM
    explanation = gettext_lazy("The contractor has not signed an integrity contract.")
    fact_fields = ("number", "contractor_name", "amount", "signed_on")

    @classmethod
    def offenders(cls, today):
        return cls.contracts().filter(integrity_contract=False)

    @classmethod
    def describe(cls, facts):
        return _("%(contract)s: no integrity contract signed.") % {"contract": cls.subject(facts)}


@register
class ContractChangeOrdersOver(ContractRule):
    code = "contract_change_orders"
    name = gettext_lazy("Change orders over the limit")
    severity = Severity.MEDIUM
    explanation = gettext_lazy("Change orders add more than the allowed share to the contract amount.")
    fact_fields = ("number", "contractor_name", "amount", "signed_on", "changes_total")

    @classmethod
    def offenders(cls, today):
        ratio = Decimal(str(threshold("CHANGE_ORDER_RATIO")))
        return cls.contracts().with_changes().filter(amount__gt=0, changes_total__gt=F("amount") * ratio)

    @classmethod
    def describe(cls, facts):
        share = Decimal(facts["changes_total"]) / Decimal(facts["amount"]) * 100
        return _("%(contract)s: change orders %(changes)s (%(share)s%% of the contract, limit %(limit)s%%).") % {
            "contract": cls.subject(facts),
            "changes": yuan(facts["changes_total"]),
            "share": f"{share:.1f}",
            "limit": f"{Decimal(str(threshold('CHANGE_ORDER_RATIO'))) * 100:.0f}",
        }


class _SigningOrder(Func):
    """A date as the order of a window whose frame is counted in days: the date itself on PostgreSQL (so
    the index on (project, contractor, signed_on) gives the order), its Julian day number on SQLite, whose
    ``RANGE`` offsets need a number."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="julianday(%(expressions)s)", **extra)


class _DaysBefore(WindowFrame):
    """``RANGE BETWEEN <days> PRECEDING AND CURRENT ROW`` over a ``_SigningOrder``: the rows of the same
    day (peers of the current row) and of the ``days`` days before."""

    frame_type = "RANGE"

    def __init__(self, days: int):
        super().__init__(start=-int(days), end=0)

    def as_sql(self, compiler, connection):
        return f"RANGE BETWEEN INTERVAL '{-self.start.value:d} days' PRECEDING AND CURRENT ROW", []

    def as_sqlite(self, compiler, connection):
        return f"RANGE BETWEEN {-self.start.value:d} PRECEDING AND CURRENT ROW", []


@register
class ContractSplitting(ContractRule):
    code = "contract_splitting"
    name = gettext_lazy("Contract splitting")
    severity = Severity.HIGH
    explanation = gettext_lazy(
        "Several contracts to the same contractor in one project within the window, each under the tendering "
        "threshold, together over it."
    )
    fact_fields = ("number", "contractor_name", "amount", "signed_on", "window_count", "window_total")

    @classmethod
    def offenders(cls, today):
        # Window functions over the contracts under the threshold of one contractor in one project, in
        # the order they were signed: a contract's frame is itself, the contracts signed the same day and
        # those of the days before within the window (as one subquery per contract counted, whose cost
        # estimate grew with the ledger and crossed the JIT thresholds). A project is in one park, so
        # evaluating some parks keeps every contract of a window.
        limit = threshold("TENDERING_THRESHOLD")
        window = {
            "partition_by": [F("project"), F("contractor")],
            "order_by": _SigningOrder(F("signed_on")),
            "frame": _DaysBefore(threshold("SPLITTING_WINDOW_DAYS")),
        }
        return (
            cls.contracts()
            .order_by()
            .filter(amount__lt=limit)
            .annotate(
                window_total=Window(Sum("amount", output_field=MONEY), **window),
                window_count=Window(Count("pk"), **window),
            )
            .filter(window_count__gte=2, window_total__gte=limit)
        )

    @classmethod
    def describe(cls, facts):
        return _(
            "%(contract)s: one of %(count)s contracts to the same contractor in this project within %(days)s days, "
            "together %(total)s — over the tendering threshold %(threshold)s."
        ) % {
            "contract": cls.subject(facts),
            "count": facts["window_count"],
            "days": threshold("SPLITTING_WINDOW_DAYS"),
            "total": yuan(facts["window_total"]),
            "threshold": yuan(threshold("TENDERING_THRESHOLD")),
        }


@register
class ContractConflict(ContractRule):
    code = "contract_conflict"
    name = gettext_lazy("Contract to an official's enterprise")
    severity = Severity.HIGH
    explanation = gettext_lazy("The contractor is in the conflict-of-interest register of the park.")
    fact_fields = ("number", "contractor_name", "amount", "signed_on", "official_name", "official_position", "relation")

    @classmethod
    def offenders(cls, today):
        return (
            cls.contracts()
            .filter(Exists(_ties("contractor", "project__park")))
            .annotate(**tie_annotations("contractor", "project__park"))
        )

    @classmethod
    def describe(cls, facts):
        return _("%(subject)s. %(tie)s") % {"subject": cls.subject(facts), "tie": describe_tie(facts)}
