from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .workflow import TransitionNotAllowed


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


def exception_handler(exc, context):
    """Services raise Django's exceptions; the API answers them like DRF's own.

    An illegal workflow step is 409 Conflict with the Chinese message and an English one.
    """
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": exc.message, "detail_en": exc.message_en}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        data = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
