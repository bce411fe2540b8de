"""The questionnaire is data: installed by a migration, revised by commission admins; a published
version never changes, and the reports keep the questions they answered."""

import pytest
from django.urls import reverse

from monitoring import services
from monitoring.models import Questionnaire
from monitoring.selectors import active_questionnaire

from .conftest import make_report


def test_the_default_questionnaire_is_installed_published_and_active(db):
    active = active_questionnaire()
    assert active.version == 1 and active.published_at is not None
    assert [q.code for q in active.questions.all()] == [
        "efficiency",
        "policy",
        "four_winds",
        "inspections",
        "difficulties",
    ]
    assert "吃拿卡要" in active.questions.get(code="four_winds").text


def test_a_revision_is_the_next_version_and_old_reports_keep_their_questions(world, points):
    old = active_questionnaire()
    report = make_report(points["a"], __import__("datetime").date(2026, 9, 1), 4)
    drafts = [services.QuestionDraft(q.code, q.text, q.order) for q in old.questions.all()]
    drafts[0].text = "办事效率（新表述）"
    drafts.append(services.QuestionDraft("digital", "数字化服务", 60))
    new = services.questionnaire_revise(source=old, questions=drafts)
    old.refresh_from_db()
    assert new.version == 2 and new.is_active and not old.is_active
    assert old.questions.get(code="efficiency").text != "办事效率（新表述）"
    assert new.questions.count() == 6
    assert report.questionnaire == old
    assert sorted(report.answers.values_list("question__questionnaire__version", flat=True)) == [1] * 5


def test_two_questions_with_one_code_are_refused(db):
    old = active_questionnaire()
    with pytest.raises(services.ValidationError):
        services.questionnaire_revise(
            source=old, questions=[services.QuestionDraft("a", "甲"), services.QuestionDraft("a", "乙")]
        )
    assert Questionnaire.objects.count() == 1


def _admin_post(client, questionnaire, texts):
    url = reverse("admin:monitoring_questionnaire_change", args=[questionnaire.pk])
    questions = list(questionnaire.questions.all())
    data = {
        "note": questionnaire.note,
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(len(questions)),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for index, (question, text) in enumerate(zip(questions, texts, strict=True)):
        data.update(
            {
                f"questions-{index}-id": str(question.pk),
                f"questions-{index}-questionnaire": str(questionnaire.pk),
                f"questions-{index}-order": str(question.order),
                f"questions-{index}-code": question.code,
                f"questions-{index}-text": text,
                f"questions-{index}-kind": "score",
            }
        )
    return client.post(url, data)


def test_editing_the_published_version_in_the_admin_makes_a_new_version(client, world):
    client.force_login(world["admin"])
    old = active_questionnaire()
    texts = [q.text for q in old.questions.all()]
    texts[1] = "政策兑现（修订）"
    response = _admin_post(client, old, texts)
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.questions.get(code="policy").text != "政策兑现（修订）" and not old.is_active
    new = active_questionnaire()
    assert new.version == 2 and new.questions.get(code="policy").text == "政策兑现（修订）"


def test_only_commission_admins_reach_the_questionnaire_admin(client, world):
    client.force_login(world["inspector"])
    response = client.get(reverse("admin:monitoring_questionnaire_changelist"))
    assert response.status_code in (302, 403)
