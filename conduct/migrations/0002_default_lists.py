"""The default 政商交往 positive and negative lists, for every park (commission admins edit them as data)."""

from django.db import migrations

POSITIVE = [
    ("正-1", "主动上门服务，了解企业生产经营情况和困难诉求"),
    ("正-2", "开展政策宣讲，帮助企业知晓、用足惠企政策"),
    ("正-3", "协调解决企业在用地、融资、用工等方面的困难"),
    ("正-4", "依法依规高效办理企业申请事项，限时办结"),
    ("正-5", "公开透明兑现奖补资金，及时告知办理进度"),
    ("正-6", "听取企业对园区营商环境的意见建议并及时反馈"),
]

NEGATIVE = [
    ("负-1", "接受企业宴请或由企业支付餐费", "banquet"),
    ("负-2", "收受企业礼品、礼金、消费卡、有价证券", "gift"),
    ("负-3", "由企业支付或报销差旅、考察费用", "travel"),
    ("负-4", "插手干预企业参与的工程项目招投标", "bidding"),
    ("负-5", "在企业兼职取酬或借用企业车辆、房产", "other"),
    ("负-6", "向企业推销产品、介绍业务或摊派费用", "other"),
]


def install(apps, schema_editor):
    Item = apps.get_model("conduct", "ConductListItem")
    rows = [Item(list_kind="positive", code=code, text=text, order=n) for n, (code, text) in enumerate(POSITIVE, 1)]
    rows += [
        Item(list_kind="negative", code=code, text=text, negative_kind=kind, order=n)
        for n, (code, text, kind) in enumerate(NEGATIVE, 1)
    ]
    for row in rows:
        if not Item.objects.filter(list_kind=row.list_kind, park__isnull=True, code=row.code).exists():
            row.save()


def remove(apps, schema_editor):
    Item = apps.get_model("conduct", "ConductListItem")
    codes = [code for code, *_rest in POSITIVE + NEGATIVE]
    Item.objects.filter(park__isnull=True, code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("conduct", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
