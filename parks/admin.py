from django.contrib import admin

from core.admin import ReadOnlyInline, ScopedAdmin

from . import services
from .models import Enterprise, Liaison, Park
from .resources import EnterpriseResource


@admin.register(Park)
class ParkAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "kind", "region", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name", "region", "management_committee"]

    def get_readonly_fields(self, request, obj=None):
        # The code is printed on posters and QR codes: it never changes once the park exists.
        return ["code"] if obj else []


class LiaisonInline(ReadOnlyInline):
    """Shown here; a liaison is assigned on the enterprise's page (``liaison_assign``: commission
    members only, one current liaison, the previous one ended the day the new one starts)."""

    model = Liaison
    fields = ["member", "started_on", "ended_on", "note"]
    readonly_fields = fields


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdmin):
    resource_classes = [EnterpriseResource]
    list_display = [
        "name",
        "credit_code",
        "park",
        "industry",
        "is_key",
        "is_monitoring_point",
        "has_special_supervisor",
    ]
    list_filter = ["park", "is_key", "is_monitoring_point", "is_four_winds_point", "has_special_supervisor"]
    list_select_related = ("park",)
    search_fields = ["name", "credit_code", "legal_representative"]
    autocomplete_fields = ["park"]
    fields = services.ENTERPRISE_FIELDS
    inlines = [LiaisonInline]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in services.ENTERPRISE_FIELDS}
        if change:
            services.enterprise_update(actor=request.user, enterprise=obj, **data)
        else:
            obj.pk = services.enterprise_create(actor=request.user, **data).pk
            obj._state.adding = False


@admin.register(Liaison)
class LiaisonAdmin(ScopedAdmin):
    """Liaisons are assigned on the enterprise's page, through ``liaison_assign``; the admin shows them."""

    list_display = ["member", "enterprise", "started_on", "ended_on"]
    list_filter = ["ended_on"]
    list_select_related = ("member", "enterprise")
    search_fields = ["enterprise__name", "member__name", "member__username"]
    autocomplete_fields = ["member", "enterprise"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
