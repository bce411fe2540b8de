"""The "contract splitting" rule computed in one pass (window functions over the contracts of a contractor
in a project): the same contracts and facts as one subquery per contract gave — window edges, contracts
signed the same day, contracts at the threshold, other contractors and projects — also when only one park
is evaluated, and a query without a subquery per contract."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from risks.engine import _facts
from risks.models import Contract
from risks.rules import REGISTRY
from risks.rules.base import MONEY
from tests.factories import ContractFactory, EnterpriseFactory, ProjectFactory

pytestmark = pytest.mark.django_db
RULE = REGISTRY["contract_splitting"]
LIMIT = Decimal(4_000_000)
DAY = datetime.date(2026, 3, 1)


def reference(park_ids=None):
    """The rule as it was written before: a subquery per contract for the count and the sum of its window."""
    window = datetime.timedelta(days=90)
    siblings = Contract.objects.filter(
        project=OuterRef("project"),
        contractor=OuterRef("contractor"),
        amount__lt=LIMIT,
        signed_on__lte=OuterRef("signed_on"),
        signed_on__gte=OuterRef("signed_on") - window,
    ).order_by()
    total = siblings.values("project").annotate(s=Sum("amount")).values("s")
    count = siblings.values("project").annotate(n=Count("pk")).values("n")
    rows = (
        RULE.contracts()
        .filter(amount__lt=LIMIT)
        .annotate(
            window_total=Coalesce(Subquery(total, output_field=MONEY), Decimal("0")),
            window_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
        )
        .filter(window_count__gte=2, window_total__gte=LIMIT)
    )
    if park_ids is not None:
        rows = rows.filter(project__park__in=park_ids)
    return {row["pk"]: _facts(RULE, row) for row in rows.values("pk", *RULE.fact_fields)}


def found(park_ids=None):
    rows = RULE.offenders(DAY)
    if park_ids is not None:
        rows = RULE.in_parks(rows, park_ids)
    return {row["pk"]: _facts(RULE, row) for row in rows.values("pk", *RULE.fact_fields)}


@pytest.fixture
def planted(settings):
    settings.RISK_RULES = {**settings.RISK_RULES, "TENDERING_THRESHOLD": 4_000_000, "SPLITTING_WINDOW_DAYS": 90}
    project, other_project = ProjectFactory(), ProjectFactory()
    firm, other_firm = EnterpriseFactory(), EnterpriseFactory()

    def sign(days_before, amount, contractor=firm, on=project):
        return ContractFactory(
            project=on,
            contractor=contractor,
            amount=Decimal(amount),
            signed_on=DAY - datetime.timedelta(days=days_before),
        )

    sign(400, "2500000")  # alone, far back
    sign(300, "2000000"), sign(210, "2000000")  # exactly 90 days apart: together 4,000,000
    sign(100, "1500000"), sign(100, "1500000"), sign(100, "1000000")  # three on one day
    sign(9, "3999999.99"), sign(0, "0.01")  # the second crosses (day 100 is 91 days before it)
    sign(5, "4000000"), sign(4, "9000000")  # at or over the threshold: tendered, never counted
    sign(3, "2500000", contractor=other_firm), sign(2, "2500000", on=other_project)  # other contractor, project
    sign(1, "1999999.99", contractor=other_firm, on=other_project)
    sign(1, "2000000.01", contractor=other_firm, on=other_project)  # the same day: both carry the alert
    return project, other_project


def test_the_same_contracts_and_facts_as_a_subquery_per_contract(planted):
    expected = reference()
    assert len(expected) >= 6
    assert found() == expected
    assert all(isinstance(facts["window_count"], int) for facts in expected.values())


def test_evaluating_one_park_gives_the_same_contracts_and_facts(planted):
    project, other_project = planted
    assert found([project.park_id]) == reference([project.park_id]) != {}
    assert found([other_project.park_id]) == reference([other_project.park_id]) != {}


def test_the_query_runs_no_subquery_per_contract(planted):
    sql, params = RULE.offenders(DAY).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    text = plan if isinstance(plan, str) else json.dumps(plan)
    assert "SubPlan" not in text
