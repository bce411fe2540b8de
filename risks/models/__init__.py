from .alerts import Alert, AlertTally
from .ledgers import Decision, Official, OfficialTie, RiskPoint, Subsidy, SubsidyPayment
from .projects import Bid, ChangeOrder, Contract, Project

__all__ = [
    "Alert",
    "AlertTally",
    "Bid",
    "ChangeOrder",
    "Contract",
    "Decision",
    "Official",
    "OfficialTie",
    "Project",
    "RiskPoint",
    "Subsidy",
    "SubsidyPayment",
]
