import datetime

import pytest
from django.utils import timezone

from monitoring.models import Answer, MonitoringReport
from monitoring.periods import Period
from monitoring.selectors import active_questionnaire
from tests.factories import EnterpriseFactory


@pytest.fixture
def points(world):
    """Enterprise a (the world's enterprise user's) and a second enterprise are monitoring points of park A;
    enterprise b is one of park B; a third enterprise of park A is not a point."""
    for key in ("ent_a", "ent_b"):
        world[key].is_monitoring_point = True
        world[key].save()
    second = EnterpriseFactory(park=world["park_a"], is_four_winds_point=True)
    plain = EnterpriseFactory(park=world["park_a"])
    return {"a": world["ent_a"], "a2": second, "b": world["ent_b"], "plain": plain}


def make_report(enterprise, start: datetime.date, scores, *, problem=""):
    """A report of ``enterprise`` for the month starting ``start``: ``scores`` is one score for every
    question, or {code: score}."""
    questionnaire = ensure_questionnaire()
    period = Period(start)
    report = MonitoringReport.objects.create(
        enterprise=enterprise,
        park=enterprise.park,
        period=start,
        questionnaire=questionnaire,
        problem=problem,
        filed_at=timezone.make_aware(datetime.datetime.combine(period.end, datetime.time(9))),
        due_on=period.due_on(),
    )
    for question in questionnaire.questions.all():
        score = scores.get(question.code, 4) if isinstance(scores, dict) else scores
        Answer.objects.create(report=report, question=question, score=score)
    return report


def form_data(period: Period, *, scores=None, problem=""):
    data = {"period": period.start.isoformat(), "problem": problem}
    for question in active_questionnaire().questions.all():
        score = (scores or {}).get(question.code, 4)
        if score is not None:
            data[f"score_{question.code}"] = str(score)
        data[f"note_{question.code}"] = f"{question.code}的说明"
    return data


def ensure_questionnaire():
    """The default questionnaire, installed again where a transactional test emptied the tables."""
    from monitoring.demo import ensure_default_questionnaire

    return ensure_default_questionnaire()


@pytest.fixture(autouse=True)
def _default_questionnaire(db):
    """The migration's questionnaire, also after a transactional test (the browser tests) emptied the
    tables of a reused test database."""
    ensure_questionnaire()
