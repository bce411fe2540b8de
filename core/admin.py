from simple_history.admin import SimpleHistoryAdmin


class CommissionAdminOnlyMixin:
    """The admin site is the commission admins' tool (``is_staff`` follows the role); model permissions
    are not used, the role decides."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_commission_admin

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


class ScopedAdmin(CommissionAdminOnlyMixin, SimpleHistoryAdmin):
    """Admin lists go through the same scoping rule as every page; the change history is one click
    away. Commission admins see every park today — should the rule change, the admin follows it."""

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)
