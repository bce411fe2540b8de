"""Demo complaints in every state of the workflow (some overdue, some rated), written through the same
services as the pages, with dates in the past. Seeded once: a second run leaves them alone."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from parks.models import Park

from . import services, tracking
from .choices import Category, Channel, Rating
from .models import Complaint

# Printed by seed_demo so a newcomer can follow and rate a replied complaint at /track/.
DEMO_TRACKING_CODE = "DEM0-7KQ3-M9XD-4HBT"


def _at(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed(stdout) -> None:
    if Complaint.objects.exists():
        stdout.write(_("Demo complaints: already there, left alone."))
        return
    park = Park.objects.get(code="PDS-GXQ")
    other = Park.objects.get(code="CZ-GXQ")
    inspector, officer = User.objects.get(username="inspector"), User.objects.get(username="officer")
    admin = User.objects.get(username="admin")
    firm = User.objects.get(username="enterprise")

    def submit(days_ago, category, subject, description, *, park=park, anonymous=False, user=None, **kwargs):
        return services.complaint_submit(
            park=park,
            category=category,
            subject=subject,
            description=description,
            demand=kwargs.pop("demand", ""),
            is_anonymous=anonymous,
            contact_name=kwargs.pop("name", "" if anonymous else "赵先生"),
            contact_phone=kwargs.pop("phone", "" if anonymous else "13900001111"),
            user=user,
            now=_at(days_ago),
            **kwargs,
        ).complaint

    # Waiting to be accepted: one fresh, one overdue.
    submit(0, Category.ARBITRARY_FEES, "高新区规划建设局", "办理施工许可时被要求缴纳没有文件依据的“服务费”两万元。",
           anonymous=True, channel=Channel.QR)  # fmt: skip
    submit(6, Category.NOT_HANDLED, "高新区政务服务中心", "厂房消防验收申请提交两个月仍无答复，多次询问均称“等通知”。",
           demand="请尽快组织验收或告知不能验收的原因。")  # fmt: skip

    # Accepted, not yet assigned.
    c = submit(
        4,
        Category.POLICY_NOT_DELIVERED,
        "高新区经济发展局",
        "2025年度研发投入奖补已公示半年，资金至今未拨付。",
        user=firm,
    )
    services.complaint_accept(complaint=c, actor=inspector, now=_at(3))

    # Assigned long ago and never replied: overdue.
    c = submit(16, Category.WORK_STYLE, "高新区招商服务中心", "工作人员多次推诿，要求企业反复提交相同材料。")
    services.complaint_accept(complaint=c, actor=inspector, now=_at(15))
    services.complaint_assign(
        complaint=c, actor=inspector, officer=officer, instructions="请核实并于期限内答复。", now=_at(15)
    )

    # Being handled.
    c = submit(
        3, Category.DISTURBING, "某执法大队", "一周内三次以检查为名到企业生产车间，影响正常生产。", anonymous=True
    )
    services.complaint_accept(complaint=c, actor=inspector, now=_at(3, 15))
    services.complaint_assign(complaint=c, actor=inspector, officer=officer, now=_at(2))
    services.complaint_start(complaint=c, actor=officer, now=_at(2, 14))

    # Replied, waiting for the complainant's rating — the one behind the printed demo code.
    c = submit(
        9,
        Category.NOT_HANDLED,
        "高新区不动产登记窗口",
        "土地证办理材料齐全，窗口以“系统故障”为由拒收三次。",
        anonymous=True,
    )
    services.complaint_accept(complaint=c, actor=inspector, now=_at(9, 16))
    services.complaint_assign(complaint=c, actor=inspector, officer=officer, now=_at(8))
    services.complaint_reply(
        complaint=c, actor=officer, text="经核实，系统已于本周修复，已电话联系企业预约办理，明日即可受理。", now=_at(6)
    )
    Complaint.objects.filter(pk=c.pk).update(tracking_digest=tracking.digest(DEMO_TRACKING_CODE))

    # Replied, rated satisfied, closed.
    c = submit(20, Category.FAVOURS, "高新区某科室工作人员", "办理环评备案时暗示需要“表示一下”。", user=firm)
    services.complaint_accept(complaint=c, actor=inspector, now=_at(20, 15))
    services.complaint_assign(complaint=c, actor=inspector, officer=officer, now=_at(19))
    services.complaint_reply(complaint=c, actor=officer, text="已对相关人员进行提醒谈话，备案已当场办结。", now=_at(16))
    services.complaint_rate(complaint=c, rating=Rating.SATISFIED, comment="处理及时。", now=_at(15))  # closes it

    # Not satisfied: reopened once and being handled again.
    c = submit(
        12, Category.POLICY_NOT_DELIVERED, "高新区财政金融局", "申请的稳岗补贴被告知“额度已满”，但未见任何公示。"
    )
    services.complaint_accept(complaint=c, actor=inspector, now=_at(12, 15))
    services.complaint_assign(complaint=c, actor=inspector, officer=officer, now=_at(11))
    services.complaint_reply(complaint=c, actor=officer, text="补贴额度以年度预算为准，今年额度已用完。", now=_at(8))
    services.complaint_rate(
        complaint=c, rating=Rating.NOT_SATISFIED, comment="没有回答为什么不公示，也没有说明明年如何申请。", now=_at(7)
    )

    # Not accepted, with the reason the complainant sees.
    c = submit(10, Category.OTHER, "某商业银行", "贷款审批慢。", anonymous=True)
    services.complaint_reject(
        complaint=c, actor=inspector, reason="反映事项属金融机构经营行为，不属于纪检监察机关受理范围，建议向金融监管部门反映。", now=_at(10, 16)
    )  # fmt: skip

    # In another park: handled by the commission itself, rated fairly satisfied and closed.
    c = submit(
        25, Category.DINING_GIFTS, "郴州高新区某部门负责人", "中秋前收受企业购物卡。", park=other, anonymous=True
    )
    services.complaint_accept(complaint=c, actor=admin, now=_at(25, 15))
    services.complaint_reply(
        complaint=c, actor=admin, text="已立案调查，相关人员已被约谈，调查结果将依规处理。", now=_at(18)
    )
    services.complaint_rate(complaint=c, rating=Rating.FAIRLY_SATISFIED, now=_at(17))  # closes it

    stdout.write(
        _("Demo complaints: %(count)d; follow a replied one at /track/ with the code %(code)s")
        % {"count": Complaint.objects.count(), "code": DEMO_TRACKING_CODE}
    )
