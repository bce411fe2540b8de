"""The alert tally (issue 13): the alerts needing attention per park, rule and severity, kept in step by the
database whatever path wrote the alert (the engine raising and clearing, a dismissal, a reopening, a finding
made from it, a bulk ``update()``, a delete), compacted without changing a sum — and the dashboard's alert
figures read from it are what ``needing_attention()`` counts over the alerts, for every role."""

from collections import Counter

import pytest
from django.db.models import Sum

from desks.dashboard import overview
from inspections.services import finding_from_alert
from risks import services, tally
from risks.choices import AlertStatus
from risks.engine import evaluate_all
from risks.models import Alert, AlertTally
from risks.selectors import attention_by_park
from tests.factories import DecisionFactory, SubsidyFactory

pytestmark = pytest.mark.skipif(not tally.in_use(), reason="the tally is kept by a PostgreSQL trigger")


def tallied() -> dict:
    rows = AlertTally.objects.order_by().values_list("park", "rule", "severity").annotate(total=Sum("n"))
    return {row[:-1]: row[-1] for row in rows if row[-1]}


def counted() -> dict:
    return dict(Counter(Alert.objects.needing_attention().values_list("park", "rule", "severity")))


@pytest.mark.django_db
def test_the_tally_follows_every_alert_written(world):
    inspector = world["inspector"]
    decisions = [DecisionFactory(park=world["park_a"], has_minutes=False) for _ in range(3)]
    DecisionFactory(park=world["park_b"], has_minutes=False)
    evaluate_all()
    assert counted(), "the planted decisions raised alerts"
    assert tallied() == counted(), "raised"

    first, second, third = Alert.objects.filter(park=world["park_a"]).order_by("pk")[:3]
    services.alert_dismiss(alert=first, actor=inspector, reason="已核实，会议纪要另存档")
    assert tallied() == counted(), "dismissed"
    services.alert_reopen(alert=first, actor=inspector)
    assert tallied() == counted(), "reopened"
    finding_from_alert(actor=inspector, alert=second)
    assert Alert.objects.get(pk=second.pk).status == AlertStatus.CONVERTED
    assert tallied() == counted(), "turned into a finding"

    decisions[2].has_minutes = True
    decisions[2].save()
    evaluate_all()
    assert Alert.objects.get(pk=third.pk).cleared_at is not None, "the condition no longer holds"
    assert tallied() == counted(), "cleared by the rescan"
    evaluate_all()
    assert tallied() == counted(), "a second rescan (facts refreshed) changes nothing"

    Alert.objects.filter(park=world["park_b"]).update(severity="low")
    assert tallied() == counted(), "a bulk update of the severity"
    Alert.objects.filter(pk=first.pk).delete()
    assert tallied() == counted(), "deleted"


@pytest.mark.django_db
def test_compacting_keeps_every_sum_and_leaves_one_row_per_key(world):
    for _ in range(4):
        DecisionFactory(park=world["park_a"], has_minutes=False)
    SubsidyFactory(enterprise=world["ent_b"])
    evaluate_all()
    alert = Alert.objects.needing_attention().filter(park=world["park_a"]).first()
    services.alert_dismiss(alert=alert, actor=world["inspector"], reason="误报")
    before = tallied()
    rows_before = AlertTally.objects.count()

    left = tally.compact()

    assert tallied() == before == counted()
    assert left == AlertTally.objects.count() == len(before) < rows_before


@pytest.mark.django_db
def test_the_dashboard_counts_from_the_tally_what_each_role_sees(world, django_assert_max_num_queries):
    for _ in range(2):
        DecisionFactory(park=world["park_a"], has_minutes=False)
    DecisionFactory(park=world["park_b"], has_minutes=False)
    evaluate_all()
    hidden = Alert.objects.filter(park=world["park_a"]).first()
    hidden.rule = "task_overdue"  # a rule officers do not see (another officer's task)
    hidden.save()

    for role in ("admin", "inspector", "officer"):
        user = world[role]
        live = Counter(Alert.objects.visible_to(user).needing_attention().values_list("park", "severity"))
        by_park = attention_by_park(user)
        assert {(park, severity): n for park, row in by_park.items() for severity, n in row.items()} == live, role

    assert world["park_b"].pk not in attention_by_park(world["inspector"]), "another park's alerts are not counted"
    assert sum(attention_by_park(world["officer"])[world["park_a"].pk].values()) == (
        sum(attention_by_park(world["admin"])[world["park_a"].pk].values()) - 1
    ), "the officer's figure leaves out the rule officers do not see"

    with django_assert_max_num_queries(20):
        rows = {row["park"].pk: row for row in overview(user=world["admin"], year=2026)["rows"]}
    high = Counter(Alert.objects.needing_attention().filter(severity="high").values_list("park", flat=True))
    assert {pk: row["alerts_high"] for pk, row in rows.items()} == {pk: high.get(pk, 0) for pk in rows}
