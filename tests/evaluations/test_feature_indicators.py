"""The indicators fed by issue 15's features: in the default framework, scored from each app's figures."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from evaluations import services
from evaluations.choices import EARNED_SOURCES, Source
from evaluations.models import Indicator, Score

framework_migration = importlib.import_module("evaluations.migrations.0005_feature_indicators")


def test_the_default_framework_feeds_every_source_and_stays_at_100_points(django_db_setup, db):
    indicators = Indicator.objects.filter(is_active=True)
    assert set(indicators.exclude(source="").values_list("source", flat=True)) == set(Source.values)
    assert sum(i.max_score for i in indicators) == 100


def test_an_edited_framework_gets_the_new_indicators_not_in_use_and_keeps_its_points(db):
    Indicator.objects.all().delete()
    own = Indicator.objects.create(dimension="cadres", name="作风建设", max_score=Decimal("20"))
    framework_migration.install(apps, None)
    added = Indicator.objects.exclude(pk=own.pk)
    assert set(added.values_list("source", flat=True)) == {row[3] for row in framework_migration.NEW}
    assert not added.filter(is_active=True).exists()
    own.refresh_from_db()
    assert own.max_score == Decimal("20") and own.is_active
    framework_migration.install(apps, None)  # twice: nothing added twice
    assert Indicator.objects.count() == 1 + len(framework_migration.NEW)


@pytest.mark.parametrize(("held", "expected"), [(0, "0.00"), (3, "3.00"), (7, "5.00")])
def test_education_activities_earn_a_point_each_up_to_the_maximum(world, held, expected):
    from conduct.models import IntegrityActivity

    Indicator.objects.all().delete()
    activities = Indicator.objects.create(
        dimension="cadres", name="清廉文化教育活动", max_score=Decimal("5"), source=Source.ACTIVITIES,
        penalty_per_item=Decimal("1"),
    )  # fmt: skip
    for n in range(held):
        IntegrityActivity.objects.create(
            park=world["park_a"], held_on=datetime.date(2026, 3, 1 + n), kind="warning", title=f"警示教育{n}",
            audience="cadres", attendance=20,
        )  # fmt: skip
    IntegrityActivity.objects.create(  # another year counts for another round
        park=world["park_a"], held_on=datetime.date(2025, 3, 1), kind="warning", title="去年", audience="cadres"
    )
    round_ = services.round_open(actor=world["admin"], year=2026)
    services.round_compute(actor=world["admin"], round_=round_, today=datetime.date(2026, 11, 27))
    score = Score.objects.get(round=round_, park=world["park_a"], indicator=activities)
    assert score.value == Decimal(expected)
    assert score.facts == {"count": held}
    assert Source.ACTIVITIES in EARNED_SOURCES


def test_observations_handled_on_time_are_a_rate(world):
    Indicator.objects.all().delete()
    handled = Indicator.objects.create(
        dimension="responsibility",
        name="廉情信息按时处置率",
        max_score=Decimal("3"),
        source=Source.OBSERVATIONS_HANDLED,
    )
    round_ = services.round_open(actor=world["admin"], year=2026)
    services.round_compute(actor=world["admin"], round_=round_, today=datetime.date(2026, 11, 27))
    score = Score.objects.get(round=round_, park=world["park_a"], indicator=handled)
    assert score.value == Decimal("3") and score.facts == {"no_data": True}  # nothing due: full score
