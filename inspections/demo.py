"""Demo inspections, findings and rectification tasks with deadlines around today (due in 1, 3 and 7
working days, overdue, submitted, verified), visits and demands — so that `send_reminders` on a fresh
demo sends reminders. Seeded once."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.workdays import add_working_days, subtract_working_days
from parks.models import Enterprise, Park
from risks.engine import evaluate_all
from risks.models import Alert

from . import services
from .models import Demand, Finding, Inspection, RectificationTask, Visit


def seed(stdout) -> None:
    if Inspection.objects.exists():
        stdout.write(_("Demo inspections: already there, left alone."))
        return
    today = timezone.localdate()
    admin = User.objects.get(username="admin")
    inspector, officer = User.objects.get(username="inspector"), User.objects.get(username="officer")
    park = Park.objects.get(code="PDS-GXQ")
    nylon = Park.objects.get(code="PDS-NL")

    tour = Inspection.objects.create(
        kind="special_tour", title="平顶山高新区、尼龙新材料开发区专项巡察", starts_on=today - datetime.timedelta(days=60),
        ends_on=today - datetime.timedelta(days=30), status="rectification",
    )  # fmt: skip
    tour.parks.set([park, nylon])
    tour.team.set([inspector])
    joint = Inspection.objects.create(
        kind="joint", title="本月联合督查", starts_on=today - datetime.timedelta(days=5), status="in_progress"
    )
    joint.parks.set([park])
    joint.team.set([inspector])

    def finding(text, category, unit, severity="general"):
        return Finding.objects.create(
            park=park, inspection=tour, description=text, category=category, responsible_unit=unit, severity=severity,
            found_on=today - datetime.timedelta(days=40), created_by=inspector,
        )  # fmt: skip

    cases = [
        (
            "“三重一大”事项集体决策制度执行不严，部分大额资金未经集体研究",
            "funds",
            "园区党工委",
            add_working_days(today, 1),
            "assigned",
        ),
        (
            "惠企奖补资金拨付迟缓，部分资金批准后超过3个月未拨付",
            "incentives",
            "财政金融局",
            add_working_days(today, 3),
            "in_progress",
        ),
        ("工程项目廉政合同签订不全", "projects", "规划建设局", add_working_days(today, 7), "assigned"),
        ("审批窗口存在“吃拿卡要”苗头", "service", "政务服务中心", subtract_working_days(today, 1), "in_progress"),
        ("招商引资协议违规承诺税收返还", "investment", "招商局", subtract_working_days(today, 3), "returned"),
        ("合同变更管理不规范，变更未履行审批", "projects", "规划建设局", subtract_working_days(today, 7), "assigned"),
    ]
    for text, category, unit, deadline, status in cases:
        task = RectificationTask.objects.create(
            finding=finding(text, category, unit), owner=officer, deadline=deadline, status=status,
            measures="对照问题清单逐项整改，完善制度并报送整改材料",
            return_reason="整改材料不完整，请补充制度文件" if status == "returned" else "",
        )  # fmt: skip
        del task
    submitted = RectificationTask.objects.create(
        finding=finding("公务接待超标准", "internal", "办公室"), owner=officer, deadline=add_working_days(today, 5),
        status="submitted", measures="清退超标准费用", evidence="已清退超标准接待费用并通报", submitted_at=timezone.now(),
        recovered_losses=Decimal("12800"),
    )  # fmt: skip
    del submitted
    verified = RectificationTask.objects.create(
        finding=finding("不规范合同清理", "projects", "规划建设局", "serious"), owner=officer,
        deadline=today - datetime.timedelta(days=20), status="submitted", measures="清理不规范合同，追回多付工程款",
        evidence="已清理合同12份，追回多付工程款", submitted_at=timezone.now(), recovered_losses=Decimal("1350000"),
    )  # fmt: skip
    services.task_verify(actor=inspector, task=verified)
    services.measure_record(
        actor=inspector,
        measure=verified.measures_taken.model(
            task=verified, kind="four_forms", form=1, person="周某", position="规划建设局副局长", note="提醒谈话"
        ),
    )

    evaluate_all(park_ids=[park.pk])  # the ledgers' alerts exist before one of them becomes a finding
    alert = Alert.objects.filter(park=park, rule="contract_direct_award").first()
    if alert:
        services.finding_from_alert(actor=inspector, alert=alert)

    firms = list(Enterprise.objects.filter(park=park).order_by("pk")[:3])
    for n, firm in enumerate(firms):
        visit = Visit.objects.create(
            park=park, enterprise=firm, visitor=admin if n == 0 else inspector, campaign=("ten_thousand", "visit_solve", "one_to_one")[n],
            visited_on=today - datetime.timedelta(days=30 - n * 7), note="走访了解生产经营情况和困难诉求",
        )  # fmt: skip
        Demand.objects.create(visit=visit, kind="financing", description="流动资金紧张，希望对接银行信贷")
        Demand.objects.create(
            visit=visit, kind="approval", description="扩建项目环评审批进度慢",
            solved_on=today - datetime.timedelta(days=5) if n != 1 else None, solution="已协调审批部门开辟绿色通道" if n != 1 else "",
        )  # fmt: skip
    stdout.write(
        _("Demo inspections, rectification tasks and visits: ready; run `manage.py send_reminders` to see reminders.")
    )
