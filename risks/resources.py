"""The export columns of the ledgers and the alerts come from their declarations in risks.columns."""

from core.resources import LedgerResource

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


AlertResource = _resource("AlertResource", columns.ALERTS, Alert)
