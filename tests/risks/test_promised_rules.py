"""The alert rules the domain brief promises, as an inspector meets them: a duplicate claim whatever
row the payments sit under (also after an import), overdue rectification, works contracts not tendered,
risk points without a review date — and alert texts that say which enterprise, how much and when."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections import services as inspection_services
from risks.engine import evaluate, evaluate_all
from risks.models import Alert, RiskPoint, Subsidy
from risks.rules import REGISTRY
from risks.rules.base import yuan
from tests.collisions.helpers import register, relative
from tests.factories import (
    ChangeOrderFactory,
    ContractFactory,
    DecisionFactory,
    EnterpriseFactory,
    FindingFactory,
    OfficialFactory,
    OfficialTieFactory,
    ParkFactory,
    RiskPointFactory,
    SubsidyFactory,
    SubsidyPaymentFactory,
    TaskFactory,
)
from tests.imports.test_imports import SUBSIDY_HEADERS, confirm, upload, xlsx

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PAYMENT_HEADERS = ["统一社会信用代码", "政策名称", "所属期间", "凭证号", "拨付日期", "拨付金额"]


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def live(rule, obj=None):
    alerts = Alert.objects.filter(rule=rule).live()
    return alerts.for_object(obj) if obj is not None else alerts


def run(code):
    return evaluate(REGISTRY[code])


# --- the same enterprise paid twice under the same policy and period ------------------------------------


def test_a_duplicate_claim_fires_when_both_payments_sit_under_one_approval():
    first = SubsidyFactory(policy="稳岗补贴", period="2026", approved_on=days_ago(200))
    second = SubsidyFactory(enterprise=first.enterprise, policy="稳岗补贴", period="2026", approved_on=days_ago(100))
    SubsidyPaymentFactory(subsidy=first, amount=Decimal("100000"), paid_on=days_ago(190))
    SubsidyPaymentFactory(subsidy=first, amount=Decimal("100000"), paid_on=days_ago(90))
    run("subsidy_duplicate")
    assert live("subsidy_duplicate", first).exists() and live("subsidy_duplicate", second).exists()


def test_instalments_of_one_approval_are_not_a_duplicate_claim():
    subsidy = SubsidyFactory(approved_amount=Decimal("100000"))
    SubsidyPaymentFactory(subsidy=subsidy, amount=Decimal("40000"))
    SubsidyPaymentFactory(subsidy=subsidy, amount=Decimal("60000"))
    # A second approval of the same claim, paid no further than one approval: not paid twice (yet).
    SubsidyFactory(enterprise=subsidy.enterprise, policy=subsidy.policy, period=subsidy.period, approved_on=days_ago(3))
    run("subsidy_duplicate")
    assert not live("subsidy_duplicate").exists()


def test_a_duplicate_claim_imported_through_the_templates_raises_the_alert(client, world):
    client.force_login(world["officer"])
    park, code = world["park_a"].code, world["ent_a"].credit_code
    approvals = [
        [park, code, "稳岗补贴", "2026", "100000", "2026-03-01"],
        [park, code, "稳岗补贴", "2026", "100000", "2026-06-01"],  # the same claim approved a second time
    ]
    preview = upload(client, "subsidies", xlsx(SUBSIDY_HEADERS, approvals))
    assert preview.context["report"].ok, [(r.number, r.errors) for r in preview.context["report"].errors]
    confirm(client, "subsidies", preview)
    assert Subsidy.objects.filter(enterprise=world["ent_a"], policy="稳岗补贴", period="2026").count() == 2
    payments = [
        [code, "稳岗补贴", "2026", "PZ-1", "2026-03-15", "100000"],
        [code, "稳岗补贴", "2026", "PZ-2", "2026-06-15", "100000"],
    ]
    preview = upload(client, "payments", xlsx(PAYMENT_HEADERS, payments))
    assert preview.context["report"].ok, [(r.number, r.errors) for r in preview.context["report"].errors]
    confirm(client, "payments", preview)
    evaluate_all()
    alerts = live("subsidy_duplicate")
    assert alerts.count() == 2
    assert world["ent_a"].name in alerts.first().explanation
    # The same files again change nothing: the natural key tells the two approvals apart.
    assert upload(client, "subsidies", xlsx(SUBSIDY_HEADERS, approvals)).context["counts"]["unchanged"] == 2
    assert upload(client, "payments", xlsx(PAYMENT_HEADERS, payments)).context["counts"]["unchanged"] == 2


def test_a_corrected_amount_still_updates_the_same_approval(client, world):
    client.force_login(world["officer"])
    row = [world["park_a"].code, world["ent_a"].credit_code, "稳岗补贴", "2026", "100000", "2026-03-01"]
    confirm(client, "subsidies", upload(client, "subsidies", xlsx(SUBSIDY_HEADERS, [row])))
    corrected = upload(client, "subsidies", xlsx(SUBSIDY_HEADERS, [[*row[:4], "120000", row[5]]]))
    assert corrected.context["counts"]["updated"] == 1
    confirm(client, "subsidies", corrected)
    assert Subsidy.objects.get().approved_amount == 120000


# --- rectification task overdue -----------------------------------------------------------------------


def test_an_overdue_rectification_task_raises_one_alert_until_it_is_verified(world, django_capture_on_commit_callbacks):
    finding = FindingFactory(park=world["park_a"], found_on=days_ago(60), description="拨付迟缓")
    late = TaskFactory(finding=finding, owner=world["officer"], deadline=days_ago(3))
    due_today = TaskFactory(finding=finding, owner=world["officer"], deadline=TODAY)
    verified = TaskFactory(finding=finding, owner=world["officer"], deadline=days_ago(3), status="verified")
    run("task_overdue")
    run("task_overdue")
    assert live("task_overdue", late).count() == 1
    assert not live("task_overdue", due_today).exists()
    assert not live("task_overdue", verified).exists()
    alert = live("task_overdue", late).get()
    assert alert.park == world["park_a"]
    assert days_ago(3).isoformat() in alert.explanation and "工作日" in alert.explanation
    # Submitted is not yet closed: the alert stays until an inspector verifies (销号).
    inspection_services.task_submit(actor=world["officer"], task=late, evidence="已整改")
    run("task_overdue")
    assert live("task_overdue", late).exists()
    with django_capture_on_commit_callbacks(execute=True):
        inspection_services.task_verify(actor=world["inspector"], task=late)
    assert not live("task_overdue", late).exists()  # cleared at once, not at the nightly rescan
    assert Alert.objects.filter(rule="task_overdue", cleared_at__isnull=False).for_object(late).count() == 1


# --- works contracts not tendered ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["negotiation", "inquiry", "single_source", "direct"])
def test_works_contracts_over_the_threshold_not_tendered(settings, method):
    settings.RISK_RULES = {**settings.RISK_RULES, "TENDERING_THRESHOLD": 4000000}
    untendered = ContractFactory(procurement_method=method, amount=Decimal("4000000"))
    run("contract_direct_award")
    assert live("contract_direct_award", untendered).exists()


@pytest.mark.parametrize("method", ["open_tender", "invited_tender"])
def test_tendered_works_contracts_are_fine(settings, method):
    settings.RISK_RULES = {**settings.RISK_RULES, "TENDERING_THRESHOLD": 4000000}
    tendered = ContractFactory(procurement_method=method, amount=Decimal("9000000"))
    run("contract_direct_award")
    assert not live("contract_direct_award", tendered).exists()


# --- a risk point must have a review date -------------------------------------------------------------


RISKPOINT_FORM = {
    "domain": "funds",
    "description": "资金拨付风险",
    "likelihood": 2,
    "impact": 3,
    "status": "identified",
}


def test_the_risk_point_form_requires_a_review_date(client, world):
    client.force_login(world["officer"])
    url = reverse("risks:riskpoint-create")
    response = client.post(url, {**RISKPOINT_FORM, "park": world["park_a"].pk})
    assert response.status_code == 200 and "review_on" in response.context["form"].errors
    assert not RiskPoint.objects.exists()
    client.post(url, {**RISKPOINT_FORM, "park": world["park_a"].pk, "review_on": "2027-03-01"})
    assert RiskPoint.objects.get().review_on == datetime.date(2027, 3, 1)


def test_the_risk_point_import_requires_a_review_date(client, world):
    client.force_login(world["officer"])
    headers = ["园区编码", "风险领域", "风险描述", "可能性", "影响程度", "防控措施", "责任部门", "责任人", "复核日期"]
    row = [world["park_a"].code, "工程项目", "围标串标风险", 4, 5, "严格程序", "规划建设局", "王五"]
    preview = upload(client, "riskpoints", xlsx(headers, [[*row, ""]]))
    assert not preview.context["report"].ok
    assert [error for r in preview.context["report"].errors for error in r.errors] == [("复核日期", "为空")]
    assert upload(client, "riskpoints", xlsx(headers, [[*row, "2027-03-01"]])).context["report"].ok


def test_the_risk_point_api_requires_a_review_date(client, world):
    client.force_login(world["officer"])
    response = client.post(
        reverse("riskpoint-list"), {**RISKPOINT_FORM, "park": world["park_a"].pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "review_on" in response.json()["fields"]


def test_the_database_refuses_a_risk_point_without_a_review_date():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RiskPoint.objects.create(park=ParkFactory(), domain="funds", description="x", likelihood=1, impact=1)


# --- alert texts say which enterprise, how much and when ------------------------------------------------


def _enterprise(n):
    return EnterpriseFactory(name=f"示例企业{n}号")


def _subsidy(n, **kwargs):
    enterprise = kwargs.pop("enterprise", None) or _enterprise(n)
    return SubsidyFactory(
        enterprise=enterprise,
        approved_amount=Decimal(100000 + 1000 * n),
        approved_on=days_ago(100 + n),
        **kwargs,
    )


def case_not_landed(n):
    subsidy = _subsidy(n)
    return subsidy, [subsidy.enterprise.name, yuan(subsidy.approved_amount), subsidy.approved_on.isoformat()]


def case_overpaid(n):
    subsidy = _subsidy(n)
    payment = SubsidyPaymentFactory(subsidy=subsidy, amount=subsidy.approved_amount + 1, paid_on=days_ago(50 + n))
    return subsidy, [subsidy.enterprise.name, yuan(payment.amount), payment.paid_on.isoformat()]


def case_duplicate(n):
    subsidy = _subsidy(n)
    twin = _subsidy(n, enterprise=subsidy.enterprise)
    twin.approved_on = days_ago(20 + n)
    twin.save()
    SubsidyPaymentFactory(subsidy=subsidy, amount=subsidy.approved_amount, paid_on=days_ago(90))
    SubsidyPaymentFactory(subsidy=twin, amount=twin.approved_amount, paid_on=days_ago(10))
    return subsidy, [subsidy.enterprise.name, yuan(subsidy.approved_amount), subsidy.approved_on.isoformat()]


def case_subsidy_conflict(n):
    tie = OfficialTieFactory(enterprise=_enterprise(n))
    subsidy = _subsidy(n, enterprise=tie.enterprise, park=tie.official.park)
    return subsidy, [subsidy.enterprise.name, yuan(subsidy.approved_amount), subsidy.approved_on.isoformat()]


def _decision(n, **kwargs):
    return DecisionFactory(subject=f"园区道路改造{n}期", amount=Decimal(800000 + 1000 * n), **kwargs)


def case_not_collective(n):
    decision = _decision(
        n, meeting_on=None, meeting_kind="", members_entitled=None, members_present=None, has_minutes=False,
        executed_on=days_ago(10 + n),
    )  # fmt: skip
    return decision, [decision.subject, yuan(decision.amount), decision.executed_on.isoformat()]


def case_no_quorum(n):
    decision = _decision(n, members_present=5, meeting_on=days_ago(30 + n), executed_on=days_ago(20))
    return decision, [decision.subject, yuan(decision.amount), decision.meeting_on.isoformat()]


def case_no_minutes(n):
    decision = _decision(n, has_minutes=False, meeting_on=days_ago(30 + n), executed_on=days_ago(20))
    return decision, [decision.subject, yuan(decision.amount), decision.meeting_on.isoformat()]


def case_after_spending(n):
    decision = _decision(n, meeting_on=days_ago(30 + n), executed_on=days_ago(40 + n))
    return decision, [decision.subject, yuan(decision.amount), decision.executed_on.isoformat()]


def _contract(n, **kwargs):
    kwargs.setdefault("amount", Decimal(1000000 + 1000 * n))
    kwargs.setdefault("contractor", _enterprise(n))
    return ContractFactory(signed_on=days_ago(100 + n), **kwargs)


def _contract_facts(contract):
    return [contract.contractor.name, yuan(contract.amount), contract.signed_on.isoformat()]


def case_not_tendered(n):
    contract = _contract(n, procurement_method="direct", amount=Decimal(5000000 + 1000 * n))
    return contract, _contract_facts(contract)


def case_no_integrity(n):
    contract = _contract(n, integrity_contract=False)
    return contract, _contract_facts(contract)


def case_change_orders(n):
    contract = _contract(n)
    ChangeOrderFactory(contract=contract, amount=contract.amount / 5, changed_on=days_ago(10))
    return contract, _contract_facts(contract)


def case_splitting(n):
    first = _contract(n, amount=Decimal(2500000))
    contract = _contract(n, project=first.project, contractor=first.contractor, amount=Decimal(2000000 + n))
    return contract, _contract_facts(contract)


def case_contract_conflict(n):
    tie = OfficialTieFactory(enterprise=_enterprise(n))
    contract = _contract(n, contractor=tie.enterprise, project__park=tie.official.park)
    return contract, _contract_facts(contract)


def case_review_overdue(n):
    point = RiskPointFactory(description=f"招投标风险{n}", review_on=days_ago(5 + n))
    return point, [point.description, point.review_on.isoformat()]


def case_task_overdue(n):
    finding = FindingFactory(description=f"拨付迟缓{n}", found_on=days_ago(60), responsible_unit=f"财政金融局{n}")
    task = TaskFactory(finding=finding, deadline=days_ago(5 + n))
    return task, [finding.description, finding.responsible_unit, task.deadline.isoformat()]


def case_score_drop(n):
    from monitoring.periods import Period
    from tests.factories import ParkFactory
    from tests.monitoring.conftest import make_report

    last = Period.containing(timezone.localdate()).previous()
    point = EnterpriseFactory(park=ParkFactory(), is_monitoring_point=True)
    make_report(point, last.previous().start, {"policy": 5})
    make_report(point, last.start, {"policy": 4 - n})
    return point.park, ["政策兑现", "5.00", f"{4 - n}.00", last.label(), last.previous().label()]


def _registration(n, **kwargs):
    """A contact registration (conduct) with a new enterprise, filed by an officer of its park."""
    from accounts.choices import Role
    from conduct.models import ContactRegistration
    from tests.factories import UserFactory

    enterprise = _enterprise(n)
    official = UserFactory(role=Role.PARK_OFFICER, parks=[enterprise.park], name=f"干部{n}")
    return ContactRegistration.objects.create(
        park=enterprise.park, enterprise=enterprise, official=official, contact_on=days_ago(120 + n),
        place="会议室", purpose="走访", **kwargs,
    )  # fmt: skip


def case_contact_then_benefit(n):
    registration = _registration(n)
    subsidy = _subsidy(n, enterprise=registration.enterprise)  # 100 + n days ago: 20 days after the contact
    facts = [registration.enterprise.name, yuan(subsidy.approved_amount), registration.contact_on.isoformat()]
    return registration, facts


def case_contact_undeclared_tie(n):
    registration = _registration(n)
    OfficialTieFactory(enterprise=registration.enterprise, official__park=registration.park)
    return registration, [registration.enterprise.name, registration.official.name, registration.contact_on.isoformat()]


# The collision rules (collisions/rules.py) join this registry too: their texts name both sides.


def case_bid_rigging(n):
    first = _contract(n)
    other = _contract(n, project=first.project, contractor=EnterpriseFactory(name=f"另一企业{n}号"))
    register(first.contractor, rep=("甲", 300 + n), shareholders=[(f"李{n}红", 310 + n)])
    register(other.contractor, rep=("乙", 320 + n), shareholders=[(f"李{n}红", 310 + n)])
    return first.project, [first.contractor.name, first.project.name, other.contractor.name, "李**"]


def case_subsidy_tie(n):
    subsidy = _subsidy(n)
    official = OfficialFactory(park=subsidy.park, name=f"孙{n}某")
    register(subsidy.enterprise, rep=(f"孙小{n}", 330 + n))
    relative(official, f"孙小{n}", 330 + n, relation="child")
    return subsidy, [subsidy.enterprise.name, subsidy.policy, official.name, "孙**"]


def case_contract_tie(n):
    contract = _contract(n)
    official = OfficialFactory(park=contract.project.park, name=f"吴{n}某")
    register(contract.contractor, rep=(f"吴{n}某", 340 + n))
    relative(official, f"吴{n}某", 340 + n, relation="self")
    return contract, [contract.contractor.name, contract.number, official.name]


def case_ghost_recipient(n):
    subsidy = _subsidy(n)
    register(subsidy.enterprise, rep=("丁", 350 + n), status="deregistered", deregistered_on=days_ago(200 + n))
    return subsidy, [subsidy.enterprise.name, subsidy.approved_on.isoformat(), days_ago(200 + n).isoformat()]


def case_shell_cluster(n):
    subsidy = _subsidy(n, policy=f"稳岗补贴{n}")
    other = SubsidyFactory(enterprise=EnterpriseFactory(park=subsidy.park, name=f"同址企业{n}号"), park=subsidy.park,
                           policy=subsidy.policy, period=subsidy.period)  # fmt: skip
    register(subsidy.enterprise, rep=("戊", 360 + n), address=f"创业大道{n}号")
    register(other.enterprise, rep=("己", 370 + n), address=f"创业大道{n}號")
    return subsidy, [subsidy.enterprise.name, subsidy.policy, other.enterprise.name, f"创业大道{n}号"]


CASES = {
    "subsidy_not_landed": case_not_landed,
    "subsidy_overpaid": case_overpaid,
    "subsidy_duplicate": case_duplicate,
    "subsidy_conflict": case_subsidy_conflict,
    "decision_not_collective": case_not_collective,
    "decision_no_quorum": case_no_quorum,
    "decision_no_minutes": case_no_minutes,
    "decision_after_spending": case_after_spending,
    "contract_direct_award": case_not_tendered,
    "contract_no_integrity": case_no_integrity,
    "contract_change_orders": case_change_orders,
    "contract_splitting": case_splitting,
    "contract_conflict": case_contract_conflict,
    "riskpoint_review_overdue": case_review_overdue,
    "task_overdue": case_task_overdue,
    "monitoring_score_drop": case_score_drop,
    "contact_then_benefit": case_contact_then_benefit,
    "contact_undeclared_tie": case_contact_undeclared_tie,
    "collision_bid_rigging": case_bid_rigging,
    "collision_subsidy_tie": case_subsidy_tie,
    "collision_contract_tie": case_contract_tie,
    "collision_ghost_recipient": case_ghost_recipient,
    "collision_shell_cluster": case_shell_cluster,
}


def test_every_rule_has_a_text_case():
    assert set(CASES) == set(REGISTRY)


@pytest.mark.parametrize("code", sorted(CASES))
def test_alert_texts_name_the_enterprise_the_amounts_and_the_dates(code):
    rows = [CASES[code](n) for n in (1, 2)]
    run(code)
    texts = []
    for obj, fragments in rows:
        text = live(code, obj).get().explanation
        for fragment in fragments:
            assert fragment in text, (fragment, text)
        texts.append(text)
    assert texts[0] != texts[1]


def test_an_overdue_task_alert_is_listed_and_links_its_task(client, world):
    finding = FindingFactory(park=world["park_a"], found_on=days_ago(60))
    task = TaskFactory(finding=finding, owner=world["officer"], deadline=days_ago(3))
    run("task_overdue")
    alert = live("task_overdue", task).get()
    client.force_login(world["inspector"])
    assert "整改任务逾期" in client.get(reverse("risks:alert-list")).content.decode()
    page = client.get(alert.get_absolute_url())
    assert page.status_code == 200 and task.get_absolute_url() in page.content.decode()
    # Officers see the park's alerts, but a task only if it is theirs: alerts about tasks are not theirs to read.
    client.force_login(world["officer"])
    assert client.get(alert.get_absolute_url()).status_code == 404
    assert not Alert.objects.visible_to(world["officer"]).filter(rule="task_overdue").exists()
