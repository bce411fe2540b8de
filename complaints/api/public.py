"""The only anonymous endpoints: file a complaint, look one up by its tracking code. Rate-limited per
client like the pages; they store nothing about the caller."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.decorators import ratelimit
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import upload_files_field
from parks.models import Park
from parks.validators import validate_phone

from .. import services
from ..choices import Category, Rating
from ..selectors import complaint_timeline


class PublicComplaintInput(serializers.Serializer):
    park = serializers.CharField(help_text="园区编码")
    category = serializers.ChoiceField(choices=Category.choices)
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=settings.COMPLAINT_TEXT_MAX_LENGTH)
    demand = serializers.CharField(
        max_length=settings.COMPLAINT_TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    is_anonymous = serializers.BooleanField(default=False)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default="", validators=[validate_phone]
    )
    enterprise_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    files = upload_files_field()

    def validate(self, attrs):
        errors = services.named_contact_errors(
            is_anonymous=attrs["is_anonymous"],
            has_account=False,  # the public API takes no account
            contact_name=attrs["contact_name"],
            contact_phone=attrs["contact_phone"],
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ReceiptSerializer(serializers.Serializer):
    tracking_code = serializers.CharField(help_text="Shown only now; keep it.")
    reference = serializers.CharField()
    accept_due = serializers.DateField()


class TrackingCodeField(serializers.CharField):
    """Any text is a code to look up (a malformed one finds nothing, like an unknown one); anything but
    text — a number, a list, null — is a malformed request (400)."""

    def __init__(self, **kwargs):
        message = gettext_lazy("Enter the tracking code as text.")
        kwargs["error_messages"] = {"invalid": message, "null": message, "required": message}
        super().__init__(allow_blank=True, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return data


class TrackInput(serializers.Serializer):
    code = TrackingCodeField()


class PublicStepSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    rating = serializers.ChoiceField(choices=Rating.choices, allow_blank=True)


class PublicComplaintSerializer(serializers.Serializer):
    reference = serializers.CharField()
    park = serializers.CharField(source="park.name")
    category = serializers.CharField()
    status = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    submitted_at = serializers.DateTimeField()
    steps = PublicStepSerializer(many=True)


def too_many():
    return Response(
        {"code": "throttled", "detail": _("Too many requests; please try again later."), "fields": {}},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )


class PublicComplaintView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=PublicComplaintInput, responses={201: ReceiptSerializer}, auth=[])
    @method_decorator(ratelimit(key="ip", rate=lambda g, r: settings.COMPLAINT_SUBMIT_RATE, method="POST", block=False))
    def post(self, request):
        """File a complaint without an account; answers the tracking code (only this once). JSON, or
        multipart/form-data with ``files`` attached (checked by their content, like the page's form)."""
        if getattr(request, "limited", False):
            return too_many()
        serializer = PublicComplaintInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        park = get_object_or_404(Park, code=data.pop("park").strip().upper(), is_active=True)
        submission = services.complaint_submit(park=park, **data)
        complaint = submission.complaint
        return Response(
            {
                "tracking_code": submission.tracking_code,
                "reference": complaint.reference,
                "accept_due": complaint.accept_due,
            },
            status=status.HTTP_201_CREATED,
        )


class PublicTrackView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(request=TrackInput, responses={200: PublicComplaintSerializer}, auth=[])
    @method_decorator(ratelimit(key="ip", rate=lambda g, r: settings.TRACKING_LOOKUP_RATE, method="POST", block=False))
    def post(self, request):
        """The public view of a complaint: status and the steps shown to the complainant. Unknown and
        malformed codes answer the same 404."""
        if getattr(request, "limited", False):
            return too_many()
        serializer = TrackInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = services.complaint_find_by_code(serializer.validated_data["code"])
        if complaint is None:
            return Response(
                {
                    "code": "not_found",
                    "detail": _("No complaint has this tracking code. Check it and try again."),
                    "fields": {},
                },
                status=status.HTTP_404_NOT_FOUND,
            )
        steps = complaint_timeline(complaint=complaint, public_only=True)
        data = {
            "reference": complaint.reference,
            "park": complaint.park,
            "category": complaint.get_category_display(),
            "status": complaint.get_status_display(),
            "due_date": complaint.due_date,
            "submitted_at": complaint.submitted_at,
            "steps": [
                {
                    "at": s.at,
                    "kind": s.get_kind_display(),
                    "to_status": s.get_to_status_display() if s.to_status else "",
                    "note": s.note,
                    "rating": s.rating,
                }
                for s in steps
            ],
        }
        return Response(PublicComplaintSerializer(data).data)
