"""Demo ledgers for every demo park: in each, every alert rule fires at least once, next to clean rows
that do not. Seeded once; the rules run before the seed ends."""

import datetime
from decimal import Decimal as D

from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import Enterprise, Park

from .engine import deferred_evaluation, evaluate_all
from .models import ChangeOrder, Contract, Decision, Official, OfficialTie, Project, RiskPoint, Subsidy, SubsidyPayment


def seed(stdout) -> None:
    if RiskPoint.objects.exists():
        stdout.write(_("Demo risk ledgers: already there, left alone."))
        return
    with deferred_evaluation():
        for park in Park.objects.order_by("code"):
            firms = list(Enterprise.objects.filter(park=park).order_by("pk"))
            if len(firms) >= 4:
                _seed_park(park, firms)
    # The rules run now, not after the commit: the demo's findings and evaluation read these alerts.
    evaluate_all()
    stdout.write(
        _("Demo risk ledgers: %(parks)d parks; the alert rules run as the data is saved.")
        % {"parks": Park.objects.count()}
    )


def _seed_park(park: Park, firms: list[Enterprise]) -> None:
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    code = park.code
    # Risk points: one of each level, one overdue for review.
    for domain, text, likelihood, impact, review in [
        ("projects", "工程项目招投标环节存在围标串标、量身定制资格条件的风险", 4, 5, ago(10)),
        ("incentives", "惠企政策兑现审核把关不严，可能虚报冒领", 3, 4, today + datetime.timedelta(days=60)),
        ("investment", "招商引资中违规承诺优惠条件", 2, 4, today + datetime.timedelta(days=90)),
        ("internal", "公务接待标准执行不严", 1, 3, today + datetime.timedelta(days=120)),
    ]:
        RiskPoint.objects.create(
            park=park, domain=domain, description=text, likelihood=likelihood, impact=impact,
            measures="建立台账、定期复核、关键岗位轮岗", department="纪工委", owner="赵某", review_on=review,
        )  # fmt: skip

    # 三重一大: clean ones and one breach of each rule.
    base = {"park": park, "meeting_kind": "party_committee", "members_entitled": 9, "outcome": "approved"}
    Decision.objects.create(**base, kind="large_funds", subject="标准化厂房建设资金拨付", amount=D("3200000"),
                            meeting_on=ago(60), members_present=8, has_minutes=True, executed_on=ago(50))  # fmt: skip
    Decision.objects.create(**base, kind="appointment", subject="招商局局长任免", meeting_on=ago(40),
                            members_present=7, has_minutes=True, executed_on=ago(38))  # fmt: skip
    Decision.objects.create(park=park, kind="large_funds", subject="园区亮化工程追加资金", amount=D("680000"),
                            executed_on=ago(20))  # fmt: skip
    Decision.objects.create(**base, kind="major_project", subject="智能制造产业园二期选址", meeting_on=ago(35),
                            members_present=5, has_minutes=True)  # fmt: skip
    Decision.objects.create(**base, kind="major_matter", subject="园区国有资产处置方案", meeting_on=ago(30),
                            members_present=8, has_minutes=False)  # fmt: skip
    Decision.objects.create(**base, kind="large_funds", subject="企业上市奖励资金兑现", amount=D("1000000"),
                            meeting_on=ago(25), members_present=8, has_minutes=True, executed_on=ago(28))  # fmt: skip
    Decision.objects.create(
        park=park, kind="large_funds", subject="办公用品采购", amount=D("86000"), executed_on=ago(15)
    )

    # Conflict-of-interest register: an official whose spouse runs firms[3].
    official = Official.objects.create(park=park, name="孙某", position="管委会副主任")
    OfficialTie.objects.create(official=official, enterprise=firms[3], relation="spouse", relative_name="钱某")

    # Subsidies: one fully paid, one not landed, one paid twice, one overpaid, one to the tied firm.
    def subsidy(firm, policy, period, amount, approved, payments):
        s = Subsidy.objects.create(
            park=park, enterprise=firm, policy=policy, period=period, approved_amount=D(amount), approved_on=approved
        )
        for n, (days, paid) in enumerate(payments):
            SubsidyPayment.objects.create(park=park, subsidy=s, paid_on=approved + datetime.timedelta(days=days),
                                          amount=D(paid), voucher_no=f"{code}-{s.pk}-{n + 1}")  # fmt: skip
        return s

    subsidy(firms[0], "研发投入后补助", "2025", "300000", ago(120), [(20, "300000")])
    subsidy(firms[1], "稳岗补贴", "2026Q2", "150000", ago(75), [(30, "50000")])
    subsidy(firms[2], "技术改造奖补", "2025", "200000", ago(200), [(15, "200000")])
    subsidy(firms[2], "技术改造奖补", "2025", "200000", ago(150), [(10, "200000")])
    subsidy(firms[0], "人才引进奖励", "2026", "80000", ago(90), [(5, "50000"), (20, "50000")])
    subsidy(firms[3], "首台套奖励", "2026", "500000", ago(40), [(10, "500000")])

    # Projects and contracts.
    clean = Project.objects.create(park=park, name="园区污水处理厂扩建工程", budget=D("12000000"), started_on=ago(300))
    Contract.objects.create(project=clean, number=f"{code}-HT-001", contractor=firms[0], procurement_method="open_tender",
                            amount=D("9800000"), signed_on=ago(280), integrity_contract=True, audit_status="audited")  # fmt: skip
    risky = Project.objects.create(park=park, name="创新创业中心装修改造工程", budget=D("8000000"), started_on=ago(150))
    Contract.objects.create(project=risky, number=f"{code}-HT-002", contractor=firms[1], procurement_method="direct",
                            amount=D("4500000"), signed_on=ago(140), integrity_contract=True)  # fmt: skip
    split_a = Contract.objects.create(project=risky, number=f"{code}-HT-003", contractor=firms[2], procurement_method="inquiry",
                                      amount=D("2200000"), signed_on=ago(100), integrity_contract=True)  # fmt: skip
    Contract.objects.create(project=risky, number=f"{code}-HT-004", contractor=firms[2], procurement_method="inquiry",
                            amount=D("1900000"), signed_on=ago(40), integrity_contract=True)  # fmt: skip
    changed = Contract.objects.create(project=risky, number=f"{code}-HT-005", contractor=firms[0], procurement_method="invited_tender",
                                      amount=D("3000000"), signed_on=ago(120), integrity_contract=False)  # fmt: skip
    ChangeOrder.objects.create(contract=changed, amount=D("200000"), changed_on=ago(90), reason="增加消防设施")
    ChangeOrder.objects.create(contract=changed, amount=D("180000"), changed_on=ago(45), reason="装修标准提高")
    ChangeOrder.objects.create(contract=split_a, amount=D("50000"), changed_on=ago(80), reason="材料调差")
    Contract.objects.create(project=risky, number=f"{code}-HT-006", contractor=firms[3], procurement_method="open_tender",
                            amount=D("1200000"), signed_on=ago(30), integrity_contract=True)  # fmt: skip
