from .alerts import Alert
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
