"""The score-drop rule: a question's average in a park's latest reported period 1 point or more below
the previous one raises an alert on the park; 0.9 does not; it clears when no longer true."""

import datetime

from risks.engine import evaluate
from risks.models import Alert
from risks.rules import REGISTRY

from .conftest import make_report

SEPT, OCT, NOV = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)


def _run(world):
    from monitoring.rules import MonitoringScoreDrop

    evaluate(MonitoringScoreDrop)
    return Alert.objects.filter(rule="monitoring_score_drop").live()


def test_the_rule_is_in_the_registry():
    assert "monitoring_score_drop" in REGISTRY


def test_a_drop_of_one_point_raises_an_alert_on_the_park(world, points):
    make_report(points["a"], SEPT, {"policy": 5})
    make_report(points["a2"], SEPT, {"policy": 4})  # 4.5
    make_report(points["a"], OCT, {"policy": 4})
    make_report(points["a2"], OCT, {"policy": 3})  # 3.5: exactly one point less
    make_report(points["b"], SEPT, 4)
    make_report(points["b"], OCT, 4)
    [alert] = _run(world)
    assert alert.park == world["park_a"] and alert.target == world["park_a"]
    assert alert.facts["question_code"] == "policy"
    assert "4.50" in alert.explanation and "3.50" in alert.explanation and "2026年10月" in alert.explanation


def test_a_drop_of_exactly_0_9_does_not_and_1_0_does(world, points):
    from tests.factories import EnterpriseFactory

    others = [EnterpriseFactory(park=world["park_a"], is_monitoring_point=True) for _ in range(8)]
    enterprises = [points["a"], points["a2"], *others]  # ten points
    for enterprise in enterprises:
        make_report(enterprise, SEPT, {"policy": 5})  # 5.0
    for index, enterprise in enumerate(enterprises):
        make_report(enterprise, OCT, {"policy": 4 if index < 9 else 5})  # 4.1: 0.9 less
    assert not _run(world).exists()
    # One more answer of the ten at 4 makes it 4.0: a drop of 1.0.
    last = enterprises[-1].monitoring_reports.get(period=OCT).answers.get(question__code="policy")
    last.score = 4
    last.save()
    assert _run(world).count() == 1


def test_the_alert_clears_when_the_next_period_recovers(world, points):
    make_report(points["a"], SEPT, {"efficiency": 5})
    make_report(points["a"], OCT, {"efficiency": 3})
    assert _run(world).count() == 1
    make_report(points["a"], NOV, {"efficiency": 4})  # the latest period now rose
    assert not _run(world).exists()
    assert Alert.objects.filter(rule="monitoring_score_drop", cleared_at__isnull=False).count() == 1


def test_filing_a_report_reruns_the_rules_of_its_park(world, points, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from monitoring import services
    from monitoring.periods import Period

    today = timezone.localdate()
    previous = Period.containing(today).previous()
    make_report(points["a"], previous.previous().start, 5)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_file(
            actor=world["enterprise_user"],
            enterprise=points["a"],
            period=previous,
            replies={
                code: services.Reply(2)
                for code in ("efficiency", "policy", "four_winds", "inspections", "difficulties")
            },
            now=timezone.make_aware(dt.datetime.combine(today, dt.time(9))),
        )
    assert Alert.objects.filter(rule="monitoring_score_drop", park=world["park_a"]).live().count() == 1
