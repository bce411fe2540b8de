"""The alert rules (预警规则). Adding a rule: write one class in a module here with @register, import
the module below, add its tests. The engine, pages, tasks and settings need nothing else."""

from . import contracts, decisions, riskpoints, subsidies  # noqa: F401 - register the rules
from .base import REGISTRY, Rule, register

__all__ = ["REGISTRY", "Rule", "register"]
