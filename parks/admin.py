from django.contrib import admin

from core.admin import CommissionAdminOnlyMixin, ScopedAdmin

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


class LiaisonInline(CommissionAdminOnlyMixin, admin.TabularInline):
    model = Liaison
    extra = 0
    autocomplete_fields = ["member"]


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
    inlines = [LiaisonInline]


@admin.register(Liaison)
class LiaisonAdmin(ScopedAdmin):
    list_display = ["member", "enterprise", "started_on", "ended_on"]
    list_filter = ["ended_on"]
    list_select_related = ("member", "enterprise")
    search_fields = ["enterprise__name", "member__name", "member__username"]
    autocomplete_fields = ["member", "enterprise"]
