"""The "subsidy claimed twice" rule computed in one pass (window functions over the claim): the same facts
as one subquery per approval gave, also when only one park is evaluated, and a query whose cost the
planner does not inflate past the JIT thresholds."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from risks.engine import evaluate
from risks.models import Alert
from risks.rules import REGISTRY
from tests.factories import ParkFactory, SubsidyFactory, SubsidyPaymentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
RULE = REGISTRY["subsidy_duplicate"]


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def claim_of_three(**extra):
    """Three approvals of one claim (the second and third on the same day), paid 250,000 in three
    payments against a largest approval of 120,000; and an unrelated single approval."""
    first = SubsidyFactory(policy="稳岗补贴", period="2025", approved_on=days_ago(300), **extra)
    same = {"enterprise": first.enterprise, "policy": "稳岗补贴", "period": "2025"}
    second = SubsidyFactory(approved_on=days_ago(100), approved_amount=Decimal("120000"), **same)
    third = SubsidyFactory(approved_on=days_ago(100), **same)
    SubsidyPaymentFactory(subsidy=first, amount=Decimal("100000"))
    SubsidyPaymentFactory(subsidy=first, amount=Decimal("50000"))
    SubsidyPaymentFactory(subsidy=third, amount=Decimal("100000"))
    SubsidyPaymentFactory(subsidy=SubsidyFactory(enterprise=first.enterprise, policy="其他", period="2025"))
    return first, second, third


def facts(subsidy):
    return Alert.objects.filter(rule=RULE.code).live().for_object(subsidy).get().facts


def test_every_approval_of_the_claim_carries_its_count_rank_and_the_claims_payments():
    first, second, third = claim_of_three()
    assert evaluate(RULE).raised == 3
    for rank, subsidy in enumerate((first, second, third), start=1):
        assert facts(subsidy)["approval_rank"] == rank
        assert {k: facts(subsidy)[k] for k in ("approvals", "paid_records", "claim_paid")} == {
            "approvals": 3,
            "paid_records": 3,
            "claim_paid": "250000.00",
        }
    assert isinstance(facts(first)["paid_records"], int) and isinstance(facts(first)["approvals"], int)
    assert "250,000.00" in RULE.describe(facts(second))


def test_evaluating_one_park_counts_the_approvals_recorded_in_another_park():
    first, _second, third = claim_of_three()
    elsewhere = ParkFactory()
    third.park = elsewhere  # the enterprise moved: its last approval was recorded by the new park
    third.save()
    outcome = evaluate(RULE, park_ids=[first.park_id])
    assert outcome.raised == 3
    assert facts(first)["approvals"] == 3 and facts(third)["approval_rank"] == 3
    assert Alert.objects.get(object_id=third.pk, rule=RULE.code).park_id == elsewhere.pk
    assert evaluate(RULE, park_ids=[elsewhere.pk]).cleared == 0


def test_a_claim_paid_no_more_than_its_largest_approval_raises_nothing_and_clears_the_alert():
    first = claim_of_three()[0]
    evaluate(RULE)
    first.payments.all().delete()
    outcome = evaluate(RULE)
    assert (outcome.raised, outcome.cleared) == (0, 3)


def test_the_query_runs_no_subquery_per_subsidy():
    claim_of_three()
    sql, params = RULE.offenders(TODAY).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    text = plan if isinstance(plan, str) else json.dumps(plan)
    assert "SubPlan" not in text
