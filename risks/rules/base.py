"""What an alert rule is. A rule is one small class: a code, a Chinese name, a severity, a one-line
explanation, the model it watches and one set-based query for the rows that break it now."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import DecimalField, QuerySet
from django.utils.functional import Promise

REGISTRY: dict[str, type[Rule]] = {}
#: The type of money sums computed in subqueries.
MONEY = DecimalField(max_digits=18, decimal_places=2)


def register(rule: type[Rule]) -> type[Rule]:
    if rule.code in REGISTRY:
        raise ValueError(f"two rules with the code {rule.code}")
    REGISTRY[rule.code] = rule
    return rule


def threshold(name: str) -> Any:
    return settings.RISK_RULES[name]


def yuan(value: Any) -> str:
    """1234567.5 → "1,234,567.50 元"."""
    return f"{Decimal(str(value)):,.2f} 元"


class Link(tuple):
    """(label, address) of a row an alert links to, which still unpacks as a pair. ``row`` — (model, pk) —
    names the row behind the address, so that a viewer who may not open it reads the label without a link
    (``Alert.links_for``); ``permission`` names a user property the page needs besides (the connection view)."""

    row: tuple[type, Any] | None
    permission: str

    def __new__(cls, label: Any, url: str, *, row: tuple[type, Any] | None = None, permission: str = ""):
        link = super().__new__(cls, (label, url))
        link.row, link.permission = row, permission
        return link


class Rule:
    code: ClassVar[str]
    name: ClassVar[str | Promise]
    severity: ClassVar[str]
    explanation: ClassVar[str | Promise]
    model: ClassVar[type]
    #: False where park officers may not see every row the rule watches: they then never see its alerts.
    officers_see: ClassVar[bool] = True
    #: The annotations / fields of ``offenders()`` rows that are kept as the alert's facts.
    fact_fields: ClassVar[tuple[str, ...]] = ()
    #: Those of ``fact_fields`` that ``offenders()`` does not read: ``add_facts`` fills them in for all its rows
    #: at once (one grouped query, where a correlated subquery would run once per offending row).
    added_facts: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def offenders(cls, today: datetime.date) -> QuerySet:
        """Every row of ``model`` that breaks the rule on ``today`` — one query, no Python loop."""
        raise NotImplementedError

    @classmethod
    def add_facts(cls, rows: dict[Any, dict]) -> None:
        """Set ``added_facts`` on ``rows`` (each offender's pk → its row: pk, alert_park_id, the other facts)."""

    @classmethod
    def describe(cls, facts: dict) -> str:
        """One line in Chinese with the numbers and dates that triggered the alert."""
        raise NotImplementedError

    @classmethod
    def links(cls, facts: dict) -> list[tuple[str, str]]:
        """(label, address) of the rows on the other side of the alert, shown on its page beside the row
        the alert sits on (a rule that cross-checks two ledgers links both). A ``Link`` naming its row is
        shown as a link only to viewers who may open that row (``Alert.links_for``)."""
        return []

    @classmethod
    def park_path(cls) -> str:
        return cls.model._default_manager.get_queryset().park_path

    @classmethod
    def in_parks(cls, offenders: QuerySet, park_ids: list[int]) -> QuerySet:
        """``offenders`` narrowed to the rows to evaluate when only these parks changed."""
        return offenders.filter(**{f"{cls.park_path()}__in": park_ids})


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
