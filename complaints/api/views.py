from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from core.api import ATTACHMENT_DOWNLOAD_RESPONSES, ScopedReadOnlyViewSet
from core.uploads import attachment_response
from core.workflow import NOT_GIVEN

from .. import services
from ..filters import ComplaintFilter
from ..models import Complaint
from ..selectors import can_see_identity, complaint_attachments_for, complaint_timeline, is_staff_reader
from .serializers import (
    AssignInput,
    ComplaintEventSerializer,
    ComplaintSerializer,
    ComplaintWithIdentitySerializer,
    NoteInput,
    RejectInput,
    ReplyInput,
    TextInput,
)


class ComplaintViewSet(ScopedReadOnlyViewSet):
    """Complaints in the caller's scope. Steps are POST actions; a step the current state does not allow
    answers 409."""

    queryset = Complaint.objects.all()
    filterset_class = ComplaintFilter
    select_related = ("park", "assigned_to")
    ordering_fields = ["submitted_at", "accept_due", "reply_due"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not is_staff_reader(request.user):
            raise PermissionDenied

    def get_queryset(self):
        queryset = super().get_queryset().prefetch_related("attachments")
        return queryset.select_related("complainant") if can_see_identity(self.request.user) else queryset

    def get_serializer_class(self):
        if can_see_identity(self.request.user):
            return ComplaintWithIdentitySerializer
        return ComplaintSerializer

    def _step(self, request, input_class, call):
        complaint = self.get_object()
        data = {}
        if input_class is not None:
            serializer = input_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        complaint = call(complaint, request.user, data)
        return Response(self.get_serializer(self.get_queryset().get(pk=complaint.pk)).data)

    @extend_schema(responses=ComplaintEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        complaint = self.get_object()
        events = complaint_timeline(complaint=complaint, public_only=False)
        data = ComplaintEventSerializer(events, many=True).data
        return Response(data)

    @extend_schema(request=NoteInput, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=NoteInput)
    def accept(self, request, pk=None):
        return self._step(
            request, NoteInput, lambda c, u, d: services.complaint_accept(complaint=c, actor=u, note=d["note"])
        )

    @extend_schema(request=RejectInput, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=RejectInput)
    def reject(self, request, pk=None):
        return self._step(
            request, RejectInput, lambda c, u, d: services.complaint_reject(complaint=c, actor=u, reason=d["reason"])
        )

    @extend_schema(request=AssignInput, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=AssignInput)
    def assign(self, request, pk=None):
        return self._step(
            request,
            AssignInput,
            lambda c, u, d: services.complaint_assign(
                complaint=c,
                actor=u,
                officer=d["officer"],
                instructions=d["instructions"],
                share_attachments=d["share_attachments"],
                seen_assignee=d.get("seen_assignee", NOT_GIVEN),
            ),
        )

    @extend_schema(request=None, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._step(request, None, lambda c, u, d: services.complaint_start(complaint=c, actor=u))

    @extend_schema(request=ReplyInput, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReplyInput)
    def reply(self, request, pk=None):
        """Answer the complaint; JSON, or multipart/form-data with ``files`` attached to the answer."""
        return self._step(
            request,
            ReplyInput,
            lambda c, u, d: services.complaint_reply(complaint=c, actor=u, text=d["text"], files=d["files"]),
        )

    @extend_schema(request=None, responses=ATTACHMENT_DOWNLOAD_RESPONSES)
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>[0-9]+)", url_name="attachment")
    def attachment(self, request, pk=None, attachment_pk=None):
        """Download one of the complaint's files; 404 unless the caller may open it (like the pages:
        park officers get replies and what the inspector shared, never the complainant's own files)."""
        complaint = self.get_object()
        item = (
            complaint_attachments_for(complaint=complaint, user=request.user, as_complainant=False)
            .filter(pk=attachment_pk)
            .first()
        )
        if item is None:
            raise NotFound
        return attachment_response(item)

    @extend_schema(request=NoteInput, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=NoteInput)
    def close(self, request, pk=None):
        return self._step(
            request, NoteInput, lambda c, u, d: services.complaint_close(complaint=c, actor=u, note=d["note"])
        )

    @extend_schema(request=TextInput, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], serializer_class=TextInput)
    def note(self, request, pk=None):
        def call(c, u, d):
            services.complaint_add_note(complaint=c, actor=u, text=d["text"])
            return c

        return self._step(request, TextInput, call)
