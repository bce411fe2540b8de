"""Every alert rule: a case that fires, the boundary just below that does not, the fix that clears the
alert, and a rescan run twice that raises nothing twice."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from risks.engine import evaluate, evaluate_all
from risks.models import Alert
from risks.rules import REGISTRY
from tests.factories import (
    ChangeOrderFactory,
    ContractFactory,
    DecisionFactory,
    OfficialTieFactory,
    ParkFactory,
    RiskPointFactory,
    SubsidyFactory,
    SubsidyPaymentFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def live(rule, obj=None):
    alerts = Alert.objects.filter(rule=rule).live()
    if obj is not None:
        alerts = alerts.for_object(obj)
    return alerts


def run(code):
    return evaluate(REGISTRY[code])


def assert_fires_once(code, obj):
    run(code)
    run(code)  # a second run raises nothing new
    assert live(code, obj).count() == 1
    assert Alert.objects.filter(rule=code).for_object(obj).count() == 1


def assert_quiet(code, obj):
    run(code)
    assert not live(code, obj).exists()


def assert_cleared_by(code, obj, fix):
    fix()
    run(code)
    assert not live(code, obj).exists()
    assert Alert.objects.filter(rule=code, cleared_at__isnull=False).for_object(obj).count() == 1


# --- subsidies -----------------------------------------------------------------------------------------


def test_subsidy_not_landed(settings):
    settings.RISK_RULES = {**settings.RISK_RULES, "SUBSIDY_NOT_LANDED_DAYS": 30}
    late = SubsidyFactory(approved_on=days_ago(30), approved_amount=Decimal("100000"))
    SubsidyPaymentFactory(subsidy=late, amount=Decimal("40000"), paid_on=days_ago(10))
    recent = SubsidyFactory(approved_on=days_ago(29))
    assert_fires_once("subsidy_not_landed", late)
    assert_quiet("subsidy_not_landed", recent)
    alert = live("subsidy_not_landed", late).get()
    assert alert.facts["outstanding"] == "60000.00"
    assert "60,000.00 元" in alert.explanation and "30" in alert.explanation
    assert_cleared_by(
        "subsidy_not_landed",
        late,
        lambda: SubsidyPaymentFactory(subsidy=late, amount=Decimal("60000"), paid_on=days_ago(1)),
    )


def test_subsidy_overpaid():
    subsidy = SubsidyFactory(approved_amount=Decimal("100000"))
    payment = SubsidyPaymentFactory(subsidy=subsidy, amount=Decimal("100000.01"))
    exact = SubsidyPaymentFactory(subsidy=SubsidyFactory(approved_amount=Decimal("5000")), amount=Decimal("5000"))
    assert_fires_once("subsidy_overpaid", subsidy)
    assert_quiet("subsidy_overpaid", exact.subsidy)

    def fix():
        payment.amount = Decimal("100000")
        payment.save()

    assert_cleared_by("subsidy_overpaid", subsidy, fix)


def test_subsidy_paid_twice_under_the_same_policy_and_period():
    first = SubsidyFactory(policy="稳岗补贴", period="2026")
    second = SubsidyFactory(enterprise=first.enterprise, policy="稳岗补贴", period="2026", approved_on=days_ago(5))
    other_period = SubsidyFactory(enterprise=first.enterprise, policy="稳岗补贴", period="2025")
    for subsidy in (first, other_period):
        SubsidyPaymentFactory(subsidy=subsidy)
    # Only one of the twins paid: not (yet) a duplicate payment.
    assert_quiet("subsidy_duplicate", first)
    second_payment = SubsidyPaymentFactory(subsidy=second)
    run("subsidy_duplicate")
    run("subsidy_duplicate")
    assert live("subsidy_duplicate").count() == 2
    assert not live("subsidy_duplicate", other_period).exists()
    assert live("subsidy_duplicate", first).get().facts["paid_records"] == 2
    second_payment.delete()
    run("subsidy_duplicate")
    assert not live("subsidy_duplicate").exists()


def test_subsidy_to_an_officials_relative():
    tie = OfficialTieFactory(relation="spouse")
    tied = SubsidyFactory(enterprise=tie.enterprise, park=tie.official.park)
    untied = SubsidyFactory(park=tie.official.park, enterprise__park=tie.official.park)
    assert_fires_once("subsidy_conflict", tied)
    assert_quiet("subsidy_conflict", untied)
    assert "刘某" in live("subsidy_conflict", tied).get().explanation
    assert "配偶" in live("subsidy_conflict", tied).get().explanation

    def fix():
        tie.official.is_active = False
        tie.official.save()

    assert_cleared_by("subsidy_conflict", tied, fix)


def test_a_tie_in_another_park_is_not_a_conflict_here():
    tie = OfficialTieFactory()
    elsewhere = SubsidyFactory(enterprise=tie.enterprise, park=ParkFactory())
    elsewhere.enterprise.park = elsewhere.park  # the enterprise moved parks
    elsewhere.enterprise.save()
    assert_quiet("subsidy_conflict", elsewhere)


# --- 三重一大 ------------------------------------------------------------------------------------------


def test_large_fund_use_without_a_collective_decision(settings):
    settings.RISK_RULES = {**settings.RISK_RULES, "LARGE_FUND_THRESHOLD": 500000}
    undecided = DecisionFactory(
        amount=Decimal("500000"),
        meeting_on=None,
        meeting_kind="",
        members_entitled=None,
        members_present=None,
        has_minutes=False,
    )
    small = DecisionFactory(
        amount=Decimal("499999.99"),
        meeting_on=None,
        meeting_kind="",
        members_entitled=None,
        members_present=None,
        has_minutes=False,
    )
    appointment = DecisionFactory(
        kind="appointment",
        amount=None,
        meeting_on=None,
        meeting_kind="",
        members_entitled=None,
        members_present=None,
        has_minutes=False,
    )
    assert_fires_once("decision_not_collective", undecided)
    assert_quiet("decision_not_collective", small)
    assert live("decision_not_collective", appointment).exists()  # appointments are always collective

    def fix():
        undecided.meeting_on, undecided.meeting_kind = datetime.date(2026, 3, 1), "party_committee"
        undecided.members_entitled, undecided.members_present, undecided.has_minutes = 9, 8, True
        undecided.save()

    assert_cleared_by("decision_not_collective", undecided, fix)


def test_decision_without_quorum():
    short = DecisionFactory(members_entitled=9, members_present=5)  # 5/9 < 2/3
    exact = DecisionFactory(members_entitled=9, members_present=6)  # 6/9 = 2/3: quorate
    assert_fires_once("decision_no_quorum", short)
    assert_quiet("decision_no_quorum", exact)
    assert "5" in live("decision_no_quorum", short).get().explanation

    def fix():
        short.members_present = 6
        short.save()

    assert_cleared_by("decision_no_quorum", short, fix)


def test_decision_without_minutes():
    bare = DecisionFactory(has_minutes=False)
    below_threshold = DecisionFactory(has_minutes=False, amount=Decimal("100000"))
    assert_fires_once("decision_no_minutes", bare)
    assert_quiet("decision_no_minutes", below_threshold)

    def fix():
        bare.has_minutes = True
        bare.save()

    assert_cleared_by("decision_no_minutes", bare, fix)


def test_decided_after_the_money_was_spent():
    late = DecisionFactory(meeting_on=datetime.date(2026, 3, 10), executed_on=datetime.date(2026, 3, 9))
    same_day = DecisionFactory(meeting_on=datetime.date(2026, 3, 10), executed_on=datetime.date(2026, 3, 10))
    assert_fires_once("decision_after_spending", late)
    assert_quiet("decision_after_spending", same_day)

    def fix():
        late.executed_on = datetime.date(2026, 3, 12)
        late.save()

    assert_cleared_by("decision_after_spending", late, fix)


# --- contracts -----------------------------------------------------------------------------------------


def test_direct_award_at_the_tendering_threshold(settings):
    settings.RISK_RULES = {**settings.RISK_RULES, "TENDERING_THRESHOLD": 4000000}
    direct = ContractFactory(procurement_method="direct", amount=Decimal("4000000"))
    below = ContractFactory(procurement_method="single_source", amount=Decimal("3999999.99"))
    tendered = ContractFactory(procurement_method="open_tender", amount=Decimal("9000000"))
    assert_fires_once("contract_direct_award", direct)
    assert_quiet("contract_direct_award", below)
    assert_quiet("contract_direct_award", tendered)

    def fix():
        direct.procurement_method = "open_tender"
        direct.save()

    assert_cleared_by("contract_direct_award", direct, fix)


def test_contract_without_an_integrity_contract():
    bare = ContractFactory(integrity_contract=False)
    signed = ContractFactory(integrity_contract=True)
    assert_fires_once("contract_no_integrity", bare)
    assert_quiet("contract_no_integrity", signed)

    def fix():
        bare.integrity_contract = True
        bare.save()

    assert_cleared_by("contract_no_integrity", bare, fix)


def test_change_orders_over_ten_percent():
    over = ContractFactory(amount=Decimal("1000000"))
    ChangeOrderFactory(contract=over, amount=Decimal("60000"))
    extra = ChangeOrderFactory(contract=over, amount=Decimal("40000.01"))
    at_limit = ContractFactory(amount=Decimal("1000000"))
    ChangeOrderFactory(contract=at_limit, amount=Decimal("100000"))
    assert_fires_once("contract_change_orders", over)
    assert_quiet("contract_change_orders", at_limit)
    assert "10.0%" in live("contract_change_orders", over).get().explanation
    assert_cleared_by("contract_change_orders", over, extra.delete)


def test_contract_splitting(settings):
    settings.RISK_RULES = {**settings.RISK_RULES, "TENDERING_THRESHOLD": 4000000, "SPLITTING_WINDOW_DAYS": 90}
    first = ContractFactory(amount=Decimal("2000000"), signed_on=datetime.date(2026, 1, 10))
    project, contractor = first.project, first.contractor
    second = ContractFactory(
        project=project, contractor=contractor, amount=Decimal("2000000"), signed_on=datetime.date(2026, 4, 10)
    )
    # 10 January + 90 days = 10 April: still inside the window, together 4,000,000 — splitting.
    assert_fires_once("contract_splitting", second)
    assert not live("contract_splitting", first).exists()  # the alert sits on the contract that crossed
    assert live("contract_splitting", second).get().facts["window_count"] == 2

    def fix():  # the second contract was in fact signed after the window
        second.signed_on = datetime.date(2026, 4, 11)
        second.save()

    assert_cleared_by("contract_splitting", second, fix)


def test_splitting_needs_the_same_contractor_and_project(settings):
    settings.RISK_RULES = {**settings.RISK_RULES, "TENDERING_THRESHOLD": 4000000}
    first = ContractFactory(amount=Decimal("2500000"), signed_on=datetime.date(2026, 1, 10))
    other_contractor = ContractFactory(
        project=first.project, amount=Decimal("2500000"), signed_on=datetime.date(2026, 1, 20)
    )
    just_under = ContractFactory(
        project=first.project,
        contractor=first.contractor,
        amount=Decimal("1499999.99"),
        signed_on=datetime.date(2026, 2, 1),
    )
    run("contract_splitting")
    assert not live("contract_splitting").exclude(object_id=just_under.pk).exists()
    assert not live("contract_splitting", other_contractor).exists()
    assert not live("contract_splitting", just_under).exists()  # 3,999,999.99 in all


def test_contract_to_an_officials_enterprise():
    tie = OfficialTieFactory(relation="self")
    tied = ContractFactory(contractor=tie.enterprise, project__park=tie.official.park)
    clean = ContractFactory(project__park=tie.official.park)
    assert_fires_once("contract_conflict", tied)
    assert_quiet("contract_conflict", clean)
    assert_cleared_by("contract_conflict", tied, tie.delete)


# --- risk points ---------------------------------------------------------------------------------------


def test_risk_point_past_its_review_date():
    late = RiskPointFactory(review_on=days_ago(1))
    due_today = RiskPointFactory(review_on=TODAY)
    assert_fires_once("riskpoint_review_overdue", late)
    assert_quiet("riskpoint_review_overdue", due_today)

    def fix():
        late.review_on = TODAY + datetime.timedelta(days=90)
        late.save()

    assert_cleared_by("riskpoint_review_overdue", late, fix)


# --- the engine ----------------------------------------------------------------------------------------


def test_the_database_allows_one_live_alert_per_rule_and_object():
    subsidy = SubsidyFactory(approved_on=days_ago(100))
    run("subsidy_not_landed")
    alert = live("subsidy_not_landed", subsidy).get()
    alert.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        alert.save()


def test_a_dismissed_alert_is_not_raised_again_while_the_condition_holds(world):
    from risks.services import alert_dismiss

    subsidy = SubsidyFactory(enterprise=world["ent_a"], park=world["park_a"], approved_on=days_ago(100))
    run("subsidy_not_landed")
    alert_dismiss(
        alert=live("subsidy_not_landed", subsidy).get(), actor=world["inspector"], reason="资金已在途，系统未录入"
    )
    evaluate_all()
    evaluate_all()
    assert Alert.objects.filter(rule="subsidy_not_landed").count() == 1
    assert not Alert.objects.needing_attention().filter(rule="subsidy_not_landed").exists()


def test_a_full_rescan_twice_changes_nothing_the_second_time():
    SubsidyFactory(approved_on=days_ago(100))
    ContractFactory(integrity_contract=False, procurement_method="direct", amount=Decimal("5000000"))
    DecisionFactory(has_minutes=False, members_present=3)
    first = evaluate_all()
    second = evaluate_all()
    assert first.raised >= 5
    assert (second.raised, second.cleared) == (0, 0)
    assert second.refreshed == first.raised


def test_the_rescan_query_count_does_not_grow_with_the_ledgers(django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            SubsidyFactory(approved_on=days_ago(100))
            ContractFactory(integrity_contract=False)
            DecisionFactory(has_minutes=False)

    add(2)
    evaluate_all()
    with django_assert_max_num_queries(200) as few:
        evaluate_all()
    add(20)
    evaluate_all()  # raises the new alerts
    with django_assert_max_num_queries(len(few.captured_queries)):
        evaluate_all()


def test_the_nightly_rescan_is_scheduled_and_runs_as_a_celery_task():
    from django_celery_beat.models import PeriodicTask

    from core.schedule import install_periodic_tasks
    from risks.tasks import rescan

    install_periodic_tasks()
    entry = PeriodicTask.objects.get(task="risks.rescan")
    assert (entry.crontab.hour, entry.crontab.minute, str(entry.crontab.timezone)) == ("2", "0", "Asia/Shanghai")
    SubsidyFactory(approved_on=days_ago(100))
    assert rescan.delay().get()["raised"] == 1
    assert rescan.delay().get() == {"raised": 0, "refreshed": 1, "cleared": 0}


@pytest.mark.parametrize("park_ids", ["new park only", "full rescan"])
def test_an_alert_follows_its_ledger_row_to_another_park(park_ids):
    from risks.models import Subsidy

    subsidy = SubsidyFactory(approved_on=days_ago(100))
    run("subsidy_not_landed")
    moved_to = ParkFactory()
    Subsidy.objects.filter(pk=subsidy.pk).update(park=moved_to)
    evaluate(REGISTRY["subsidy_not_landed"], park_ids=[moved_to.pk] if park_ids == "new park only" else None)
    evaluate_all(park_ids=[subsidy.park_id])  # the old park's own run leaves it alone
    alert = live("subsidy_not_landed", subsidy).get()
    assert alert.park == moved_to
    assert Alert.objects.filter(rule="subsidy_not_landed").count() == 1
