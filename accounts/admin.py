from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox import admin as knox_admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CommissionAdminOnlyMixin

from .models import ApiToken, User
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


class ReadOnlyAdminMixin(CommissionAdminOnlyMixin):
    """Records the portal writes itself (django-otp's devices, django-axes' lockouts): commission admins read
    them; nobody writes them by hand."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LogAdminMixin(ReadOnlyAdminMixin):
    """django-axes' records are read in their list, which shows every column: a row has no page of its own
    (axes names a row in English, "Access Log for … @ …", which no catalogue can translate)."""

    list_display_links = None

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(LogAdminMixin, axes_admin.AccessAttemptAdmin):
    """Failed logins per (username, address, browser) within the cool-off; a pair at the limit is locked.
    Clearing a row unlocks it (deleting is the clearing)."""

    list_display = ["username", "ip_address", "failures_since_start", "lock_status", "attempt_time", "path_info"]
    list_filter = ["attempt_time", axes_admin.IsLockedOutFilter]
    actions = ["clear_lockouts"]
    fieldsets = [
        (None, {"fields": ["username", "ip_address", "failures_since_start", "attempt_time", "path_info"]}),
        (_("Form Data"), {"fields": ["get_data", "post_data"]}),
        (_("Meta Data"), {"fields": ["user_agent", "http_accept"]}),
    ]

    @admin.display(description=_("status"))
    def lock_status(self, obj):
        remaining = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining <= 0:
            return _("locked")
        return _("%(count)d attempts left") % {"count": remaining}

    @admin.action(description=_("Clear the selected lockouts"))
    def clear_lockouts(self, request, queryset):
        _deleted, per_model = queryset.delete()
        count = per_model.get(AccessAttempt._meta.label, 0)
        self.message_user(request, _("%(count)d lockouts cleared.") % {"count": count}, messages.SUCCESS)


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(LogAdminMixin, axes_admin.AccessFailureLogAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(LogAdminMixin, axes_admin.AccessLogAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


# knox registers its token model with model permissions and an add form that sets no expiry; here commission
# admins see every token and revoke (delete) them. Tokens are issued by their owner (/account/tokens/, /api/token/).
if admin.site.is_registered(knox_admin.models.AuthToken):
    admin.site.unregister(knox_admin.models.AuthToken)


@admin.register(ApiToken)
class ApiTokenAdmin(CommissionAdminOnlyMixin, admin.ModelAdmin):
    list_display = ["key", "owner", "created_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["token_key", "user__username", "user__name"]
    fields = readonly_fields = ["key", "owner", "created_at", "expires_at"]
    ordering = ["-created"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("token begins with"), ordering="token_key")
    def key(self, obj):
        return f"{obj.token_key}…"

    @admin.display(description=_("user"), ordering="user__username")
    def owner(self, obj):
        return obj.user

    @admin.display(description=_("created"), ordering="created")
    def created_at(self, obj):
        return obj.created

    @admin.display(description=_("expires"), ordering="expiry")
    def expires_at(self, obj):
        return obj.expiry


# django-otp's device admins are not offered: who has set up the second factor is the user list's column,
# and the list's action resets it (writing the user's history). Their pages showed the device keys' settings
# under English names that django-otp does not translate.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

# The admin has no login of its own (the portal's login and second factor are the only way in), and its
# pages need the second factor passed, like every page.
admin.site.login = admin_login
admin.site.has_permission = admin_has_permission
