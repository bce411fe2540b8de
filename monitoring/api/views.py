from rest_framework import viewsets

from core.api import ScopedReadOnlyViewSet

from ..filters import ReportFilter
from ..models import MonitoringReport, Questionnaire
from .serializers import QuestionnaireSerializer, ReportSerializer


class MonitoringReportViewSet(ScopedReadOnlyViewSet):
    """Reports, scoped like the pages: an enterprise its own, inspectors their parks', park officers none
    (they read the park's figures on the monitoring page), commission admins all."""

    queryset = MonitoringReport.objects.all()
    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    select_related = ("questionnaire",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("answers__question")


class QuestionnaireViewSet(viewsets.ReadOnlyModelViewSet):
    """The questionnaire versions (read-only; commission admins edit them in the admin)."""

    queryset = Questionnaire.objects.prefetch_related("questions")
    serializer_class = QuestionnaireSerializer
    filter_backends = []
