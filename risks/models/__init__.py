from .alerts import Alert
from .ledgers import (
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

__all__ = [
    "Alert",
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
