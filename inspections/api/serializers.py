from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from core.api import AttachmentSerializer, upload_files_field
from core.models import Notification
from parks.models import Enterprise, Park

from ..models import AccountabilityMeasure, Demand, Finding, Inspection, RectificationTask, Visit
from ..workflow import task_steps_for


class InspectionSerializer(serializers.ModelSerializer):
    parks = serializers.PrimaryKeyRelatedField(many=True, queryset=Park.objects.all())
    team = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.filter(is_active=True), required=False)

    class Meta:
        model = Inspection
        fields = ["id", "kind", "title", "parks", "team", "starts_on", "ends_on", "status"]
        read_only_fields = ["status"]


class StepInput(serializers.Serializer):
    step = serializers.ChoiceField(choices=["start", "feedback", "rectify", "close"])


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = [
            "id",
            "park",
            "inspection",
            "source",
            "description",
            "category",
            "severity",
            "responsible_unit",
            "found_on",
            "alert",
            "complaint",
            "visit",
        ]
        read_only_fields = ["source", "alert", "complaint", "visit"]

    def to_representation(self, instance):
        # The complaint is linked only for readers who may open it (officers: the ones assigned to them).
        data = super().to_representation(instance)
        if instance.complaint_id and not self._complaint_visible(instance):
            data["complaint"] = None
        return data

    def _complaint_visible(self, instance) -> bool:
        if hasattr(instance, "complaint_visible"):  # annotated by the viewset's queryset
            return instance.complaint_visible
        request = self.context.get("request")
        user = request.user if request is not None else None
        return Finding.objects.filter(pk=instance.pk).with_complaint_visibility(user).get().complaint_visible

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["park"].queryset = Park.objects.visible_to(request.user)
            fields["inspection"].queryset = Inspection.objects.visible_to(request.user)
        return fields


class TaskSerializer(serializers.ModelSerializer):
    attachments = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta:
        model = RectificationTask
        fields = [
            "id", "finding", "measures", "owner", "deadline", "status", "evidence", "recovered_losses", "submitted_at",
            "verified_at", "verified_by", "return_reason", "attachments", "steps",
        ]  # fmt: skip
        read_only_fields = [
            "status",
            "evidence",
            "recovered_losses",
            "submitted_at",
            "verified_at",
            "verified_by",
            "return_reason",
        ]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, task) -> list:
        """The evidence files: everybody who sees the task may open them."""
        context = {**self.context, "attachment_owner_pk": task.pk, "attachment_url_name": "task-attachment"}
        return AttachmentSerializer(task.attachments.all(), many=True, context=context).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_steps(self, task) -> list[str]:
        """The workflow steps the caller may take now (the task page's buttons): start, submit, verify,
        return."""
        request = self.context.get("request")
        return task_steps_for(task, request.user) if request is not None else []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["finding"].queryset = Finding.objects.visible_to(request.user)
        return fields


class SubmitInput(serializers.Serializer):
    evidence = serializers.CharField()
    files = upload_files_field()
    recovered_losses = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0"), required=False)


class ReturnInput(serializers.Serializer):
    reason = serializers.CharField()


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = AccountabilityMeasure
        fields = ["id", "kind", "form", "person", "position", "taken_on", "note"]


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = ["id", "park", "enterprise", "visitor", "campaign", "visited_on", "note"]
        read_only_fields = ["visitor"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["park"].queryset = Park.objects.visible_to(request.user)
            fields["enterprise"].queryset = Enterprise.objects.visible_to(request.user)
        return fields


class DemandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Demand
        fields = ["id", "visit", "kind", "description", "solved_on", "solution"]
        read_only_fields = ["solved_on", "solution"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["visit"].queryset = Visit.objects.visible_to(request.user)
        return fields


class SolveInput(serializers.Serializer):
    solved_on = serializers.DateField()
    solution = serializers.CharField()


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at", "is_late"]
        read_only_fields = fields
