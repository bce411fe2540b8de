from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CommissionAdminOnlyMixin

from .models import User
from .two_factor import two_factor_reset
from .two_factor.views import admin_has_permission, admin_login


@admin.register(User)
class UserAdmin(CommissionAdminOnlyMixin, SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "name", "role", "department", "enterprise", "is_active"]
    list_filter = ["role", "is_active", "parks"]
    search_fields = ["username", "name", "email", "department"]
    filter_horizontal = ["parks"]
    autocomplete_fields = ["enterprise"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["name", "email", "phone", "department"]}),
        (_("Role and scope"), {"fields": ["role", "parks", "enterprise"]}),
        (_("Status"), {"fields": ["is_active", "is_superuser", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        (_("Role and scope"), {"fields": ["name", "role", "parks", "enterprise"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        confirmed_app = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(confirmed_app))

    def get_list_display(self, request):
        return [*super().get_list_display(request), "two_factor"]

    @admin.display(description=_("two-factor authentication"), boolean=True, ordering="has_two_factor")
    def two_factor(self, user):
        return user.has_two_factor

    @admin.action(description=_("Reset two-factor authentication of the selected users"))
    def reset_two_factor(self, request, queryset):
        users = list(queryset)
        for user in users:
            two_factor_reset(user=user, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(count)d user: they set it up again at their next login if their role requires it.",
                "Two-factor authentication reset for %(count)d users: they set it up again at their next login if their role requires it.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )


# Roles, not Django groups and permissions, decide what a user may do: the group admin would only confuse.
admin.site.unregister(Group)


class ReadOnlyDeviceAdminMixin(CommissionAdminOnlyMixin):
    """django-otp's device lists, for commission admins only and read-only: devices are created by their
    owner's set-up and removed by the reset action of the user list (which writes the user's history)."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model, _base in [(TOTPDevice, TOTPDeviceAdmin), (StaticDevice, StaticDeviceAdmin)]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, type(f"{_model.__name__}Admin", (ReadOnlyDeviceAdminMixin, _base), {}))

# The admin has no login of its own (the portal's login and second factor are the only way in), and its
# pages need the second factor passed, like every page.
admin.site.login = admin_login
admin.site.has_permission = admin_has_permission
