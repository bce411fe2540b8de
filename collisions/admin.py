"""The reference data in the Django admin: read-only (it is written by the imports, which keep the keys
and hash the ID numbers); the hashes are not shown."""

from django.contrib import admin

from core.admin import ScopedAdmin

from .models import RegistrationPerson, RegistrationRecord, Relative
from .resources import RegistrationResource, RelativeResource


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PersonInline(ReadOnlyMixin, admin.TabularInline):
    model = RegistrationPerson
    fields = ["name", "share"]
    readonly_fields = fields
    extra = 0


@admin.register(RegistrationRecord)
class RegistrationAdmin(ReadOnlyMixin, ScopedAdmin):
    resource_classes = [RegistrationResource]
    list_display = ["credit_code", "name", "legal_rep_name", "status", "deregistered_on", "in_park_area"]
    list_filter = ["status", "in_park_area"]
    search_fields = ["credit_code", "name"]
    fields = ["credit_code", "name", "legal_rep_name", "address", "phone", "status", "deregistered_on", "in_park_area"]
    readonly_fields = fields
    inlines = [PersonInline]


@admin.register(Relative)
class RelativeAdmin(ReadOnlyMixin, ScopedAdmin):
    resource_classes = [RelativeResource]
    list_display = ["official", "name", "relation"]
    list_filter = ["relation", "official__park"]
    list_select_related = ["official__park"]
    search_fields = ["official__name", "name"]
    fields = ["official", "name", "relation"]
    readonly_fields = fields
