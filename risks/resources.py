"""The export columns of the ledgers and the alerts come from their declarations in risks.columns."""

from core.resources import resource_for

from . import columns
from .models import (
    Alert,
    Bid,
    ChangeOrder,
    Contract,
    Decision,
    OfficialTie,
    Project,
    RiskPoint,
    Subsidy,
    SubsidyPayment,
)

RiskPointResource = resource_for("RiskPointResource", columns.RISK_POINTS, RiskPoint)
DecisionResource = resource_for("DecisionResource", columns.DECISIONS, Decision)
SubsidyResource = resource_for("SubsidyResource", columns.SUBSIDIES, Subsidy)
PaymentResource = resource_for("PaymentResource", columns.PAYMENTS, SubsidyPayment)
ProjectResource = resource_for("ProjectResource", columns.PROJECTS, Project)
ContractResource = resource_for("ContractResource", columns.CONTRACTS, Contract)
BidResource = resource_for("BidResource", columns.BIDS, Bid)
ChangeOrderResource = resource_for("ChangeOrderResource", columns.CHANGE_ORDERS, ChangeOrder)
OfficialTieResource = resource_for("OfficialTieResource", columns.CONFLICTS, OfficialTie)


AlertResource = resource_for("AlertResource", columns.ALERTS, Alert)
