from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from core.api import AttachmentSerializer, upload_files_field

from ..models import Complainant, Complaint, ComplaintEvent
from ..selectors import complaint_attachment_list


class ComplaintEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default=None, read_only=True, allow_null=True)

    class Meta:
        model = ComplaintEvent
        fields = ["at", "kind", "from_status", "to_status", "actor", "note", "internal_note", "is_public", "rating"]


class ComplaintSerializer(serializers.ModelSerializer):
    """What every staff reader gets. No field here says who complained."""

    reference = serializers.CharField(read_only=True)
    park_code = serializers.CharField(source="park.code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    is_overdue = serializers.SerializerMethodField()
    due_date = serializers.DateField(read_only=True, allow_null=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id", "reference", "park", "park_code", "channel", "category", "category_display", "subject",
            "description", "demand", "status", "status_display", "assigned_to", "submitted_at", "accept_due",
            "accepted_at", "accepted_on_time", "reply_due", "replied_at", "replied_on_time", "closed_at",
            "due_date", "is_overdue", "rating", "rating_comment", "rated_at", "reopen_count", "escalated_at",
            "attachments",
        ]  # fmt: skip
        read_only_fields = fields

    def get_is_overdue(self, complaint) -> bool:
        return complaint.is_overdue()

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, complaint) -> list:
        """The files this reader may open (the pages' rule, over the prefetched attachments)."""
        request = self.context.get("request")
        user = request.user if request is not None else None
        items = complaint_attachment_list(complaint=complaint, user=user, as_complainant=False)
        context = {**self.context, "attachment_owner_pk": complaint.pk, "attachment_url_name": "complaint-attachment"}
        return AttachmentSerializer(items, many=True, context=context).data


class ComplainantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complainant
        fields = ["name", "phone", "enterprise_name", "enterprise"]


class ComplaintWithIdentitySerializer(ComplaintSerializer):
    """For commission staff only: adds who complained (null for anonymous complaints)."""

    complainant = ComplainantSerializer(read_only=True, default=None)

    class Meta(ComplaintSerializer.Meta):
        fields = [*ComplaintSerializer.Meta.fields, "is_anonymous", "complainant"]
        read_only_fields = fields


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RejectInput(serializers.Serializer):
    reason = serializers.CharField()


class AssignInput(serializers.Serializer):
    officer = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    instructions = serializers.CharField(required=False, allow_blank=True, default="")
    share_attachments = serializers.BooleanField(required=False, default=False)
    seen_assignee = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The officer id (or null) the caller saw assigned; if someone assigned the complaint "
        "meanwhile, the step answers 409 instead of re-assigning it. Omit it to assign regardless.",
    )


class TextInput(serializers.Serializer):
    text = serializers.CharField()


class ReplyInput(TextInput):
    files = upload_files_field()
