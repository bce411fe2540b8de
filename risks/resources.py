"""The ledgers' export columns come from their declarations in risks.columns; alerts keep their own list."""

from core.resources import ExportResource, LedgerResource, column

from . import columns
from .models import Alert, ChangeOrder, Contract, Decision, OfficialTie, Project, RiskPoint, Subsidy, SubsidyPayment


def _resource(name: str, declaration, model) -> type:
    meta = type("Meta", (), {"model": model})
    return type(name, (LedgerResource,), {"columns": declaration, "Meta": meta, "__module__": __name__})


RiskPointResource = _resource("RiskPointResource", columns.RISK_POINTS, RiskPoint)
DecisionResource = _resource("DecisionResource", columns.DECISIONS, Decision)
SubsidyResource = _resource("SubsidyResource", columns.SUBSIDIES, Subsidy)
PaymentResource = _resource("PaymentResource", columns.PAYMENTS, SubsidyPayment)
ProjectResource = _resource("ProjectResource", columns.PROJECTS, Project)
ContractResource = _resource("ContractResource", columns.CONTRACTS, Contract)
ChangeOrderResource = _resource("ChangeOrderResource", columns.CHANGE_ORDERS, ChangeOrder)
OfficialTieResource = _resource("OfficialTieResource", columns.CONFLICTS, OfficialTie)


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
