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
