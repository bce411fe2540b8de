"""What every API view shares: the scoping rule, writes through services, one error shape."""

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

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
    if isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
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
