"""Demo 政商交往 registrations and 清廉文化 activities in every demo park: an ordinary contact, a self-report
(a meal the enterprise paid for), a contact followed 25 days later by a subsidy approval (the 90-day rule
fires), a contact with the tied enterprise that declares the tie; and three activities. The default lists
come with migration 0002. Seeded once."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from parks.models import Enterprise, Park
from risks.engine import evaluate
from risks.models import Official

from . import services
from .models import ContactRegistration, IntegrityActivity
from .rules import ContactThenBenefit, UndeclaredTie


def seed(stdout) -> None:
    if ContactRegistration.objects.exists() or IntegrityActivity.objects.exists():
        stdout.write(_("Demo conduct registrations and activities: already there, left alone."))
        return
    admin = User.objects.get(username="admin")
    for park in Park.objects.order_by("code"):
        firms = list(Enterprise.objects.filter(park=park).order_by("pk"))
        if len(firms) >= 4:
            _seed_park(park, firms, _official(park), admin)
    for rule in (ContactThenBenefit, UndeclaredTie):
        evaluate(rule)
    stdout.write(_("Demo conduct registrations and activities: %(parks)d parks.") % {"parks": Park.objects.count()})


def _official(park: Park) -> User:
    """The demo officer in their park; elsewhere a demo official of the park, who cannot log in."""
    officer = User.objects.filter(username="officer", parks=park).first()
    if officer is not None:
        return officer
    official, created = User.objects.get_or_create(
        username=f"{park.code}干部",  # a park code and Chinese: nothing an English-word check would flag
        defaults={"name": f"{park.name}干部", "role": Role.PARK_OFFICER, "department": park.management_committee},
    )
    if created:
        official.set_unusable_password()
        official.save(update_fields=["password"])
        official.parks.add(park)
    return official


def _seed_park(park: Park, firms: list[Enterprise], official: User, admin: User) -> None:
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    record = Official.objects.filter(park=park).first()
    rows = [
        {"enterprise": firms[2], "contact_on": ago(10), "place": "企业生产车间", "purpose": "上门了解技改项目进展，宣讲技术改造奖补政策",
             "meal_paid_by": "no_meal"},
        {"enterprise": firms[0], "contact_on": ago(30), "place": "园区附近餐馆", "purpose": "协调企业用电增容事宜，会后企业安排工作餐",
             "meal_paid_by": "enterprise", "self_reported": True},
        {"enterprise": firms[1], "contact_on": ago(100), "place": "管委会会议室", "purpose": "听取企业稳岗补贴申报中的困难",
             "meal_paid_by": "self", "gifts_offered": "茶叶两盒", "gifts_value": "600.00"},
        {"enterprise": firms[3], "contact_on": ago(20), "place": "管委会会议室", "purpose": "协调企业厂房消防验收",
             "meal_paid_by": "no_meal", "declares_tie": True, "tie_note": "该企业负责人为本园区领导干部亲属，已按规定报告"},
    ]  # fmt: skip
    for row in rows:
        services.registration_file(
            actor=official, registration=ContactRegistration(park=park, official_record=record, **row)
        )
    activities = [
        (ago(70), "warning", "观看警示教育片《镜鉴》", "cadres", 48),
        (ago(45), "lecture", "清廉讲堂：政商交往的边界", "enterprises", 36),
        (ago(15), "party_lesson", "廉政党课：守住底线 不越红线", "cadres", 52),
    ]
    for held_on, kind, title, audience, attendance in activities:
        services.activity_save(
            actor=admin,
            activity=IntegrityActivity(
                park=park, held_on=held_on, kind=kind, title=title, audience=audience, attendance=attendance
            ),
        )
