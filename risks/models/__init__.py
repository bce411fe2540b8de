from .alerts import Alert, AlertTally
from .ledgers import (
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
