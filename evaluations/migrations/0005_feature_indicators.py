"""Indicators fed by the supervisors, monitoring points, 政商交往 registrations and 清廉文化 activities (issue 15).

On the untouched default framework (migration 0002, as installed) the new indicators come in use and the
framework stays at 100 points: points move from the indicators they refine (README, "The evaluation"). On a
framework a commission has edited they are added *not in use*: the commission decides where their points
come from and turns them on in the admin."""

from decimal import Decimal

from django.db import migrations

# (dimension, name, points, source, points per item, guidance)
NEW = [
    ("responsibility", "特约监察员廉情信息按时处置率", "3", "observations_handled", "1",
     "当年提交的廉情信息在时限内采纳或存档的比例 × 3。"),
    ("relations", "营商环境监测点按时报告率", "3", "monitoring_response_rate", "1",
     "已到期的监测报告中按期提交的比例 × 3。"),
    ("relations", "营商环境监测点评价得分", "3", "monitoring_average_score", "1",
     "监测报告各题平均分占满分（5 分）的比例 × 3。"),
    ("relations", "政商交往报备", "2", "conduct_registrations", "0.5",
     "当年每报备一次政商交往得 0.5 分，最高 2 分。"),
    ("relations", "触碰政商交往负面清单", "2", "conduct_negative_hits", "1",
     "每一次主动报告的负面清单事项或政商交往交叉比对预警扣 1 分。"),
    ("cadres", "清廉文化教育活动", "5", "conduct_activities", "1",
     "当年每开展一次警示教育、廉政党课、清廉讲堂、廉政谈话或集体约谈得 1 分，最高 5 分。"),
]

# The default's indicators whose points make room for the new ones: (name, points before, points after).
REBALANCE = [
    ("权力运行公开透明、制度建设", "10", "7"),
    ("投诉按时答复率（有诉即应）", "10", "7"),
    ("企业满意率", "10", "7"),
    ("惠企奖补资金落地", "10", "6"),
    ("干部作风与纪律教育", "10", "5"),
]
DEFAULT_INDICATORS = 11  # migration 0002


def _untouched_default(Indicator) -> bool:
    rows = Indicator.objects.all()
    if rows.count() != DEFAULT_INDICATORS or rows.filter(is_active=False).exists():
        return False
    return all(rows.filter(name=name, max_score=Decimal(before)).exists() for name, before, _ in REBALANCE)


def install(apps, schema_editor):
    Indicator = apps.get_model("evaluations", "Indicator")
    if not Indicator.objects.exists():
        return  # no framework at all: nothing to refine
    in_use = _untouched_default(Indicator)
    if in_use:
        for name, _, after in REBALANCE:
            Indicator.objects.filter(name=name).update(max_score=Decimal(after))
    last = max(Indicator.objects.values_list("order", flat=True), default=0)
    for offset, (dimension, name, points, source, per_item, guidance) in enumerate(NEW, start=1):
        if Indicator.objects.filter(source=source).exists():
            continue
        Indicator.objects.create(
            dimension=dimension, name=name, max_score=Decimal(points), source=source,
            penalty_per_item=Decimal(per_item), guidance=guidance, order=last + offset, is_active=in_use,
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0004_chinese_field_names")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
