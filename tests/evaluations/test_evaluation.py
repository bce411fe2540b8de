import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluations import selectors, services
from evaluations.choices import Source
from evaluations.models import Indicator, NegativeItem, NegativeRecord, Round, Score


@pytest.fixture
def framework(db):
    """A small framework instead of the default one (which the migration installs)."""
    Indicator.objects.all().delete()
    NegativeItem.objects.all().delete()
    return {
        "rate": Indicator.objects.create(dimension="relations", name="按时答复率", max_score=Decimal("10"), source=Source.COMPLAINT_ON_TIME),
        "count": Indicator.objects.create(dimension="responsibility", name="奖补落地", max_score=Decimal("10"), source=Source.SUBSIDIES_NOT_LANDED, penalty_per_item=Decimal("4")),
        "scored": Indicator.objects.create(dimension="cadres", name="作风建设", max_score=Decimal("20")),
        "negative": NegativeItem.objects.create(dimension="cadres", name="通报作风问题", deduction=Decimal("5")),
    }  # fmt: skip


def test_the_default_framework_is_installed_by_migration(django_db_setup, db):
    from evaluations.choices import Dimension

    indicators = Indicator.objects.filter(is_active=True)
    assert sum(i.max_score for i in indicators) == 100
    assert {i.dimension for i in indicators} == set(Dimension.values)
    assert indicators.filter(source="").exists() and indicators.exclude(source="").exists()
    assert NegativeItem.objects.exists()


def test_rate_and_count_arithmetic(framework):
    assert services.rate_score(framework["rate"], 3, 4) == (Decimal("7.50"), {"numerator": 3, "denominator": 4})
    assert services.rate_score(framework["rate"], 0, 0)[0] == Decimal("10")  # no data: full score
    assert services.count_score(framework["count"], 2)[0] == Decimal("2.00")
    assert services.count_score(framework["count"], 5)[0] == Decimal("0.00")  # never below zero


def _complaints(world, on_time, late):
    import zoneinfo

    from complaints import services as complaint_services

    sh = zoneinfo.ZoneInfo("Asia/Shanghai")
    for n, when in enumerate(
        [datetime.datetime(2026, 3, 3, 10, tzinfo=sh)] * on_time
        + [datetime.datetime(2026, 3, 30, 10, tzinfo=sh)] * late
    ):
        c = complaint_services.complaint_submit(
            park=world["park_a"],
            category="other",
            subject="x",
            description=str(n),
            now=datetime.datetime(2026, 3, 2, 9, tzinfo=sh),
        ).complaint
        complaint_services.complaint_accept(
            complaint=c, actor=world["inspector"], now=datetime.datetime(2026, 3, 2, 15, tzinfo=sh)
        )
        complaint_services.complaint_reply(complaint=c, actor=world["inspector"], text="答复", now=when)


def test_a_round_computes_scores_ranks_parks_and_deducts_the_negative_list(world, framework):
    from risks.engine import evaluate_all
    from tests.factories import SubsidyFactory

    _complaints(world, on_time=3, late=1)
    SubsidyFactory(park=world["park_a"], enterprise=world["ent_a"], approved_on=datetime.date(2026, 1, 5))
    evaluate_all()
    round_ = services.round_open(actor=world["admin"], year=2026)
    assert Score.objects.filter(round=round_).count() == 2 * 3
    scores = {(s.park_id, s.indicator_id): s for s in Score.objects.filter(round=round_)}
    assert scores[(world["park_a"].pk, framework["rate"].pk)].value == Decimal("7.50")
    assert scores[(world["park_a"].pk, framework["count"].pk)].value == Decimal("6.00")  # one subsidy not landed
    assert scores[(world["park_b"].pk, framework["rate"].pk)].value == Decimal("10")  # no complaints: full score
    services.score_enter(
        actor=world["inspector"],
        score=scores[(world["park_a"].pk, framework["scored"].pk)],
        value=Decimal("18"),
        justification="教育扎实",
    )
    services.score_enter(
        actor=world["admin"],
        score=scores[(world["park_b"].pk, framework["scored"].pk)],
        value=Decimal("20"),
        justification="好",
    )
    services.negative_record(
        actor=world["inspector"], round_=round_, park=world["park_a"], item=framework["negative"], note="被通报"
    )
    rows = {row["park"]: row for row in selectors.results(user=world["admin"], round_=round_)}
    assert rows[world["park_a"]]["total"] == Decimal("26.50")  # 7.5 + 6 + 18 − 5
    assert rows[world["park_b"]]["total"] == Decimal("40.00")
    assert (rows[world["park_b"]]["rank"], rows[world["park_a"]]["rank"]) == (1, 2)
    assert [row["park"] for row in selectors.results(user=world["inspector"], round_=round_)] == [world["park_a"]]


def test_scores_need_a_justification_and_stay_within_the_maximum(world, framework):
    round_ = services.round_open(actor=world["admin"], year=2026)
    score = Score.objects.get(round=round_, park=world["park_a"], indicator=framework["scored"])
    with pytest.raises(ValidationError):
        services.score_enter(actor=world["inspector"], score=score, value=Decimal("5"), justification="  ")
    with pytest.raises(ValidationError):
        services.score_enter(actor=world["inspector"], score=score, value=Decimal("20.01"), justification="太高")
    computed = Score.objects.get(round=round_, park=world["park_a"], indicator=framework["rate"])
    with pytest.raises(ValidationError):
        services.score_enter(actor=world["inspector"], score=computed, value=Decimal("1"), justification="手改")
    with pytest.raises(PermissionDenied):
        services.score_enter(actor=world["officer"], score=score, value=Decimal("5"), justification="自评")
    with pytest.raises(Score.DoesNotExist):  # another park's score is outside the inspector's scope
        services.score_enter(
            actor=world["inspector"],
            score=Score.objects.get(round=round_, park=world["park_b"], indicator=framework["scored"]),
            value=Decimal("1"),
            justification="x",
        )


def test_finalising_needs_every_score_and_then_nothing_changes(world, framework):
    round_ = services.round_open(actor=world["admin"], year=2026)
    with pytest.raises(ValidationError) as error:
        services.round_finalise(actor=world["admin"], round_=round_)
    assert "作风建设" in str(error.value)
    for score in Score.objects.filter(round=round_, indicator=framework["scored"]):
        services.score_enter(actor=world["admin"], score=score, value=Decimal("10"), justification="评分")
    with pytest.raises(PermissionDenied):
        services.round_finalise(actor=world["inspector"], round_=round_)
    services.round_finalise(actor=world["admin"], round_=round_)
    score = Score.objects.get(round=round_, park=world["park_a"], indicator=framework["scored"])
    with pytest.raises(ValidationError):
        services.score_enter(actor=world["admin"], score=score, value=Decimal("1"), justification="改分")
    with pytest.raises(ValidationError):
        services.round_compute(actor=world["admin"], round_=round_)
    with pytest.raises(ValidationError):
        services.negative_record(
            actor=world["admin"], round_=round_, park=world["park_a"], item=framework["negative"], note="x"
        )
    assert Score.objects.get(pk=score.pk).value == Decimal("10")
    scored = score.history.first()  # who scored what stays in the history
    assert (scored.value, scored.history_user) == (Decimal("10"), world["admin"])


def test_pages_ranking_sheet_and_printable_report(client, world, framework):
    round_ = services.round_open(actor=world["admin"], year=2026)
    client.force_login(world["inspector"])
    ranking = client.get(reverse("evaluations:round", args=[2026]))
    assert ranking.status_code == 200 and world["park_a"].name in ranking.content.decode()
    sheet = reverse("evaluations:park", args=[2026, world["park_a"].code])
    score = Score.objects.get(round=round_, park=world["park_a"], indicator=framework["scored"])
    response = client.post(sheet, {"score": score.pk, "value": "15", "justification": ""})
    assert response.status_code == 200 and "必填" in response.content.decode()
    client.post(sheet, {"score": score.pk, "value": "15", "justification": "扎实"})
    assert Score.objects.get(pk=score.pk).value == Decimal("15")
    client.post(sheet, {"item": framework["negative"].pk, "note": "被通报"})
    assert NegativeRecord.objects.filter(park=world["park_a"]).exists()
    report = client.get(reverse("evaluations:report", args=[2026, world["park_a"].code])).content.decode()
    assert "作风建设" in report and "被通报" in report and "data-print" in report
    assert client.get(reverse("evaluations:park", args=[2026, world["park_b"].code])).status_code == 404
    client.force_login(world["officer"])
    assert client.get(reverse("evaluations:round", args=[2026])).status_code == 403
    assert Round.objects.count() == 1


@pytest.mark.parametrize("year", ["", "abc", "0", "1999", "99999", "-5"])
def test_opening_a_round_with_a_bad_year_says_so_in_chinese(client, world, framework, year):
    client.force_login(world["admin"])
    response = client.post(reverse("evaluations:rounds"), {"year": year}, follow=True)
    assert response.status_code == 200
    assert "请填写 2000 至" in response.content.decode()
    assert not Round.objects.exists()


def test_a_park_sheet_saves_only_its_own_scores(client, world, framework):
    from tests.factories import UserFactory

    round_ = services.round_open(actor=world["admin"], year=2026)
    both = UserFactory(role="inspector", parks=[world["park_a"], world["park_b"]])
    other = Score.objects.get(round=round_, park=world["park_b"], indicator=framework["scored"])
    client.force_login(both)
    sheet_a = reverse("evaluations:park", args=[2026, world["park_a"].code])
    assert client.post(sheet_a, {"score": other.pk, "value": "15", "justification": "扎实"}).status_code == 404
    assert client.post(sheet_a, {"score": "abc", "value": "15", "justification": "扎实"}).status_code == 404
    assert Score.objects.get(pk=other.pk).value is None


def test_the_printable_report_shows_no_negative_zero(client, world, framework):
    services.round_open(actor=world["admin"], year=2026)
    client.force_login(world["inspector"])
    for url_name in ("evaluations:report", "evaluations:park", "evaluations:round"):
        args = [2026] if url_name == "evaluations:round" else [2026, world["park_a"].code]
        body = client.get(reverse(url_name, args=args)).content.decode()
        assert "−0.00" not in body and "-0.00" not in body, url_name


def test_money_never_shows_a_negative_zero():
    from core.templatetags.portal import money

    assert money(Decimal("-0.00")) == "0.00"
    assert money(Decimal("-0.001")) == "0.00"
    assert money(Decimal("-12.5")) == "-12.50"
