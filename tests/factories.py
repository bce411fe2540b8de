import factory
from factory.django import DjangoModelFactory

from accounts.choices import Role
from accounts.models import User
from parks.choices import ParkKind, ParkLevel
from parks.credit_code import CHARSET, check_character
from parks.models import Enterprise, Liaison, Park


def valid_credit_code(n: int) -> str:
    body = "91410400" + "".join(CHARSET[(n // len(CHARSET) ** i) % len(CHARSET)] for i in range(9))
    return body + check_character(body)


class ParkFactory(DjangoModelFactory):
    class Meta:
        model = Park

    code = factory.Sequence(lambda n: f"PARK-{n:03d}")
    name = factory.Sequence(lambda n: f"测试产业园区{n}")
    level = ParkLevel.PROVINCIAL
    kind = ParkKind.INDUSTRIAL
    region = "河南省平顶山市"


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(valid_credit_code)
    name = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    park = factory.SubFactory(ParkFactory)
    industry = "智能制造"
    legal_representative = "张三"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.INSPECTOR
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def parks(self, create, extracted, **kwargs):
        if create and extracted:
            self.parks.set(extracted)


class LiaisonFactory(DjangoModelFactory):
    class Meta:
        model = Liaison

    member = factory.SubFactory(UserFactory, role=Role.INSPECTOR)
    enterprise = factory.SubFactory(EnterpriseFactory)


# --- risks ---------------------------------------------------------------------------------------------

import datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.utils import timezone  # noqa: E402

from risks.models import (  # noqa: E402
    Bid,
    ChangeOrder,
    Contract,
    Decision,
    Official,
    OfficialTie,
    Project,
    RiskPoint,
    Subsidy,
    SubsidyPayment,
)


class RiskPointFactory(DjangoModelFactory):
    class Meta:
        model = RiskPoint

    park = factory.SubFactory(ParkFactory)
    domain = "projects"
    description = "工程招投标环节存在围标串标风险"
    likelihood = 3
    impact = 4
    measures = "严格执行招投标程序"
    department = "规划建设局"
    owner = "王五"
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    park = factory.SubFactory(ParkFactory)
    kind = "large_funds"
    subject = "园区道路改造资金使用"
    amount = Decimal("800000.00")
    meeting_kind = "party_committee"
    meeting_on = datetime.date(2026, 3, 2)
    members_entitled = 9
    members_present = 7
    outcome = "approved"
    has_minutes = True
    executed_on = datetime.date(2026, 3, 10)


class SubsidyFactory(DjangoModelFactory):
    class Meta:
        model = Subsidy

    enterprise = factory.SubFactory(EnterpriseFactory)
    park = factory.SelfAttribute("enterprise.park")
    policy = "研发投入奖补"
    period = "2026"
    approved_amount = Decimal("100000.00")
    approved_on = datetime.date(2026, 3, 1)


class SubsidyPaymentFactory(DjangoModelFactory):
    class Meta:
        model = SubsidyPayment

    subsidy = factory.SubFactory(SubsidyFactory)
    park = factory.SelfAttribute("subsidy.park")
    paid_on = datetime.date(2026, 3, 15)
    amount = Decimal("100000.00")
    voucher_no = factory.Sequence(lambda n: f"PZ{n:06d}")


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    park = factory.SubFactory(ParkFactory)
    name = factory.Sequence(lambda n: f"标准厂房建设项目{n}")
    budget = Decimal("20000000.00")


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: f"HT-2026-{n:04d}")
    contractor = factory.SubFactory(EnterpriseFactory, park=factory.SelfAttribute("..project.park"))
    procurement_method = "open_tender"
    amount = Decimal("1000000.00")
    signed_on = datetime.date(2026, 4, 1)
    integrity_contract = True


class BidFactory(DjangoModelFactory):
    class Meta:
        model = Bid

    project = factory.SubFactory(ProjectFactory)
    enterprise = factory.SubFactory(EnterpriseFactory, park=factory.SelfAttribute("..project.park"))
    amount = Decimal("990000.00")
    submitted_on = datetime.date(2026, 3, 15)
    won = False


class ChangeOrderFactory(DjangoModelFactory):
    class Meta:
        model = ChangeOrder

    contract = factory.SubFactory(ContractFactory)
    amount = Decimal("50000.00")
    changed_on = datetime.date(2026, 5, 1)
    reason = "设计变更"


class OfficialFactory(DjangoModelFactory):
    class Meta:
        model = Official

    park = factory.SubFactory(ParkFactory)
    name = "刘某"
    position = "管委会副主任"


class OfficialTieFactory(DjangoModelFactory):
    class Meta:
        model = OfficialTie

    official = factory.SubFactory(OfficialFactory)
    enterprise = factory.SubFactory(EnterpriseFactory, park=factory.SelfAttribute("..official.park"))
    relation = "spouse"


# --- inspections ---------------------------------------------------------------------------------------

from inspections.models import Finding, Inspection, RectificationTask  # noqa: E402


class InspectionFactory(DjangoModelFactory):
    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    kind = "special_tour"
    title = factory.Sequence(lambda n: f"专项巡察{n}")
    starts_on = datetime.date(2026, 1, 5)

    @factory.post_generation
    def parks(self, create, extracted, **kwargs):
        if create and extracted:
            self.parks.set(extracted)


class FindingFactory(DjangoModelFactory):
    class Meta:
        model = Finding

    park = factory.SubFactory(ParkFactory)
    description = "奖补资金拨付迟缓"
    category = "incentives"
    responsible_unit = "财政金融局"
    found_on = datetime.date(2026, 1, 10)


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = RectificationTask

    finding = factory.SubFactory(FindingFactory)
    park = factory.SelfAttribute("finding.park")  # always the finding's (RectificationTask.save sets it too)
    owner = factory.SubFactory(UserFactory, role=Role.PARK_OFFICER)
    measures = "完善拨付流程"
    deadline = datetime.date(2026, 3, 2)
