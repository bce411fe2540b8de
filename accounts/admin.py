from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CommissionAdminOnlyMixin

from .models import User


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


# Roles, not Django groups and permissions, decide what a user may do: the group admin would only confuse.
admin.site.unregister(Group)
