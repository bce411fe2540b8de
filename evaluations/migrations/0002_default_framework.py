"""The default 清廉园区 framework (100 points, four dimensions, a negative list), so that a new
installation can evaluate at once. Commission admins edit it in the admin; this runs only on an empty
framework."""

from decimal import Decimal

from django.db import migrations

INDICATORS = [
    ("political", "党工委落实全面从严治党主体责任情况", "10", "", "1", "查阅会议记录、责任清单，按落实程度评分。"),
    ("political", "“三重一大”集体决策制度执行", "10", "decision_breaches", "2", "每发现一项未集体决策、人数不足、无纪要或先执行后决策的预警扣 2 分。"),
    ("political", "廉政风险排查与防控", "5", "", "1", "风险台账完整、定期复核、防控措施落实。"),
    ("responsibility", "整改按期完成率", "10", "rectification_on_time", "1", "当年到期的整改任务按期销号的比例 × 10。"),
    ("responsibility", "权力运行公开透明、制度建设", "10", "", "1", "制度清单、权力清单公开，合同闭环管理等。"),
    ("responsibility", "高等级预警处置", "5", "open_high_alerts", "1", "每条未处置的高等级预警扣 1 分。"),
    ("relations", "投诉按时答复率（有诉即应）", "10", "complaint_on_time", "1", "当年投诉按时答复的比例 × 10。"),
    ("relations", "企业满意率", "10", "satisfaction", "1", "满意和基本满意的评价占比 × 10。"),
    ("relations", "惠企奖补资金落地", "10", "subsidies_not_landed", "2", "每笔奖补资金未落地扣 2 分。"),
    ("cadres", "干部作风与纪律教育", "10", "", "1", "警示教育、廉政谈话、作风建设情况。"),
    ("cadres", "问题线索查处与“四种形态”运用", "10", "", "1", "问题线索处置及时、“四种形态”运用精准。"),
]

NEGATIVES = [
    ("political", "发生领导干部严重违纪违法案件", "10"),
    ("cadres", "被上级通报“吃拿卡要”、违规吃喝等作风问题", "5"),
    ("responsibility", "重大项目发生廉政事故或审计发现重大违规", "5"),
    ("relations", "扰企、破坏营商环境问题被查实", "5"),
]


def install(apps, schema_editor):
    Indicator = apps.get_model("evaluations", "Indicator")
    NegativeItem = apps.get_model("evaluations", "NegativeItem")
    if not Indicator.objects.exists():
        for order, (dimension, name, points, source, penalty, guidance) in enumerate(INDICATORS):
            Indicator.objects.create(
                dimension=dimension, name=name, max_score=Decimal(points), source=source,
                penalty_per_item=Decimal(penalty), guidance=guidance, order=order,
            )  # fmt: skip
    if not NegativeItem.objects.exists():
        for dimension, name, deduction in NEGATIVES:
            NegativeItem.objects.create(dimension=dimension, name=name, deduction=Decimal(deduction))


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
