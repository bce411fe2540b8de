"""Demo monitoring reports: every monitoring point of every active park reports for the four periods before
the current one; the current period is left open (the demo ``enterprise`` user, a monitoring point of
平顶山高新区, has it to file). In 平顶山高新区 the "四风" question's average falls by more than a point in the
last reported period, which raises the score-drop alert. Idempotent: a report that exists is kept."""

import datetime
import hashlib
import importlib

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import Enterprise, Park
from risks.engine import evaluate

from .models import Answer, MonitoringReport, point_q
from .periods import Period
from .rules import MonitoringScoreDrop
from .selectors import active_questionnaire

DROP_PARK = "PDS-GXQ"
DROP_QUESTION = "four_winds"
PROBLEMS = ["", "", "办理施工许可时被要求多次补充材料，希望一次告知。", ""]


def _score(*parts) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return 3 + digest[0] % 3  # 3, 4 or 5


def ensure_default_questionnaire():
    """The active questionnaire; the default one again where the tables were emptied since the migration
    installed it (a test database flushed between tests)."""
    if active_questionnaire() is None:
        importlib.import_module("monitoring.migrations.0002_default_questionnaire").install(apps, None)
    return active_questionnaire()


def seed(stdout) -> None:
    questionnaire = ensure_default_questionnaire()
    today = timezone.localdate()
    current = Period.containing(today)
    periods = [current.previous()]
    while len(periods) < 4:
        periods.insert(0, periods[0].previous())
    created = 0
    for enterprise in Enterprise.objects.filter(point_q(), park__is_active=True).select_related("park"):
        for index, period in enumerate(periods):
            if MonitoringReport.objects.filter(enterprise=enterprise, period=period.start).exists():
                continue
            filed_at = timezone.make_aware(datetime.datetime.combine(period.end, datetime.time(10, 0)))
            report = MonitoringReport.objects.create(
                enterprise=enterprise,
                park=enterprise.park,
                period=period.start,
                period_months=period.months,
                questionnaire=questionnaire,
                problem=PROBLEMS[(enterprise.pk + index) % len(PROBLEMS)],
                filed_at=filed_at,
                due_on=period.due_on(),
            )
            last = index == len(periods) - 1
            Answer.objects.bulk_create(
                Answer(
                    report=report,
                    question=question,
                    score=(1 + enterprise.pk % 2)
                    if last and enterprise.park.code == DROP_PARK and question.code == DROP_QUESTION
                    else _score(enterprise.pk, period.start, question.code),
                    note="",
                )
                for question in questionnaire.questions.all()
            )
            created += 1
    evaluate(MonitoringScoreDrop, park_ids=list(Park.objects.values_list("pk", flat=True)))
    stdout.write(_("Monitoring points: %(count)d demo reports added.") % {"count": created})
