from rest_framework import viewsets


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
