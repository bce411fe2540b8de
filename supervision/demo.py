"""Demo supervisors: `supervisor` (demo password) appointed to 平顶山高新区 and 尼龙新材料开发区, and a
supervisor without a login for each other demo park; in every park observations in each state (submitted,
asked back, accepted as a finding, filed away). Seeded once."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from inspections.models import Finding
from parks.demo import DEMO_PASSWORD, upsert
from parks.models import Park

from . import services
from .models import Appointment, Observation

CASES = [
    ("extortion", "审批窗口工作人员暗示企业“意思意思”才能加快办理", "政务服务中心二楼审批窗口", "政务服务中心审批科"),
    ("conduct", "工作日中午有干部在园区周边饭店饮酒", "园区东门餐馆", "经济发展局"),
    ("policy", "惠企奖补政策申报通知只在内部传达，多家企业不知情", "园区企业服务群", "财政金融局"),
    ("business", "企业反映涉企检查频繁，一个月内被不同部门检查四次", "园区北区标准厂房", "综合执法队"),
]


def _supervisor(username: str, name: str, *, login: bool) -> User:
    user, created = upsert(User, {"username": username}, {"name": name, "role": Role.SUPERVISOR})
    if created:
        if login:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def seed(stdout) -> None:
    if Appointment.objects.exists():
        stdout.write(_("Demo supervisors: already there, left alone."))
        return
    today = timezone.localdate()
    admin = User.objects.get(username="admin")
    term = {
        "starts_on": today.replace(month=1, day=1) - datetime.timedelta(days=365),
        "ends_on": today.replace(month=12, day=31),
    }
    main = _supervisor("supervisor", "赵监察", login=True)
    appointments = [(main, list(Park.objects.filter(code__in=["PDS-GXQ", "PDS-NL"])), "entrepreneur")]
    for n, park in enumerate(Park.objects.exclude(code__in=["PDS-GXQ", "PDS-NL"]).order_by("code"), start=1):
        appointments.append((_supervisor(f"supervisor-{n}", f"廉情监督员{n}号", login=False), [park], "sent_down"))
    for user, parks, source in appointments:
        appointment = Appointment(supervisor=user, source=source, **term)
        services.appointment_save(actor=admin, appointment=appointment, parks=parks)
        for park in parks:
            _observations(admin, user, park, today)
    stdout.write(_("Demo supervisors and their observations: ready."))


def _observations(admin: User, supervisor: User, park: Park, today: datetime.date) -> None:
    """One observation per state in ``park``: submitted, asked back, accepted, filed away."""
    made = []
    for n, (category, text, place, unit) in enumerate(CASES):
        observation = Observation(
            park=park, category=category, description=text, place=place, unit_named=unit,
            occurred_on=today - datetime.timedelta(days=10 + n),
        )  # fmt: skip
        made.append(services.observation_submit(actor=supervisor, observation=observation))
    services.observation_ask(actor=admin, observation=made[1], question="请补充具体时间和在场人员。")
    services.observation_accept(
        actor=admin,
        observation=made[2],
        finding=Finding(
            description=services.observation_finding_summary(made[2]),
            category="incentives",
            responsible_unit=CASES[2][3],
        ),
    )
    services.observation_file(actor=admin, observation=made[3], reason="已由园区纪工委专项检查核实处理，存档备查。")
