"""Each collision rule fires on a planted tie, not on its look-alikes (same surname, same street with
another number, another period), and clears once the data is corrected."""

import datetime

import pytest
from django.utils import timezone

from risks.engine import evaluate
from risks.models import Alert
from risks.rules import REGISTRY

from ..factories import (
    BidFactory,
    ContractFactory,
    EnterpriseFactory,
    OfficialFactory,
    OfficialTieFactory,
    ProjectFactory,
    SubsidyFactory,
    SubsidyPaymentFactory,
)
from .helpers import register, relative

pytestmark = pytest.mark.django_db


def live(code):
    rule = REGISTRY[code]
    evaluate(rule)
    return {a.object_id: a for a in Alert.objects.filter(rule=code, cleared_at__isnull=True)}


def test_bid_rigging_fires_on_a_shared_shareholder_and_names_it_masked(world):
    project = ProjectFactory(park=world["park_a"])
    one, two, clean = (ContractFactory(project=project) for _ in range(3))
    register(one.contractor, rep=("王大明", 1), shareholders=[("李小红", 7)])
    register(two.contractor, rep=("赵四", 2), shareholders=[("李小红", 7)])
    register(clean.contractor, rep=("李小白", 3), shareholders=[("李小黑", 8)])  # same surname, other person
    alerts = live("collision_bid_rigging")
    assert set(alerts) == {project.pk}  # one alert per project: the tender is what looks rigged
    text = alerts[project.pk].explanation
    assert "李**" in text and "李小红" not in text and "股东" in text and project.name in text
    assert one.contractor.name in text and two.contractor.name in text and clean.contractor.name not in text
    labels = [label for label, _url in alerts[project.pk].links]
    assert one.contractor.name in labels and two.contractor.name in labels


def test_bid_rigging_on_address_ignores_another_number_of_the_same_street(world):
    project, lookalike = ProjectFactory(park=world["park_a"]), ProjectFactory(park=world["park_a"])
    one, two = ContractFactory(project=project), ContractFactory(project=project)
    three, four = ContractFactory(project=lookalike), ContractFactory(project=lookalike)
    register(one.contractor, rep=("甲", 1), address="平顶山市新华区建设路８８号")
    register(two.contractor, rep=("乙", 2), address="平顶山市 新华区 建设路88號")
    register(three.contractor, rep=("丙", 3), address="平顶山市新华区建设路86号")
    register(four.contractor, rep=("丁", 4), address="平顶山市新华区建设路84号")
    assert set(live("collision_bid_rigging")) == {project.pk}


def test_bid_rigging_on_phone_ignores_other_projects_and_clears_when_corrected(world):
    one, two = ContractFactory(project__park=world["park_a"]), ContractFactory(project__park=world["park_a"])
    first = register(one.contractor, rep=("甲", 1), phone="+86 138-1234-5678")
    register(two.contractor, rep=("乙", 2), phone="13812345678")
    assert live("collision_bid_rigging") == {}  # two projects: no tie to speak of
    third = ContractFactory(project=one.project)
    register(third.contractor, rep=("丙", 3), phone="138 1234 5678")
    assert set(live("collision_bid_rigging")) == {one.project.pk}
    first.phone = "13900000000"
    from collisions.services import registrations_save

    registrations_save([(first, None)])
    assert live("collision_bid_rigging") == {}
    assert Alert.objects.filter(rule="collision_bid_rigging", cleared_at__isnull=False).count() == 1


def test_bid_rigging_compares_the_bidders_who_won_nothing_too(world):
    """Two bidders sharing a phone, only one of them the winner, no contract signed yet: the alert says
    which side each took; look-alikes (a phone one digit off, a shared phone on another project) stay
    quiet; correcting the registration clears it."""
    project = ProjectFactory(park=world["park_a"], name="园区道路提升改造工程")
    winner = BidFactory(project=project, won=True)
    loser = BidFactory(project=project)
    lookalike = BidFactory(project=project)
    elsewhere = BidFactory(project__park=world["park_a"])
    record = register(winner.enterprise, rep=("甲", 1), phone="0375-2345678")
    register(loser.enterprise, rep=("乙", 2), phone="0375 2345678")
    register(lookalike.enterprise, rep=("丙", 3), phone="0375-2345679")
    register(elsewhere.enterprise, rep=("丁", 4), phone="03752345678")  # the same phone, another project
    alerts = live("collision_bid_rigging")
    assert set(alerts) == {project.pk}
    text = alerts[project.pk].explanation
    assert winner.enterprise.name in text and loser.enterprise.name in text and "电话" in text
    assert "中标人" in text and "未中标" in text and "2345678" not in text  # the phone masked
    assert lookalike.enterprise.name not in text and elsewhere.enterprise.name not in text
    # A contractor counts as well: the loser against the project's contractor, the winner's tie corrected.
    record.phone = "13900000000"
    from collisions.services import registrations_save

    registrations_save([(record, None)])
    assert live("collision_bid_rigging") == {}
    assert Alert.objects.get(rule="collision_bid_rigging", object_id=project.pk).cleared_at is not None
    contract = ContractFactory(project=project)
    register(contract.contractor, rep=("戊", 5), phone="0375-2345678")
    alerts = live("collision_bid_rigging")
    assert set(alerts) == {project.pk} and contract.contractor.name in alerts[project.pk].explanation


def test_hidden_tie_fires_for_a_relative_shareholder_unless_the_register_says_so(world):
    official = OfficialFactory(park=world["park_a"], name="孙建国")
    subsidy = SubsidyFactory(enterprise=EnterpriseFactory(park=world["park_a"]))
    lookalike = SubsidyFactory(enterprise=EnterpriseFactory(park=world["park_a"]))
    register(subsidy.enterprise, rep=("钱一", 1), shareholders=[("孙丽", 5)])
    register(lookalike.enterprise, rep=("孙丽丽", 6))  # same surname, other person
    relative(official, "孙丽", 5, relation="child")
    alerts = live("collision_subsidy_tie")
    assert set(alerts) == {subsidy.pk}
    assert "孙*" in alerts[subsidy.pk].explanation and "孙丽" not in alerts[subsidy.pk].explanation
    OfficialTieFactory(official=official, enterprise=subsidy.enterprise, relation="child")
    assert live("collision_subsidy_tie") == {}


def test_hidden_tie_on_a_contract_needs_an_official_of_that_park(world):
    official = OfficialFactory(park=world["park_b"])
    contract = ContractFactory(project__park=world["park_a"])
    register(contract.contractor, rep=("周某", 9))
    relative(official, "周某", 9, relation="self")
    assert live("collision_contract_tie") == {}  # the official is of another park
    here = OfficialFactory(park=world["park_a"], name="吴某")
    relative(here, "周某", 9, relation="self")
    alerts = live("collision_contract_tie")
    assert set(alerts) == {contract.pk} and "吴某" in alerts[contract.pk].explanation


def test_ghost_recipient_fires_after_deregistration_or_out_of_area_only(world):
    gone = SubsidyFactory(enterprise=EnterpriseFactory(park=world["park_a"]), approved_on=datetime.date(2026, 3, 1))
    paid_late = SubsidyFactory(
        enterprise=EnterpriseFactory(park=world["park_a"]), approved_on=datetime.date(2026, 1, 5)
    )
    SubsidyPaymentFactory(subsidy=paid_late, paid_on=datetime.date(2026, 2, 20))
    before = SubsidyFactory(enterprise=EnterpriseFactory(park=world["park_a"]), approved_on=datetime.date(2026, 1, 5))
    SubsidyPaymentFactory(subsidy=before, paid_on=datetime.date(2026, 1, 20))
    away = SubsidyFactory(enterprise=EnterpriseFactory(park=world["park_a"]))
    register(gone.enterprise, rep=("甲", 1), status="deregistered", deregistered_on=datetime.date(2026, 2, 1))
    register(paid_late.enterprise, rep=("乙", 2), status="deregistered", deregistered_on=datetime.date(2026, 2, 1))
    register(before.enterprise, rep=("丙", 3), status="deregistered", deregistered_on=datetime.date(2026, 2, 1))
    record = register(away.enterprise, rep=("丁", 4), in_park_area=False)
    alerts = live("collision_ghost_recipient")
    assert set(alerts) == {gone.pk, paid_late.pk, away.pk}
    assert "2026-02-20" in alerts[paid_late.pk].explanation
    record.in_park_area = True
    record.save()
    assert away.pk not in live("collision_ghost_recipient")


def test_shell_cluster_needs_the_same_policy_and_period(world):
    park = world["park_a"]
    one = SubsidyFactory(enterprise=EnterpriseFactory(park=park), policy="稳岗补贴", period="2026")
    two = SubsidyFactory(enterprise=EnterpriseFactory(park=park), policy="稳岗补贴", period="2026")
    other_period = SubsidyFactory(enterprise=EnterpriseFactory(park=park), policy="稳岗补贴", period="2025")
    register(one.enterprise, rep=("甲", 1), phone="0375-2345678")
    register(two.enterprise, rep=("乙", 2), phone="0375 2345678")
    register(other_period.enterprise, rep=("丙", 3), phone="03752345678")
    alerts = live("collision_shell_cluster")
    assert set(alerts) == {one.pk, two.pk}
    assert "8" in alerts[one.pk].explanation and "2345678" not in alerts[one.pk].explanation  # masked phone


def test_evaluating_one_park_reads_and_changes_that_park_only(world):
    from collisions.rules import BidRigging

    pairs = {}
    for park in (world["park_a"], world["park_b"]):
        project = ProjectFactory(park=park)
        one, two = ContractFactory(project=project), ContractFactory(project=project)
        register(one.contractor, rep=("甲", 1 if park == world["park_a"] else 11), phone=f"0375-88{park.pk:05d}")
        register(two.contractor, rep=("乙", 2 if park == world["park_a"] else 12), phone=f"0375-88{park.pk:05d}")
        pairs[park.code] = {project.pk}
    evaluate(BidRigging, park_ids=[world["park_a"].pk])
    assert set(Alert.objects.filter(rule=BidRigging.code).values_list("object_id", flat=True)) == pairs["PARK-A"]
    assert set(BidRigging.offenders(None, [world["park_b"].pk]).values_list("pk", flat=True)) == pairs["PARK-B"]
    evaluate(BidRigging)
    evaluate(BidRigging, park_ids=[world["park_a"].pk])  # leaves park B's alerts alone
    assert Alert.objects.filter(rule=BidRigging.code, cleared_at__isnull=True).count() == 2


def test_evaluation_counts_are_the_open_collision_alerts_of_the_year(world):
    from collisions.selectors import evaluation_counts

    project = ProjectFactory(park=world["park_a"])
    one, two = ContractFactory(project=project), ContractFactory(project=project)
    register(one.contractor, rep=("甲", 1), shareholders=[("丙", 3)])
    register(two.contractor, rep=("乙", 2), shareholders=[("丙", 3)])
    live("collision_bid_rigging")
    today = timezone.localdate()
    assert evaluation_counts("collision_open", today.year, today) == {world["park_a"].pk: (1, 1)}
    Alert.objects.filter(object_id=project.pk).update(status="dismissed")
    assert evaluation_counts("collision_open", today.year, today) == {world["park_a"].pk: (0, 1)}
    assert evaluation_counts("collision_open", today.year - 1, today) == {}
    assert evaluation_counts("something_else", today.year, today) == {}
