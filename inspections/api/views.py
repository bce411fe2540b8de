from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from core.api import ATTACHMENT_DOWNLOAD_RESPONSES, ScopedModelViewSet
from core.models import Notification
from core.notifications import mark_read
from core.uploads import attachment_response

from .. import services
from ..filters import DemandFilter, InspectionFilter, TaskFilter, VisitFilter
from ..models import Demand, Finding, Inspection, RectificationTask, Visit
from .serializers import (
    DemandSerializer,
    FindingSerializer,
    InspectionSerializer,
    MeasureSerializer,
    NotificationSerializer,
    ReturnInput,
    SolveInput,
    StepInput,
    SubmitInput,
    TaskSerializer,
    VisitSerializer,
)


class NotForEnterprises:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and not request.user.is_staff_reader:
            raise PermissionDenied


class InspectionViewSet(NotForEnterprises, ScopedModelViewSet):
    queryset = Inspection.objects.all()
    serializer_class = InspectionSerializer
    filterset_class = InspectionFilter
    ordering_fields = ["starts_on"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("parks", "team")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parks, team = data.pop("parks"), data.pop("team", [])
        serializer.instance = services.inspection_save(
            actor=self.request.user, inspection=Inspection(**data), parks=parks, team=team
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        parks = data.pop("parks", None)
        team = data.pop("team", None)
        inspection = serializer.instance
        for name, value in data.items():
            setattr(inspection, name, value)
        serializer.instance = services.inspection_save(
            actor=self.request.user,
            inspection=inspection,
            parks=parks if parks is not None else inspection.parks.all(),
            team=team if team is not None else inspection.team.all(),
        )

    @extend_schema(request=StepInput, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        """Move the inspection on: start, feedback, rectify, close (409 when the state does not allow it)."""
        inspection = self.get_object()  # outside the scope is a 404 whatever the body says
        serializer = StepInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        inspection = services.inspection_step(
            actor=request.user, inspection=inspection, step=serializer.validated_data["step"]
        )
        return Response(InspectionSerializer(inspection, context=self.get_serializer_context()).data)


class FindingViewSet(NotForEnterprises, ScopedModelViewSet):
    queryset = Finding.objects.all()
    serializer_class = FindingSerializer
    filterset_fields = ["park", "inspection", "source", "category", "severity"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().with_complaint_visibility(self.request.user)

    def save(self, actor, instance):
        return services.finding_record(actor=actor, finding=instance)


class TaskViewSet(NotForEnterprises, ScopedModelViewSet):
    """Rectification tasks: inspectors assign (POST), owners start and submit, inspectors of the park
    verify (销号) or return. Nobody verifies their own task."""

    queryset = RectificationTask.objects.all()
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    select_related = ("finding",)
    ordering_fields = ["deadline"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        # ``attachments`` is listed with each task: one query for the page, not one per row. ``steps`` needs
        # only the task's status and owner (inspections.workflow).
        return super().get_queryset().prefetch_related("attachments")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.task_assign(
            actor=self.request.user,
            finding=data["finding"],
            owner=data["owner"],
            measures=data["measures"],
            deadline=data["deadline"],
        )

    def _respond(self, task):
        return Response(TaskSerializer(task, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._respond(services.task_start(actor=request.user, task=self.get_object()))

    @extend_schema(request=SubmitInput, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The owner submits evidence: JSON, or multipart/form-data with evidence ``files``."""
        task = self.get_object()  # outside the scope is a 404 whatever the body says
        serializer = SubmitInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._respond(services.task_submit(actor=request.user, task=task, **serializer.validated_data))

    @extend_schema(request=None, responses=ATTACHMENT_DOWNLOAD_RESPONSES)
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>[0-9]+)", url_name="attachment")
    def attachment(self, request, pk=None, attachment_pk=None):
        """Download an evidence file; whoever sees the task may (like the task page), others get 404."""
        task = self.get_object()
        item = task.attachments.filter(pk=attachment_pk).first()
        if item is None:
            raise NotFound
        return attachment_response(item)

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._respond(services.task_verify(actor=request.user, task=self.get_object()))

    @extend_schema(request=ReturnInput, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request, pk=None):
        task = self.get_object()  # outside the scope is a 404 whatever the body says
        serializer = ReturnInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._respond(
            services.task_return(actor=request.user, task=task, reason=serializer.validated_data["reason"])
        )

    @extend_schema(request=MeasureSerializer, responses={201: MeasureSerializer})
    @action(detail=True, methods=["post"])
    def measures(self, request, pk=None):
        task = self.get_object()
        serializer = MeasureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        measure = services.measure_record(
            actor=request.user, measure=task.measures_taken.model(task=task, **serializer.validated_data)
        )
        return Response(MeasureSerializer(measure).data, status=201)


class VisitViewSet(NotForEnterprises, ScopedModelViewSet):
    queryset = Visit.objects.all()
    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    http_method_names = ["get", "post", "head", "options"]

    def save(self, actor, instance):
        return services.visit_record(actor=actor, visit=instance)


class DemandViewSet(NotForEnterprises, ScopedModelViewSet):
    queryset = Demand.objects.all()
    serializer_class = DemandSerializer
    filterset_class = DemandFilter
    http_method_names = ["get", "post", "head", "options"]

    def save(self, actor, instance):
        return services.demand_record(actor=actor, demand=instance)

    @extend_schema(request=SolveInput, responses=DemandSerializer)
    @action(detail=True, methods=["post"])
    def solve(self, request, pk=None):
        demand = self.get_object()  # outside the scope is a 404 whatever the body says
        serializer = SolveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        demand = services.demand_solve(actor=request.user, demand=demand, **serializer.validated_data)
        return Response(DemandSerializer(demand, context=self.get_serializer_context()).data)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own inbox."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user)

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationRead", fields={"read": serializers.BooleanField()}),
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of the caller's notifications read (any other id is 404)."""
        notification = self.get_object()
        mark_read(request.user, [notification.pk])
        return Response({"read": True})
