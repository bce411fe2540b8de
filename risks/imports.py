"""Imports of the risk ledgers (templates and headers as the users know them)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.import_cells import CellError, Column, choice_parser, parse_amount, parse_bool, parse_date, parse_int
from core.imports import register
from parks.imports import PARK_CODE_COLUMN, LedgerImporter, parse_credit_code
from parks.models import Enterprise

from .choices import DecisionKind, MeetingKind, ProcurementMethod, Relation, RiskDomain
from .engine import deferred_evaluation, request_evaluation
from .models import ChangeOrder, Contract, Decision, Official, OfficialTie, Project, RiskPoint, Subsidy, SubsidyPayment
from .models.ledgers import validate_period
from .scoring import risk_level
from .validation import payment_check


def parse_period(value) -> str:
    text = str(value).strip().upper().replace("Ｑ", "Q")
    if text.endswith(".0"):  # Excel turned 2026 into 2026.0
        text = text[:-2]
    try:
        validate_period(text)
    except ValidationError as error:
        raise CellError(error.messages[0]) from error
    return text


def parse_level(value) -> int:
    number = parse_int(value)
    if not 1 <= number <= 5:
        raise CellError(_("write a number from 1 to 5"))
    return number


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
    name, title, model = "riskpoints", "廉政风险点", RiskPoint
    columns = [
        PARK_CODE_COLUMN,
        Column("风险领域", "domain", choice_parser(RiskDomain), example="工程项目"),
        Column("风险描述", "description", example="招投标环节存在围标串标风险"),
        Column("可能性", "likelihood", parse_level, example=3),
        Column("影响程度", "impact", parse_level, example=4),
        Column("防控措施", "measures", blank=True, example="严格执行招投标程序"),
        Column("责任部门", "department", blank=True, example="规划建设局"),
        Column("责任人", "owner", blank=True, example="王五"),
        Column("复核日期", "review_on", parse_date, example="2026-12-31"),  # a risk point must have a review date
    ]
    fields = {
        c: c for c in ("domain", "description", "likelihood", "impact", "measures", "department", "owner", "review_on")
    }
    key_fields = ("domain", "description")

    def before_save(self, instance):
        instance.level = risk_level(instance.likelihood, instance.impact)

    def related_fields(self):
        return ["level"]


@register
class DecisionImporter(RiskLedgerImporter):
    name, title, model = "decisions", "三重一大事项", Decision
    columns = [
        PARK_CODE_COLUMN,
        Column("事项类型", "kind", choice_parser(DecisionKind), example="大额资金使用"),
        Column("事项名称", "subject", example="园区道路改造资金使用"),
        Column("金额", "amount", parse_amount, blank=True, example="800,000.00"),
        Column("会议类型", "meeting_kind", choice_parser(MeetingKind), blank=True, example="党工委会议"),
        Column("会议日期", "meeting_on", parse_date, blank=True, example="2026-03-02"),
        Column("应到人数", "members_entitled", parse_int, blank=True, example=9),
        Column("实到人数", "members_present", parse_int, blank=True, example=7),
        Column("有会议纪要", "has_minutes", parse_bool, blank=True, example="是"),
        Column("执行日期", "executed_on", parse_date, blank=True, example="2026-03-10"),
    ]
    fields = {
        c: c
        for c in (
            "kind",
            "subject",
            "amount",
            "meeting_kind",
            "meeting_on",
            "members_entitled",
            "members_present",
            "has_minutes",
            "executed_on",
        )
    }
    key_fields = ("kind", "subject")


@register
class SubsidyImporter(EnterpriseLookup, RiskLedgerImporter):
    name, title, model = "subsidies", "奖补资金", Subsidy
    columns = [
        PARK_CODE_COLUMN,
        Column("统一社会信用代码", "credit_code", parse_credit_code, example="91410400MA44XK1R2B"),
        Column("政策名称", "policy", example="研发投入后补助"),
        Column("所属期间", "period", parse_period, example="2026"),
        Column("批准金额", "approved_amount", parse_amount, example="100,000.00"),
        Column("批准日期", "approved_on", parse_date, example="2026-03-01"),
    ]
    fields = {
        "policy": "policy",
        "period": "period",
        "approved_amount": "approved_amount",
        "approved_on": "approved_on",
    }
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
        return super().existing_queryset(rows).select_related("enterprise")

    def prepare(self, rows):
        super().prepare(rows)
        self.load_enterprises(rows, "credit_code")

    def related(self, values):
        return {"enterprise": self.enterprise(values["credit_code"], self.park(values))}


@register
class PaymentImporter(EnterpriseLookup, RiskLedgerImporter):
    name, title, model = "payments", "拨付记录", SubsidyPayment
    columns = [
        Column("统一社会信用代码", "credit_code", parse_credit_code, example="91410400MA44XK1R2B"),
        Column("政策名称", "policy", example="研发投入后补助"),
        Column("所属期间", "period", parse_period, example="2026"),
        Column("凭证号", "voucher_no", example="PZ-2026-0001"),
        Column("拨付日期", "paid_on", parse_date, example="2026-03-20"),
        Column("拨付金额", "amount", parse_amount, example="40,000.00"),
    ]
    fields = {"voucher_no": "voucher_no", "paid_on": "paid_on", "amount": "amount"}
    key_fields = ("voucher_no",)

    def key(self, values):
        return (values.get("voucher_no"),)

    def existing_queryset(self, rows):
        return []

    def prepare(self, rows):
        super().prepare(rows)
        self.load_enterprises(rows, "credit_code")
        subsidies = Subsidy.objects.filter(
            park__in=self.parks.values(), enterprise__in=self.enterprises.values()
        ).order_by("approved_on", "pk")
        self.subsidies = {}  # (enterprise, policy, period) -> its approvals, earliest first
        for subsidy in subsidies:
            self.subsidies.setdefault((subsidy.enterprise_id, subsidy.policy, subsidy.period), []).append(subsidy)
        # What each approval has been paid so far, by the one definition (SubsidyQuerySet.with_outstanding).
        self.paid = dict(
            Subsidy.objects.filter(pk__in=[s.pk for approvals in self.subsidies.values() for s in approvals])
            .with_outstanding()
            .values_list("pk", "paid_total")
        )
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
    name, title, model = "contracts", "工程项目与合同", Contract
    columns = [
        PARK_CODE_COLUMN,
        Column("项目名称", "project", example="标准厂房建设项目"),
        Column("项目预算", "budget", parse_amount, blank=True, example="20,000,000"),
        Column("合同编号", "number", example="HT-2026-001"),
        Column("承建单位信用代码", "contractor", parse_credit_code, example="91410400MA44XK1R2B"),
        Column("采购方式", "procurement_method", choice_parser(ProcurementMethod), example="公开招标"),
        Column("合同金额", "amount", parse_amount, example="4,500,000"),
        Column("签订日期", "signed_on", parse_date, example="2026-04-01"),
        Column("签订廉政合同", "integrity_contract", parse_bool, example="是"),
    ]
    fields = {c: c for c in ("number", "procurement_method", "amount", "signed_on", "integrity_contract")}
    exclude_from_clean = ("project",)

    def key(self, values):
        return (values.get("number"),)

    def existing_queryset(self, rows):
        return []

    def prepare(self, rows):
        super().prepare(rows)
        self.load_enterprises(rows, "contractor")
        self.projects = {(p.park_id, p.name): p for p in Project.objects.filter(park__in=self.parks.values())}
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
class ChangeOrderImporter(RiskLedgerImporter):
    name, title, model = "changeorders", "合同变更", ChangeOrder
    columns = [
        Column("合同编号", "number", example="HT-2026-001"),
        Column("变更日期", "changed_on", parse_date, example="2026-05-01"),
        Column("变更金额", "amount", parse_amount, example="200,000"),
        Column("变更原因", "reason", example="设计变更增加消防设施"),
    ]
    fields = {"changed_on": "changed_on", "amount": "amount", "reason": "reason"}

    def key(self, values):
        return (values.get("number"), values.get("changed_on"), values.get("reason"))

    def prepare(self, rows):
        from parks.models import Park

        self.parks = {park.code: park for park in Park.objects.visible_to(self.actor)}
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
    name, title, model = "conflicts", "利益冲突登记", OfficialTie
    columns = [
        PARK_CODE_COLUMN,
        Column("干部姓名", "official", example="孙某"),
        Column("职务", "position", example="管委会副主任"),
        Column("关联企业信用代码", "credit_code", parse_credit_code, example="91410400MA44XK1R2B"),
        Column("关系", "relation", choice_parser(Relation), example="配偶"),
    ]
    exclude_from_clean = ("official",)

    def key(self, values):
        return (values.get("park"), values.get("official"), values.get("credit_code"), values.get("relation"))

    def prepare(self, rows):
        super().prepare(rows)
        self.load_enterprises(rows, "credit_code")
        self.officials = {
            (o.park_id, o.name, o.position): o for o in Official.objects.filter(park__in=self.parks.values())
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
