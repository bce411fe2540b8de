"""The two cross-check rules: each fires on its planted case, not on the look-alikes, and clears when the
data is corrected (the same alert lifecycle as every rule: the engine, the nightly rescan)."""

import datetime

from django.urls import reverse

from conduct import services
from risks.engine import evaluate, evaluate_all
from risks.models import Alert
from tests.factories import ContractFactory, EnterpriseFactory, OfficialTieFactory, ProjectFactory, SubsidyFactory

from .conftest import register

CONTACT = datetime.date(2026, 3, 1)


def alerts(rule):
    return Alert.objects.filter(rule=rule).live()


def days(n):
    return CONTACT + datetime.timedelta(days=n)


def test_a_subsidy_within_90_days_after_the_contact_fires_and_explains_itself(client, world):
    registration = register(world, contact_on=CONTACT)
    subsidy = SubsidyFactory(enterprise=world["ent_a"], approved_on=days(90), policy="稳岗补贴")
    evaluate_all()
    alert = alerts("contact_then_benefit").get()
    assert alert.target == registration and alert.park == world["park_a"]
    assert "90 天后园区批准其“稳岗补贴”奖补 100,000.00 元" in alert.explanation
    assert world["officer"].display_name in alert.explanation
    client.force_login(world["inspector"])
    page = client.get(alert.get_absolute_url()).content.decode()
    assert registration.get_absolute_url() in page  # the registration side
    assert reverse("risks:subsidy-detail", args=[subsidy.pk]) in page  # the subsidy side


def test_a_contract_within_the_window_fires(world):
    register(world, contact_on=CONTACT)
    contract = ContractFactory(
        project=ProjectFactory(park=world["park_a"]), contractor=world["ent_a"], signed_on=days(10)
    )
    evaluate_all()
    alert = alerts("contact_then_benefit").get()
    assert f"签订合同 {contract.number}" in alert.explanation
    assert any(f"#contract-{contract.pk}" in url for _label, url in alert.links)


def test_look_alikes_do_not_fire(world):
    register(world, contact_on=CONTACT)
    SubsidyFactory(enterprise=world["ent_a"], approved_on=days(91))  # a day too late
    SubsidyFactory(enterprise=world["ent_a"], approved_on=days(-1))  # before the contact
    SubsidyFactory(enterprise=EnterpriseFactory(park=world["park_a"]), approved_on=days(5))  # another enterprise
    # The same enterprise benefiting in another park (a subsidy recorded there) is not this park's doing.
    SubsidyFactory(enterprise=world["ent_a"], park=world["park_b"], approved_on=days(5))
    evaluate_all()
    assert not alerts("contact_then_benefit").exists()


def test_the_alert_clears_when_the_approval_date_is_corrected(world):
    register(world, contact_on=CONTACT)
    subsidy = SubsidyFactory(enterprise=world["ent_a"], approved_on=days(30))
    evaluate_all()
    assert alerts("contact_then_benefit").count() == 1
    subsidy.approved_on = days(120)
    subsidy.save()
    evaluate_all()
    assert not alerts("contact_then_benefit").exists()
    assert Alert.objects.filter(rule="contact_then_benefit", cleared_at__isnull=False).count() == 1


def test_an_undeclared_tie_fires_and_declaring_it_clears_the_alert(client, world):
    tie = OfficialTieFactory(official__park=world["park_a"], enterprise=world["ent_a"], relative_name="钱某")
    registration = register(world, contact_on=CONTACT)
    evaluate_all()
    alert = alerts("contact_undeclared_tie").get()
    assert alert.target == registration
    assert "未申报利害关系" in alert.explanation and tie.official.name in alert.explanation
    client.force_login(world["inspector"])
    page = client.get(alert.get_absolute_url()).content.decode()
    assert registration.get_absolute_url() in page and reverse("risks:official-list") in page

    registration.declares_tie, registration.tie_note = True, "配偶经营该企业，已报告"
    services.registration_file(actor=world["officer"], registration=registration)
    evaluate_all()
    assert not alerts("contact_undeclared_tie").exists()


def test_a_declared_tie_or_a_tie_in_another_park_does_not_fire(world):
    OfficialTieFactory(official__park=world["park_a"], enterprise=world["ent_a"])
    register(world, contact_on=CONTACT, declares_tie=True, tie_note="本人亲属持股")
    OfficialTieFactory(official__park=world["park_b"], enterprise=world["ent_b"])
    other = EnterpriseFactory(park=world["park_a"])
    register(world, contact_on=CONTACT, enterprise=other)  # no tie at all
    evaluate_all()
    assert not alerts("contact_undeclared_tie").exists()


def test_a_tie_of_an_official_out_of_office_does_not_fire(world):
    OfficialTieFactory(official__park=world["park_a"], official__is_active=False, enterprise=world["ent_a"])
    register(world, contact_on=CONTACT)
    evaluate_all()
    assert not alerts("contact_undeclared_tie").exists()


def test_officers_do_not_see_the_alerts_about_registrations(world):
    register(world, contact_on=CONTACT)
    SubsidyFactory(enterprise=world["ent_a"], approved_on=days(3))
    from conduct.rules import ContactThenBenefit

    evaluate(ContactThenBenefit)
    assert Alert.objects.visible_to(world["inspector"]).filter(rule="contact_then_benefit").exists()
    assert not Alert.objects.visible_to(world["officer"]).filter(rule="contact_then_benefit").exists()
