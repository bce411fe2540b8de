"""The default questionnaire (version 1, published and active): data, which commission admins revise in the
admin (a revision is the next version)."""

from django.db import migrations
from django.utils import timezone

QUESTIONS = [
    ("efficiency", "办事效率：到园区职能部门办事是否顺畅、及时"),
    ("policy", "政策兑现：惠企政策、承诺事项是否兑现到位"),
    ("four_winds", "吃拿卡要/“四风”问题：有无吃拿卡要、推诿扯皮、违规吃喝等"),
    ("inspections", "涉企检查：检查是否规范、适度，有无重复检查、随意检查"),
    ("difficulties", "融资/用工困难：融资、用工等困难是否得到帮助解决"),
]


def install(apps, schema_editor):
    Questionnaire = apps.get_model("monitoring", "Questionnaire")
    Question = apps.get_model("monitoring", "Question")
    if Questionnaire.objects.exists():
        return
    questionnaire = Questionnaire.objects.create(
        version=1, is_active=True, published_at=timezone.now(), note="默认问卷（评分1–5分，可附说明）"
    )
    Question.objects.bulk_create(
        Question(questionnaire=questionnaire, code=code, text=text, order=index * 10, kind="score")
        for index, (code, text) in enumerate(QUESTIONS, start=1)
    )


def remove(apps, schema_editor):
    apps.get_model("monitoring", "Questionnaire").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_monitoring_points")]

    operations = [migrations.RunPython(install, remove)]
