from core.resources import ExportResource, column

from .models import Alert, ChangeOrder, Contract, Decision, OfficialTie, Project, RiskPoint, Subsidy, SubsidyPayment


class RiskPointResource(ExportResource):
    park = column("park__code", "园区编码")
    domain = column("get_domain_display", "风险领域")
    description = column("description", "风险描述")
    likelihood = column("likelihood", "可能性")
    impact = column("impact", "影响程度")
    level = column("get_level_display", "风险等级")
    measures = column("measures", "防控措施")
    department = column("department", "责任部门")
    owner = column("owner", "责任人")
    review_on = column("review_on", "复核日期")
    status = column("get_status_display", "状态")

    class Meta:
        model = RiskPoint


class DecisionResource(ExportResource):
    park = column("park__code", "园区编码")
    kind = column("get_kind_display", "事项类型")
    subject = column("subject", "事项名称")
    amount = column("amount", "金额")
    meeting_kind = column("get_meeting_kind_display", "会议类型")
    meeting_on = column("meeting_on", "会议日期")
    entitled = column("members_entitled", "应到人数")
    present = column("members_present", "实到人数")
    minutes = column("has_minutes", "有会议纪要")
    executed_on = column("executed_on", "执行日期")
    outcome = column("get_outcome_display", "决策结果")

    class Meta:
        model = Decision


class SubsidyResource(ExportResource):
    park = column("park__code", "园区编码")
    credit_code = column("enterprise__credit_code", "统一社会信用代码")
    enterprise = column("enterprise__name", "企业名称")
    policy = column("policy", "政策名称")
    period = column("period", "所属期间")
    approved = column("approved_amount", "批准金额")
    approved_on = column("approved_on", "批准日期")
    paid = column("paid_total", "已拨付金额")
    outstanding = column("outstanding", "未拨付金额")

    class Meta:
        model = Subsidy


class PaymentResource(ExportResource):
    credit_code = column("subsidy__enterprise__credit_code", "统一社会信用代码")
    policy = column("subsidy__policy", "政策名称")
    period = column("subsidy__period", "所属期间")
    voucher = column("voucher_no", "凭证号")
    paid_on = column("paid_on", "拨付日期")
    amount = column("amount", "拨付金额")
    over = column("overpayment_confirmed", "确认超额拨付")

    class Meta:
        model = SubsidyPayment


class ProjectResource(ExportResource):
    park = column("park__code", "园区编码")
    name = column("name", "项目名称")
    budget = column("budget", "项目预算")
    started_on = column("started_on", "开工日期")

    class Meta:
        model = Project


class ContractResource(ExportResource):
    park = column("project__park__code", "园区编码")
    project = column("project__name", "项目名称")
    number = column("number", "合同编号")
    contractor_code = column("contractor__credit_code", "承建单位信用代码")
    contractor = column("contractor__name", "承建单位")
    method = column("get_procurement_method_display", "采购方式")
    amount = column("amount", "合同金额")
    signed_on = column("signed_on", "签订日期")
    integrity = column("integrity_contract", "签订廉政合同")
    audit = column("get_audit_status_display", "审计")

    class Meta:
        model = Contract


class ChangeOrderResource(ExportResource):
    contract = column("contract__number", "合同编号")
    changed_on = column("changed_on", "变更日期")
    amount = column("amount", "变更金额")
    reason = column("reason", "变更原因")

    class Meta:
        model = ChangeOrder


class OfficialTieResource(ExportResource):
    park = column("official__park__code", "园区编码")
    name = column("official__name", "干部姓名")
    position = column("official__position", "职务")
    credit_code = column("enterprise__credit_code", "关联企业信用代码")
    enterprise = column("enterprise__name", "关联企业")
    relation = column("get_relation_display", "关系")

    class Meta:
        model = OfficialTie


class AlertResource(ExportResource):
    park = column("park__name", "园区")
    rule = column("rule_name", "预警规则")
    severity = column("get_severity_display", "严重程度")
    explanation = column("explanation", "触发情况")
    first_seen = column("first_seen", "首次发现")
    last_seen = column("last_seen", "最近发现")
    status = column("get_status_display", "处理")
    cleared_at = column("cleared_at", "情形消除时间")
    reason = column("reason", "理由")

    class Meta:
        model = Alert
