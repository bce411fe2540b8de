"""A demo campaign under way over every active demo park (惠企奖补资金发放专项整治) with its checklist returns
in each state, findings of 平顶山高新区 tagged to it, and a second campaign still in preparation. Seeded once."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inspections.models import Finding
from parks.models import Park

from . import services
from .choices import AnswerResult, ReturnStatus
from .models import Campaign, CampaignFinding, ParkReturn

CHECKLIST = [
    "奖补政策是否按规定程序制定并公开",
    "奖补资金是否经集体研究决策后拨付",
    "是否存在批准后超过30日未拨付的资金",
    "是否存在同一企业同一政策重复申领",
    "经办人员是否与申领企业存在利益关联",
]


def seed(stdout) -> None:
    if Campaign.objects.exists():
        stdout.write(_("Demo campaigns: already there, left alone."))
        return
    today = timezone.localdate()
    admin, inspector = User.objects.get(username="admin"), User.objects.get(username="inspector")
    officer = User.objects.get(username="officer")
    parks = list(Park.objects.filter(is_active=True).order_by("code"))
    campaign = services.campaign_save(
        actor=admin,
        campaign=Campaign(
            name="惠企奖补资金发放专项整治", theme="subsidies", starts_on=today - datetime.timedelta(days=20),
            ends_on=today + datetime.timedelta(days=70), lead_unit="市纪委监委第三监督检查室",
            rules=["subsidy_not_landed", "subsidy_duplicate", "subsidy_conflict"], ledgers=["subsidies", "officials"],
        ),
        parks=parks,
    )  # fmt: skip
    for text in CHECKLIST:
        services.checklist_item_add(actor=admin, campaign=campaign, text=text)
    services.campaign_launch(actor=admin, campaign=campaign, today=today - datetime.timedelta(days=14))
    states = [ReturnStatus.SUBMITTED, ReturnStatus.PASSED, ReturnStatus.RETURNED]
    for n, park_return in enumerate(ParkReturn.objects.filter(campaign=campaign).exclude(park__code="PDS-GXQ")):
        _answer_all(park_return)
        status = states[n % len(states)]
        ParkReturn.objects.filter(pk=park_return.pk).update(
            status=status,
            submitted_at=timezone.now(),
            reviewed_at=timezone.now() if status != ReturnStatus.SUBMITTED else None,
            return_reason="第3项未说明核查范围，请补充" if status == ReturnStatus.RETURNED else "",
        )
    gxq = ParkReturn.objects.get(campaign=campaign, park__code="PDS-GXQ")
    first = gxq.answers.order_by("item__position").first()
    services.return_fill(actor=officer, park_return=gxq, answers={first.pk: {"result": AnswerResult.DONE}})
    for finding in Finding.objects.filter(park__code="PDS-GXQ", category__in=["incentives", "projects"]):
        CampaignFinding.objects.create(campaign=campaign, finding=finding, tagged_by=inspector)
    draft = services.campaign_save(
        actor=admin,
        campaign=Campaign(
            name="违规吃喝问题专项治理", theme="banquets", starts_on=today + datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=100), lead_unit="市纪委监委党风政风监督室",
        ),
        parks=parks[:2],
    )  # fmt: skip
    services.checklist_item_add(actor=admin, campaign=draft, text="是否存在公款吃喝、违规接受宴请")
    stdout.write(_("Demo campaigns: ready."))


def _answer_all(park_return: ParkReturn) -> None:
    for n, answer in enumerate(park_return.answers.order_by("item__position")):
        answer.result = AnswerResult.PROBLEM if n == 2 else AnswerResult.DONE
        answer.note = "发现2笔资金批准后超过30日未拨付，已督促拨付" if n == 2 else ""
        answer.save()
