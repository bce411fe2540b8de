from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import AttachmentSerializer, upload_files_field
from inspections.models import Finding
from parks.models import Park

from ..models import Appointment, Observation
from ..selectors import supervisor_parks
from ..workflow import observation_steps_for


class ObservationSerializer(serializers.ModelSerializer):
    """An observation; created by a supervisor (JSON, or multipart/form-data with ``files``)."""

    files = upload_files_field()
    attachments = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Observation
        fields = [
            "id", "park", "category", "description", "place", "unit_named", "occurred_on", "status", "submitted_at",
            "due_on", "decided_at", "filed_reason", "finding", "files", "attachments", "steps",
        ]  # fmt: skip
        read_only_fields = ["status", "submitted_at", "due_on", "decided_at", "filed_reason", "finding"]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, observation) -> list:
        context = {
            **self.context,
            "attachment_owner_pk": observation.pk,
            "attachment_url_name": "observation-attachment",
        }
        return AttachmentSerializer(observation.attachments.all(), many=True, context=context).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_steps(self, observation) -> list[str]:
        """The steps the caller may take now: accept, ask, file (inspectors); answer (its supervisor)."""
        request = self.context.get("request")
        return observation_steps_for(observation, request.user) if request is not None else []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["park"].queryset = supervisor_parks(request.user)
        return fields


class AcceptInput(serializers.ModelSerializer):
    """The finding the observation becomes (what every officer of the park will read)."""

    class Meta:
        model = Finding
        fields = ["description", "category", "severity", "responsible_unit"]


class QuestionInput(serializers.Serializer):
    question = serializers.CharField()


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField()
    files = upload_files_field()


class AppointmentSerializer(serializers.ModelSerializer):
    parks = serializers.PrimaryKeyRelatedField(many=True, queryset=Park.objects.all())

    class Meta:
        model = Appointment
        fields = ["id", "supervisor", "parks", "source", "starts_on", "ends_on", "status", "ended_on", "end_reason"]
        read_only_fields = ["status", "ended_on", "end_reason"]


class RenewInput(serializers.Serializer):
    ends_on = serializers.DateField()
