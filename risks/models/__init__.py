from .alerts import Alert, AlertTally
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
