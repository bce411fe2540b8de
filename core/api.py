"""What every API view shares: the scoping rule, writes through services, one error shape."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import uploads
from .workflow import TransitionNotAllowed


class IsStaffReader(permissions.BasePermission):
    """Staff who read the portal's records (everyone but enterprise users): the staff API's schema."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff_reader)


class ScopedViewSetMixin:
    """API counterpart of core.views.ScopedQuerysetMixin: the queryset is ``visible_to`` the caller,
    so an object outside the caller's parks answers 404."""

    select_related: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = self.queryset.model.objects.visible_to(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """List, retrieve, create and update (no delete: ledgers keep their history). Writes call
    ``save(actor, instance)`` — a service function — never ``instance.save()`` directly."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def save(self, actor, instance):
        raise NotImplementedError

    def perform_create(self, serializer):
        instance = serializer.Meta.model(**serializer.validated_data)
        serializer.instance = self.save(self.request.user, instance)

    def perform_update(self, serializer):
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        serializer.instance = self.save(self.request.user, instance)


def exception_handler(exc, context):
    """Every error answers ``{"code": …, "detail": …, "fields": {…}}``.

    Services raise Django's exceptions; an illegal workflow step is 409 with the Chinese message in
    ``detail`` and an English one in ``detail_en``.
    """
    if isinstance(exc, TransitionNotAllowed):
        return Response(
            {"code": "transition_not_allowed", "detail": exc.message, "detail_en": exc.message_en, "fields": {}},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        detail = " ".join(exc.messages) if not fields else _("Some fields are not valid.")
        if "__all__" in fields:
            detail = " ".join(fields.pop("__all__"))
        return Response({"code": "invalid", "detail": detail, "fields": fields}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"code": "request_too_large", "detail": _("The request body is too large."), "fields": {}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, ObjectDoesNotExist | Http404):
        exc = exceptions.NotFound()  # code "not_found", like every other 404 of the API
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        fields = data if isinstance(data, dict) else {}
        non_field = fields.pop("non_field_errors", None) if isinstance(fields, dict) else None
        detail = (
            " ".join(str(m) for m in non_field)
            if non_field
            else (_("Some fields are not valid.") if fields else " ".join(map(str, data)))
        )
        response.data = {"code": "invalid", "detail": detail, "fields": fields}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = {"code": codes if isinstance(codes, str) else "error", "detail": str(detail), "fields": {}}
    return response


class ApiErrorSerializer(serializers.Serializer):
    """The error shape of every endpoint (``exception_handler``; documented on every operation by
    core.schema.add_error_responses)."""

    code = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.DictField()


class AttachmentSerializer(serializers.Serializer):
    """A private file as the API lists it; ``download`` streams it to readers allowed to see it.
    The viewset names its download route in the context (``attachment_url_name``)."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    download = serializers.SerializerMethodField()

    def get_download(self, item) -> str:
        owner_pk, url_name = self.context["attachment_owner_pk"], self.context["attachment_url_name"]
        url = reverse(url_name, kwargs={"pk": owner_pk, "attachment_pk": item.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


def upload_files_field():
    """Files sent with a step as multipart/form-data (``files``, repeated); checked by their content
    like the pages' uploads (core.uploads), at most PORTAL_UPLOAD_MAX_FILES of PORTAL_UPLOAD_MAX_MB each."""
    return serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text=(
            f"Attachments (multipart/form-data): pictures, PDF/OFD or Office/WPS documents, checked by their "
            f"content; at most {settings.PORTAL_UPLOAD_MAX_FILES} files of {settings.PORTAL_UPLOAD_MAX_MB} MB each."
        ),
    )


#: The download's answer as the schema states it: the file, typed by what its bytes are.
ATTACHMENT_DOWNLOAD_RESPONSES = {(200, kind.content_type): OpenApiTypes.BINARY for kind in uploads.ALL_KINDS}
