"""The ledgers in the browser: who may read and write, bad input explained in Chinese with nothing
half-saved, alerts raised when the data changes, list query counts that do not grow."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from risks import services
from risks.models import Alert, Contract, Decision, RiskPoint, Subsidy, SubsidyPayment
from risks.scoring import risk_level
from tests.factories import (
    ContractFactory,
    DecisionFactory,
    OfficialTieFactory,
    ProjectFactory,
    RiskPointFactory,
    SubsidyFactory,
    SubsidyPaymentFactory,
)


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [
        (1, 1, "low"),
        (2, 2, "low"),
        (1, 5, "medium"),
        (3, 3, "medium"),
        (2, 5, "high"),
        (4, 4, "high"),
        (4, 5, "critical"),
        (5, 5, "critical"),
    ],
)
def test_the_risk_matrix(likelihood, impact, level):
    assert risk_level(likelihood, impact) == level


def test_a_risk_point_stores_its_level(world):
    point = RiskPointFactory(park=world["park_a"], likelihood=5, impact=4)
    assert point.level == "critical"


def _subsidy_in(world, **kwargs):
    return SubsidyFactory(enterprise=world["ent_a"], park=world["park_a"], **kwargs)


def test_an_officer_records_a_payment(client, world):
    subsidy = _subsidy_in(world, approved_amount=Decimal("100000"), approved_on=datetime.date(2026, 3, 1))
    client.force_login(world["officer"])
    response = client.post(
        subsidy.get_absolute_url(), {"paid_on": "2026-03-20", "amount": "40000.00", "voucher_no": "PZ-001"}
    )
    assert response.status_code == 302
    subsidy = Subsidy.objects.with_outstanding().get(pk=subsidy.pk)
    assert subsidy.paid_total == Decimal("40000.00") and subsidy.outstanding == Decimal("60000.00")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"amount": "-5"}, "amount", "大于或等于"),
        ({"amount": "abc"}, "amount", "输入一个数字"),
        ({"amount": "60000.01"}, "amount", "超过"),
        ({"paid_on": "2026-02-28"}, "paid_on", "批准"),
        ({"voucher_no": "DUP-1"}, "voucher_no", "凭证号"),
    ],
    ids=["negative", "not-a-number", "more-than-outstanding", "before-approval", "duplicate-voucher"],
)
def test_bad_payments_are_explained_and_nothing_is_saved(client, world, data, field, message):
    subsidy = _subsidy_in(world, approved_amount=Decimal("100000"), approved_on=datetime.date(2026, 3, 1))
    SubsidyPaymentFactory(subsidy=subsidy, amount=Decimal("40000"), voucher_no="DUP-1")
    client.force_login(world["officer"])
    post = {"paid_on": "2026-03-20", "amount": "1000.00", "voucher_no": "PZ-NEW", **data}
    response = client.post(subsidy.get_absolute_url(), post)
    assert response.status_code == 200
    form = response.context["payment_form"]
    assert field in form.errors or form.non_field_errors(), form.errors
    body = response.content.decode()
    assert message in body
    assert post["voucher_no"] in body  # what was typed stays in the form
    assert SubsidyPayment.objects.filter(subsidy=subsidy).count() == 1


def test_an_over_payment_needs_the_explicit_override_and_raises_the_alert(
    client, world, django_capture_on_commit_callbacks
):
    subsidy = _subsidy_in(world, approved_amount=Decimal("100000"), approved_on=datetime.date(2026, 3, 1))
    client.force_login(world["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            subsidy.get_absolute_url(),
            {"paid_on": "2026-03-20", "amount": "120000", "voucher_no": "PZ-9", "allow_overpayment": "on"},
        )
    assert response.status_code == 302
    assert SubsidyPayment.objects.get(voucher_no="PZ-9").overpayment_confirmed
    assert Alert.objects.live().for_object(subsidy).filter(rule="subsidy_overpaid").exists()


def test_members_present_above_entitled_is_refused(client, world):
    client.force_login(world["officer"])
    response = client.post(
        reverse("risks:decision-create"),
        {
            "park": world["park_a"].pk,
            "kind": "large_funds",
            "subject": "某项资金使用",
            "amount": "600000",
            "meeting_kind": "party_committee",
            "meeting_on": "2026-03-01",
            "members_entitled": "7",
            "members_present": "9",
            "outcome": "approved",
        },
    )
    assert response.status_code == 200
    assert "实到人数（9）多于应到人数（7）" in response.content.decode()
    assert "某项资金使用" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_contractor_from_the_conflict_register_is_allowed_but_raises_the_alert(
    client, world, django_capture_on_commit_callbacks
):
    tie = OfficialTieFactory(official__park=world["park_a"], enterprise=world["ent_a"])
    project = ProjectFactory(park=world["park_a"])
    client.force_login(world["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            project.get_absolute_url(),
            {
                "form": "contract",
                "number": "HT-X-1",
                "contractor": tie.enterprise.pk,
                "procurement_method": "open_tender",
                "amount": "1000000",
                "signed_on": "2026-04-01",
                "integrity_contract": "on",
                "audit_status": "not_audited",
            },
            follow=True,
        )
    contract = Contract.objects.get(number="HT-X-1")
    assert "利益冲突" in response.content.decode()
    assert Alert.objects.live().for_object(contract).filter(rule="contract_conflict").exists()


def test_a_negative_change_order_is_refused(client, world):
    contract = ContractFactory(project__park=world["park_a"])
    client.force_login(world["officer"])
    response = client.post(
        contract.project.get_absolute_url(),
        {"form": "change", "contract": contract.pk, "amount": "-100", "changed_on": "2026-05-01", "reason": "减项"},
    )
    assert response.status_code == 200
    assert "大于或等于" in response.content.decode()
    assert not contract.change_orders.exists()


def test_a_subsidy_for_an_enterprise_of_another_park_is_refused(world):
    subsidy = Subsidy(
        park=world["park_a"],
        enterprise=world["ent_b"],
        policy="x",
        period="2026",
        approved_amount=1,
        approved_on=datetime.date(2026, 1, 1),
    )
    with pytest.raises(Exception) as error:
        services.ledger_save(actor=world["admin"], instance=subsidy)
    assert "不在该园区" in str(error.value)


@pytest.mark.parametrize("period", ["2026", "2026Q3", "2026H1", "2026-07"])
def test_periods_people_write_are_accepted(world, period):
    services.ledger_save(actor=world["officer"], instance=_subsidy_in(world, period=period))


@pytest.mark.parametrize("period", ["26", "2026Q5", "2026年", "2026-13"])
def test_malformed_periods_are_explained(world, period):
    from django.core.exceptions import ValidationError

    subsidy = Subsidy(
        park=world["park_a"],
        enterprise=world["ent_a"],
        policy="x",
        period=period,
        approved_amount=1,
        approved_on=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.ledger_save(actor=world["officer"], instance=subsidy)
    assert "2026Q3" in str(error.value)


def test_inspectors_read_the_ledgers_but_do_not_edit_them(client, world):
    point = RiskPointFactory(park=world["park_a"])
    client.force_login(world["inspector"])
    assert client.get(point.get_absolute_url()).status_code == 200
    assert client.get(reverse("risks:riskpoint-update", args=[point.pk])).status_code == 403
    assert client.get(reverse("risks:riskpoint-create")).status_code == 403


def test_officers_edit_only_their_own_parks(client, world):
    theirs, other = RiskPointFactory(park=world["park_a"]), RiskPointFactory(park=world["park_b"])
    client.force_login(world["officer"])
    assert client.get(reverse("risks:riskpoint-update", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("risks:riskpoint-update", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("risks:riskpoint-create"),
        {
            "park": world["park_b"].pk,
            "domain": "funds",
            "description": "x",
            "likelihood": 2,
            "impact": 2,
            "status": "identified",
        },
    )
    assert response.status_code == 200 and "park" in response.context["form"].errors
    assert not RiskPoint.objects.filter(park=world["park_b"], description="x").exists()


def test_enterprise_users_do_not_see_the_ledgers(client, world):
    client.force_login(world["enterprise_user"])
    for name in ("risks:riskpoint-list", "risks:decision-list", "risks:subsidy-list", "risks:alert-list"):
        assert client.get(reverse(name)).status_code == 403


def test_saving_a_ledger_row_runs_the_rules_after_commit(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("risks:decision-create"),
            {"park": world["park_a"].pk, "kind": "large_funds", "subject": "无会议决策的资金", "amount": "900000"},
        )
    decision = Decision.objects.get(subject="无会议决策的资金")
    alert = Alert.objects.live().for_object(decision).get(rule="decision_not_collective")
    client.force_login(world["inspector"])
    page = client.get(decision.get_absolute_url()).content.decode()
    assert alert.explanation in page
    park_page = client.get(reverse("parks:park-detail", args=[world["park_a"].code])).content.decode()
    assert "无会议决策的资金" in park_page


def test_an_inspector_dismisses_an_alert_with_a_reason(client, world):
    from risks.engine import evaluate_all

    decision = DecisionFactory(park=world["park_a"], has_minutes=False)
    evaluate_all()
    alert = Alert.objects.live().for_object(decision).get()
    client.force_login(world["inspector"])
    response = client.post(alert.get_absolute_url(), {"action": "dismiss", "reason": "   "})
    assert response.status_code == 200 and "必填" in response.content.decode()
    client.post(alert.get_absolute_url(), {"action": "dismiss", "reason": "纪要已补，正在归档"})
    alert.refresh_from_db()
    assert alert.status == "dismissed" and alert.decided_by == world["inspector"]
    page = client.get(alert.get_absolute_url()).content.decode()
    assert "纪要已补，正在归档" in page
    client.force_login(world["officer"])
    with pytest.raises(Exception):  # noqa: B017 - officers cannot decide on alerts
        services.alert_reopen(alert=alert, actor=world["officer"])


@pytest.mark.parametrize(
    ("url_name", "factory"),
    [
        ("risks:riskpoint-list", lambda park: RiskPointFactory(park=park, review_on=datetime.date(2020, 1, 1))),
        ("risks:decision-list", lambda park: DecisionFactory(park=park, has_minutes=False)),
        (
            "risks:subsidy-list",
            lambda park: SubsidyPaymentFactory(subsidy=SubsidyFactory(enterprise__park=park, park=park)),
        ),
        ("risks:project-list", lambda park: ContractFactory(project__park=park, integrity_contract=False)),
        ("risks:alert-list", lambda park: DecisionFactory(park=park, has_minutes=False)),
        ("risks:official-list", lambda park: OfficialTieFactory(official__park=park)),
    ],
)
def test_list_query_counts_do_not_grow_with_rows(client, world, url_name, factory, django_assert_max_num_queries):
    from risks.engine import evaluate_all

    client.force_login(world["inspector"])
    for _ in range(2):
        factory(world["park_a"])
    evaluate_all()
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse(url_name)).status_code == 200
    for _ in range(15):
        factory(world["park_a"])
    evaluate_all()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(url_name))


def test_the_subsidy_form_offers_the_enterprises_of_the_chosen_park(client, world):
    from tests.factories import EnterpriseFactory

    other_in_a = EnterpriseFactory(park=world["park_a"])
    client.force_login(world["admin"])
    form = client.get(reverse("risks:subsidy-create"), {"park": world["park_a"].pk}).context["form"]
    assert set(form.fields["enterprise"].queryset) == {world["ent_a"], other_in_a}
    body = client.get(reverse("risks:subsidy-create")).content.decode()  # no park yet: each option says its park
    assert f'value="{world["ent_b"].pk}" data-park="{world["park_b"].pk}"' in body
    assert 'data-park-field="park"' in body


def test_an_officer_is_offered_only_the_enterprises_of_their_parks(client, world):
    client.force_login(world["officer"])
    form = client.get(reverse("risks:subsidy-create")).context["form"]
    assert list(form.fields["enterprise"].queryset) == [world["ent_a"]]


def test_a_posted_enterprise_of_another_park_is_refused_in_chinese_keeping_what_was_typed(client, world):
    client.force_login(world["admin"])
    response = client.post(
        reverse("risks:subsidy-create"),
        {
            "park": world["park_a"].pk,
            "enterprise": world["ent_b"].pk,
            "policy": "研发投入后补助",
            "period": "2026",
            "approved_amount": "50000",
            "approved_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "该企业不在该园区" in body and "研发投入后补助" in body
    assert not Subsidy.objects.filter(policy="研发投入后补助").exists()
