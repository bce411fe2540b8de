from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from core.api import ATTACHMENT_DOWNLOAD_RESPONSES, ScopedModelViewSet
from core.uploads import attachment_response
from inspections.api.serializers import FindingSerializer
from inspections.models import Finding
from risks.api.serializers import ReasonInput

from .. import services
from ..filters import AppointmentFilter, ObservationFilter
from ..models import Appointment, Observation
from .serializers import (
    AcceptInput,
    AnswerInput,
    AppointmentSerializer,
    ObservationSerializer,
    QuestionInput,
    RenewInput,
)


class ObservationViewSet(ScopedModelViewSet):
    """Supervisors' observations: a supervisor files (POST) and answers; the park's inspectors accept one as
    a finding, ask for more, or file it away. Park officers and enterprise users: 403."""

    queryset = Observation.objects.all()
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilter
    ordering_fields = ["submitted_at", "due_on"]
    http_method_names = ["get", "post", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        if user.is_authenticated and not (user.is_commission_staff or user.is_supervisor):
            raise PermissionDenied

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attachments")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        files = data.pop("files", [])
        serializer.instance = services.observation_submit(
            actor=self.request.user, observation=Observation(**data), files=files
        )

    def _respond(self, observation):
        return Response(ObservationSerializer(observation, context=self.get_serializer_context()).data)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=AcceptInput, responses={201: FindingSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the observation as a finding (409 when it is not waiting for the inspectors)."""
        observation = self.get_object()  # outside the scope is a 404 whatever the body says
        finding = services.observation_accept(
            actor=request.user, observation=observation, finding=Finding(**self._input(AcceptInput))
        )
        return Response(FindingSerializer(finding, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=QuestionInput, responses=ObservationSerializer)
    @action(detail=True, methods=["post"])
    def ask(self, request, pk=None):
        observation = self.get_object()
        question = self._input(QuestionInput)["question"]
        return self._respond(services.observation_ask(actor=request.user, observation=observation, question=question))

    @extend_schema(request=AnswerInput, responses=ObservationSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        observation = self.get_object()
        data = self._input(AnswerInput)
        return self._respond(services.observation_answer(actor=request.user, observation=observation, **data))

    @extend_schema(request=ReasonInput, responses=ObservationSerializer)
    @action(detail=True, methods=["post"], url_path="file", url_name="file")
    def file_away(self, request, pk=None):
        observation = self.get_object()
        reason = self._input(ReasonInput)["reason"]
        return self._respond(services.observation_file(actor=request.user, observation=observation, reason=reason))

    @extend_schema(request=None, responses=ATTACHMENT_DOWNLOAD_RESPONSES)
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>[0-9]+)", url_name="attachment")
    def attachment(self, request, pk=None, attachment_pk=None):
        """Download a file of the observation: whoever sees the observation may; others get 404."""
        item = self.get_object().attachments.filter(pk=attachment_pk).first()
        if item is None:
            raise NotFound
        return attachment_response(item)


class AppointmentViewSet(ScopedModelViewSet):
    """Supervisors' appointments, for commission admins only (others: 403)."""

    queryset = Appointment.objects.all()
    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilter
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and not request.user.is_commission_admin:
            raise PermissionDenied

    def get_queryset(self):
        return super().get_queryset().prefetch_related("parks")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parks = data.pop("parks")
        serializer.instance = services.appointment_save(
            actor=self.request.user, appointment=Appointment(**data), parks=parks
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        parks = data.pop("parks", None)
        appointment = serializer.instance
        for name, value in data.items():
            setattr(appointment, name, value)
        serializer.instance = services.appointment_save(
            actor=self.request.user,
            appointment=appointment,
            parks=parks if parks is not None else appointment.parks.all(),
        )

    @extend_schema(request=RenewInput, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        appointment = self.get_object()
        serializer = RenewInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_renew(
            actor=request.user, appointment=appointment, **serializer.validated_data
        )
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_200_OK)

    @extend_schema(request=ReasonInput, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        appointment = self.get_object()
        serializer = ReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_end(
            actor=request.user, appointment=appointment, reason=serializer.validated_data["reason"]
        )
        return Response(AppointmentSerializer(appointment).data)
