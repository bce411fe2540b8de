"""Per park and period: filed, not reported, response rate and average score per question — each
number the same as the list it links to; the evaluation's counts by the same definitions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.periods import Period
from monitoring.selectors import AVERAGE_SCORE, RESPONSE_RATE, evaluation_counts, missing_reporters, park_trend

from .conftest import make_report


@pytest.fixture
def reported(world, points):
    today = timezone.localdate()
    last = Period.containing(today).previous()
    before = last.previous()
    make_report(points["a"], before.start, {"efficiency": 5, "four_winds": 4})
    make_report(points["a2"], before.start, {"efficiency": 3, "four_winds": 4})
    make_report(points["a"], last.start, {"efficiency": 2, "four_winds": 4})
    make_report(points["b"], last.start, 1)
    return {"last": last, "before": before}


def test_the_trend_counts_filed_missing_rate_and_averages(world, reported):
    trend = {one.period: one for one in park_trend(world["park_a"], timezone.localdate())}
    before, last = trend[reported["before"]], trend[reported["last"]]
    assert (before.filed, before.missing, before.rate) == (2, 0, 100.0)
    assert (last.filed, last.missing, last.rate) == (1, 1, 50.0)
    assert before.averages["efficiency"] == 4.0 and last.averages["efficiency"] == 2.0
    assert last.averages["four_winds"] == 4.0


def test_the_page_numbers_equal_the_lists_they_link_to(client, world, reported):
    client.force_login(world["inspector"])
    page = client.get(reverse("monitoring:park", args=[world["park_a"].code]))
    assert page.status_code == 200
    assert "<svg" in page.content.decode() and "各题平均分" in page.content.decode()
    for one in page.context["trend"]:
        listed = client.get(
            reverse("monitoring:report-list"), {"park": world["park_a"].pk, "period": one.period.start.isoformat()}
        )
        assert listed.context["paginator"].count == one.filed
        missing = client.get(reverse("monitoring:park", args=[world["park_a"].code]), {"period": one.period.start})
        assert len(missing.context["missing"]) == one.missing
    # The park's list of who has not reported names them.
    html = client.get(reverse("monitoring:park", args=[world["park_a"].code]), {"period": reported["last"].start})
    assert world["ent_a"].name not in html.context["missing"].values_list("name", flat=True)
    assert list(missing_reporters(world["park_a"], reported["last"].start)) == [reported_point(world)]


def reported_point(world):
    from parks.models import Enterprise

    return Enterprise.objects.get(park=world["park_a"], is_four_winds_point=True)


def test_the_park_page_panel_and_the_index_say_the_same(client, world, reported):
    client.force_login(world["inspector"])
    park_page = client.get(world["park_a"].get_absolute_url())
    panel = park_page.context["monitoring_panel"]
    assert (panel.filed, panel.missing) == (1, 1)
    assert "营商环境监测点" in park_page.content.decode()
    index = client.get(reverse("monitoring:index"))
    [row] = index.context["rows"]
    assert (row.park, row.filed, row.missing) == (world["park_a"], 1, 1)


def test_evaluation_counts(world, reported):
    year = reported["last"].start.year
    today = reported["last"].due_on() + datetime.timedelta(days=1)
    rates = evaluation_counts(RESPONSE_RATE, year, today)
    # Park A: the periods of the year due by today, 2 points each: filed 3 (2 + 1) of them.
    due_periods = sum(1 for m in range(1, 13) if Period(datetime.date(year, m, 1)).due_on() <= today)
    assert rates[world["park_a"].pk] == (3 if reported["before"].start.year == year else 1, 2 * due_periods)
    assert rates[world["park_b"].pk][0] == 1
    scores = evaluation_counts(AVERAGE_SCORE, year, today)
    assert scores[world["park_b"].pk] == (5, 25)  # five scores of 1, of at most 5 each
    with pytest.raises(ValueError):
        evaluation_counts("nonsense", year, today)
