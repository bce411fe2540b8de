from rest_framework import serializers

from ..models import Answer, MonitoringReport, Question, Questionnaire


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "code", "text", "order", "kind"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "version", "is_active", "published_at", "note", "questions"]


class AnswerSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="question.code", read_only=True)

    class Meta:
        model = Answer
        fields = ["question", "code", "score", "note"]


class ReportSerializer(serializers.ModelSerializer):
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = MonitoringReport
        fields = [
            "id", "park", "enterprise", "period", "period_months", "questionnaire", "filed_at", "due_on",
            "problem", "complaint_filed_at", "answers",
        ]  # fmt: skip
