"""Imports of the risk ledgers. Their columns (the template, the expected headers) and sheet titles come from
the declarations in risks.columns; which columns are saved follows from them (``LedgerImporter.fields``)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.import_cells import CellError
from core.imports import register
from parks.imports import LedgerImporter
from parks.models import Enterprise

from . import columns
from .engine import deferred_evaluation, request_evaluation
from .models import (
    Bid,
    ChangeOrder,
    Contract,
    Decision,
    Official,
    OfficialTie,
    Project,
    RiskPoint,
    Subsidy,
    SubsidyPayment,
)
from .paid import sync_paid_totals
from .parsers import parse_level, parse_period  # noqa: F401 - where the importers have always found them
from .scoring import risk_level
from .validation import payment_check


class RiskLedgerImporter(LedgerImporter):
    """A risk ledger: kept by the park's officers (inspectors read it); the alert rules run once per park
    the import changed, after it commits."""

    permission = staticmethod(lambda user: user.can_edit_risk_ledgers)

    def saving(self):
        return deferred_evaluation()

    def after_save(self, park_ids):
        for park_id in park_ids:
            request_evaluation(park_id)


class EnterpriseLookup:
    """Enterprises named by credit code in the rows, fetched at once and checked against the scope."""

    def load_enterprises(self, rows, column):
        codes = {row.get(column) for row in rows if row.get(column)}
        self.enterprises = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}

    def enterprise(self, code, park=None):
        enterprise = self.enterprises.get(code)
        if enterprise is None:
            raise CellError(_("no enterprise with the credit code %(code)s is registered") % {"code": code})
        if park is not None and enterprise.park_id != park.pk:
            raise CellError(_("the enterprise %(code)s is not in park %(park)s") % {"code": code, "park": park.code})
        return enterprise


@register
class RiskPointImporter(RiskLedgerImporter):
    name, model = "riskpoints", RiskPoint
    declaration = columns.RISK_POINTS
    key_fields = ("domain", "description")

    def before_save(self, instance):
        instance.level = risk_level(instance.likelihood, instance.impact)

    def related_fields(self):
        return ["level"]


@register
class DecisionImporter(RiskLedgerImporter):
    name, model = "decisions", Decision
    declaration = columns.DECISIONS
    key_fields = ("kind", "subject")


@register
class SubsidyImporter(EnterpriseLookup, RiskLedgerImporter):
    name, model = "subsidies", Subsidy
    declaration = columns.SUBSIDIES
    # An approval is the enterprise's claim under a policy and period *on its approval date*: the same claim
    # approved again on another day is a second row (the duplicate-claim rule looks for exactly that), while
    # a corrected amount updates the approval it corrects.
    key_fields = ("enterprise", "policy", "period", "approved_on")

    def key(self, values):
        return (
            values.get(self.park_column),
            values.get("credit_code"),
            values.get("policy"),
            values.get("period"),
            values.get("approved_on"),
        )

    def existing_queryset(self, rows):
        codes = {row.get("credit_code") for row in rows}
        return super().existing_queryset(rows).filter(enterprise__credit_code__in=codes).select_related("enterprise")

    def prepare(self, rows):
        super().prepare(rows)
        self.load_enterprises(rows, "credit_code")

    def related(self, values):
        return {"enterprise": self.enterprise(values["credit_code"], self.park(values))}


@register
class PaymentImporter(EnterpriseLookup, RiskLedgerImporter):
    name, model = "payments", SubsidyPayment
    declaration = columns.PAYMENTS
    key_fields = ("voucher_no",)

    def key(self, values):
        return (values.get("voucher_no"),)

    def existing_queryset(self, rows):
        return []

    def start(self):
        super().start()
        self.paid = {}

    def prepare(self, rows):
        super().prepare(rows)
        self.load_enterprises(rows, "credit_code")
        subsidies = Subsidy.objects.filter(
            park__in=self.parks.values(), enterprise__in=self.enterprises.values()
        ).order_by("approved_on", "pk")
        self.subsidies = {}  # (enterprise, policy, period) -> its approvals, earliest first
        for subsidy in subsidies:
            self.subsidies.setdefault((subsidy.enterprise_id, subsidy.policy, subsidy.period), []).append(subsidy)
        # What each approval has been paid so far, by the one definition (SubsidyQuerySet.with_outstanding),
        # fetched once per import (``start``): the file's earlier chunks add their payments here, saved or not.
        unknown = [s.pk for approvals in self.subsidies.values() for s in approvals if s.pk not in self.paid]
        self.paid.update(Subsidy.objects.filter(pk__in=unknown).with_outstanding().values_list("pk", "paid_total"))
        self.existing = {
            (p.park_id, p.voucher_no): p
            for p in SubsidyPayment.objects.filter(
                park__in=self.parks.values(), voucher_no__in=[r.get("voucher_no") for r in rows]
            )
        }

    def build(self, values, result):
        enterprise = self.enterprise(values["credit_code"])
        subsidy = self.subsidy_for(enterprise, values)
        if subsidy is None:
            raise CellError(
                _("no subsidy “%(policy)s” %(period)s of this enterprise in your parks")
                % {"policy": values["policy"], "period": values["period"]}
            )
        existing = self.existing.get((subsidy.park_id, values["voucher_no"]))
        data = self.field_values(values)
        paid = self.paid.get(subsidy.pk, Decimal("0"))
        if existing is not None:
            if existing.subsidy_id != subsidy.pk:
                raise CellError(
                    _("voucher %(voucher)s is already recorded for another subsidy") % {"voucher": values["voucher_no"]}
                )
            paid -= existing.amount  # an update replaces the payment's old amount
            changed = [name for name, value in data.items() if getattr(existing, name) != value]
            for name in changed:
                setattr(existing, name, data[name])
            result.status, instance = ("updated" if changed else "unchanged"), existing
        else:
            instance = SubsidyPayment(subsidy=subsidy, park_id=subsidy.park_id, **data)
            result.status = "new"
        if result.status != "unchanged":  # the same file again stays valid, a confirmed over-payment too
            # The rules of the payment form, the API and the admin (a file has no over-payment tick).
            payment_check(
                subsidy=subsidy,
                paid_on=instance.paid_on,
                amount=instance.amount,
                paid_by_others=paid,
                offers_confirmation=False,
            )
        self.paid[subsidy.pk] = paid + instance.amount
        result.instance, result.label = instance, f"{subsidy} {instance.voucher_no}"

    def save(self, results):
        super().save(results)  # bulk writes, no signals: the payments' subsidies are brought in step here
        sync_paid_totals({row.instance.subsidy_id for row in results if row.status in ("new", "updated")})

    def subsidy_for(self, enterprise, values):
        """The approval a payment row pays. The row names the claim (enterprise, policy, period); when the
        claim was approved more than once, a voucher already recorded stays with its approval, and a new
        payment goes to the earliest approval, made by its date, with room left for it (else the latest one
        made by then, whose checks then say what is wrong)."""
        approvals = self.subsidies.get((enterprise.pk, values["policy"], values["period"]), [])
        for subsidy in approvals:
            recorded = self.existing.get((subsidy.park_id, values["voucher_no"]))
            if recorded is not None and recorded.subsidy_id == subsidy.pk:
                return subsidy
        made = [s for s in approvals if s.approved_on <= values["paid_on"]] or approvals[:1]
        for subsidy in made:
            if subsidy.approved_amount - self.paid.get(subsidy.pk, Decimal("0")) >= values["amount"]:
                return subsidy
        return made[-1] if made else None


@register
class ContractImporter(EnterpriseLookup, RiskLedgerImporter):
    name, model = "contracts", Contract
    declaration = columns.CONTRACTS
    exclude_from_clean = ("project",)

    def key(self, values):
        return (values.get("number"),)

    def existing_queryset(self, rows):
        return []

    def prepare(self, rows):
        super().prepare(rows)
        self.load_enterprises(rows, "contractor")
        names = {row.get("project") for row in rows}
        self.projects = {
            (p.park_id, p.name): p for p in Project.objects.filter(park__in=self.parks.values(), name__in=names)
        }
        numbers = [row.get("number") for row in rows]
        self.contracts = {c.number: c for c in Contract.objects.filter(number__in=numbers).select_related("project")}
        self.new_projects = {}

    def build(self, values, result):
        park = self.park(values)
        contractor = self.enterprise(values["contractor"])
        project = self.projects.get((park.pk, values["project"])) or self.new_projects.get((park.pk, values["project"]))
        if project is None:
            project = Project(park=park, name=values["project"], budget=values.get("budget"))
            self.new_projects[(park.pk, values["project"])] = project
        data = self.field_values(values)
        existing = self.contracts.get(values["number"])
        if existing is not None:
            if existing.project.park_id not in {p.pk for p in self.parks.values()}:
                raise CellError(
                    _("contract %(number)s belongs to a park you do not manage") % {"number": values["number"]}
                )
            data.update(contractor_id=contractor.pk)
            changed = [name for name, value in data.items() if getattr(existing, name) != value]
            if existing.project_id != project.pk:
                raise CellError(
                    _("contract %(number)s is already recorded under project “%(project)s”")
                    % {"number": values["number"], "project": existing.project.name}
                )
            for name in changed:
                setattr(existing, name, data[name])
            result.status, instance = ("updated" if changed else "unchanged"), existing
        else:
            instance = Contract(project=project, contractor=contractor, **data)
            result.status = "new"
        result.instance, result.label = instance, f"{values['project']} · {instance.number}"

    def save(self, results):
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        from risks.engine import request_evaluation

        projects = list(self.new_projects.values())
        if projects:
            bulk_create_with_history(projects, Project, batch_size=1000, default_user=self.actor)
        new = [row.instance for row in results if row.status == "new"]
        for contract in new:
            contract.project_id = contract.project.pk
        updated = [row.instance for row in results if row.status == "updated"]
        if new:
            bulk_create_with_history(new, Contract, batch_size=1000, default_user=self.actor)
        if updated:
            bulk_update_with_history(
                updated, Contract, [*self.fields.values(), "contractor"], batch_size=1000, default_user=self.actor
            )
        for park_id in {c.project.park_id for c in new + updated}:
            request_evaluation(park_id)


@register
class BidImporter(EnterpriseLookup, RiskLedgerImporter):
    """The bidders of a project, matched on (project, enterprise): importing a file again changes nothing,
    a corrected amount or outcome updates the bid. The project must be recorded in the park already."""

    name, model = "bids", Bid
    declaration = columns.BIDS

    def key(self, values):
        return (values.get("park"), values.get("project"), values.get("enterprise"))

    def existing_queryset(self, rows):
        return []

    def prepare(self, rows):
        super().prepare(rows)
        self.load_enterprises(rows, "enterprise")
        names = {row.get("project") for row in rows}
        self.projects = {
            (p.park_id, p.name): p for p in Project.objects.filter(park__in=self.parks.values(), name__in=names)
        }
        self.bids = {
            (b.project_id, b.enterprise_id): b
            for b in Bid.objects.filter(project__in=self.projects.values(), enterprise__in=self.enterprises.values())
        }

    def build(self, values, result):
        park = self.park(values)
        enterprise = self.enterprise(values["enterprise"])
        project = self.projects.get((park.pk, values["project"]))
        if project is None:
            raise CellError(
                _("no project “%(project)s” in park %(park)s") % {"project": values["project"], "park": park.code}
            )
        data = self.field_values(values)
        existing = self.bids.get((project.pk, enterprise.pk))
        if existing is not None:
            changed = [name for name, value in data.items() if getattr(existing, name) != value]
            for name in changed:
                setattr(existing, name, data[name])
            result.status, instance = ("updated" if changed else "unchanged"), existing
        else:
            instance = Bid(project=project, enterprise=enterprise, **data)
            result.status = "new"
        result.instance, result.label = instance, f"{project.name} · {enterprise.name}"

    def save(self, results):
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        new = [row.instance for row in results if row.status == "new"]
        updated = [row.instance for row in results if row.status == "updated"]
        if new:
            bulk_create_with_history(new, Bid, batch_size=1000, default_user=self.actor)
        if updated:
            bulk_update_with_history(updated, Bid, list(self.fields.values()), batch_size=1000, default_user=self.actor)
        self.after_save({bid.project.park_id for bid in new + updated})


@register
class ChangeOrderImporter(RiskLedgerImporter):
    name, model = "changeorders", ChangeOrder
    declaration = columns.CHANGE_ORDERS

    def key(self, values):
        return (values.get("number"), values.get("changed_on"), values.get("reason"))

    def prepare(self, rows):
        self.contracts = {
            c.number: c
            for c in Contract.objects.visible_to(self.actor)
            .filter(number__in=[r.get("number") for r in rows])
            .select_related("project")
        }
        self.existing = {
            (o.contract_id, o.changed_on, o.reason): o
            for o in ChangeOrder.objects.filter(contract__in=self.contracts.values())
        }

    def build(self, values, result):
        contract = self.contracts.get(values["number"])
        if contract is None:
            raise CellError(_("no contract %(number)s in your parks") % {"number": values["number"]})
        existing = self.existing.get((contract.pk, values["changed_on"], values["reason"]))
        if existing is not None:
            changed = existing.amount != values["amount"]
            existing.amount = values["amount"]
            result.status, instance = ("updated" if changed else "unchanged"), existing
        else:
            instance = ChangeOrder(contract=contract, **self.field_values(values))
            result.status = "new"
        instance.clean()
        result.instance, result.label = instance, f"{contract.number} {values['changed_on']}"

    def save(self, results):
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        from risks.engine import request_evaluation

        new = [row.instance for row in results if row.status == "new"]
        updated = [row.instance for row in results if row.status == "updated"]
        if new:
            bulk_create_with_history(new, ChangeOrder, batch_size=1000, default_user=self.actor)
        if updated:
            bulk_update_with_history(updated, ChangeOrder, ["amount"], batch_size=1000, default_user=self.actor)
        for park_id in {o.contract.project.park_id for o in new + updated}:
            request_evaluation(park_id)


@register
class ConflictImporter(EnterpriseLookup, RiskLedgerImporter):
    name, model = "conflicts", OfficialTie
    declaration = columns.CONFLICTS
    exclude_from_clean = ("official",)

    def key(self, values):
        return (values.get("park"), values.get("official"), values.get("credit_code"), values.get("relation"))

    def prepare(self, rows):
        super().prepare(rows)
        self.load_enterprises(rows, "credit_code")
        names = {row.get("official") for row in rows}
        self.officials = {
            (o.park_id, o.name, o.position): o
            for o in Official.objects.filter(park__in=self.parks.values(), name__in=names)
        }
        self.ties = {
            (t.official_id, t.enterprise_id, t.relation)
            for t in OfficialTie.objects.filter(official__in=self.officials.values())
        }
        self.new_officials = {}

    def existing_queryset(self, rows):
        return []

    def build(self, values, result):
        park = self.park(values)
        enterprise = self.enterprise(values["credit_code"])
        key = (park.pk, values["official"], values["position"])
        official = self.officials.get(key) or self.new_officials.get(key)
        if official is None:
            official = Official(park=park, name=values["official"], position=values["position"])
            self.new_officials[key] = official
        if official.pk and (official.pk, enterprise.pk, values["relation"]) in self.ties:
            result.status = "unchanged"
            result.instance = None
        else:
            result.status = "new"
            result.instance = OfficialTie(official=official, enterprise=enterprise, relation=values["relation"])
        result.label = f"{values['official']} — {enterprise.name}"

    def save(self, results):
        from simple_history.utils import bulk_create_with_history

        from risks.engine import request_evaluation

        officials = list(self.new_officials.values())
        if officials:
            bulk_create_with_history(officials, Official, batch_size=1000, default_user=self.actor)
        ties = [row.instance for row in results if row.status == "new"]
        for tie in ties:
            tie.official_id = tie.official.pk
        if ties:
            bulk_create_with_history(ties, OfficialTie, batch_size=1000, default_user=self.actor)
        for park_id in {tie.official.park_id for tie in ties}:
            request_evaluation(park_id)
