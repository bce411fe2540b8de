from django.contrib import admin

from core.admin import ReadOnlyInline, ScopedAdmin

from . import services
from .models import ActivityMaterial, ConductListItem, ContactRegistration, IntegrityActivity
from .resources import ActivityResource, ListItemResource, RegistrationResource


@admin.register(ConductListItem)
class ListItemAdmin(ScopedAdmin):
    """Saved through ``list_item_save``, like the list page, the import and the API."""

    resource_classes = [ListItemResource]
    list_display = ["code", "text", "list_kind", "negative_kind", "park", "order", "is_active"]
    list_filter = ["list_kind", "negative_kind", "is_active", "park"]
    list_select_related = ["park"]
    search_fields = ["code", "text"]

    def save_model(self, request, obj, form, change):
        services.list_item_save(actor=request.user, item=obj)


@admin.register(ContactRegistration)
class RegistrationAdmin(ScopedAdmin):
    """Registrations are filed by the officials on the portal's page, where the negative list is checked;
    the admin shows them with their history and exports them."""

    resource_classes = [RegistrationResource]
    list_display = ["contact_on", "enterprise", "official", "park", "self_reported", "declares_tie"]
    list_filter = ["park", "self_reported", "declares_tie", "meal_paid_by"]
    list_select_related = ["enterprise", "official", "park"]
    search_fields = ["enterprise__name", "purpose"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MaterialInline(ReadOnlyInline):
    model = ActivityMaterial
    fields = ["original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


@admin.register(IntegrityActivity)
class ActivityAdmin(ScopedAdmin):
    """Saved through ``activity_save``; materials are attached on the activity's page."""

    resource_classes = [ActivityResource]
    list_display = ["held_on", "title", "kind", "audience", "attendance", "park"]
    list_filter = ["park", "kind", "audience"]
    list_select_related = ["park"]
    search_fields = ["title"]
    exclude = ["created_by"]
    inlines = [MaterialInline]

    def save_model(self, request, obj, form, change):
        services.activity_save(actor=request.user, activity=obj)
