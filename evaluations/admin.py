from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CommissionAdminOnlyMixin

from .models import Indicator, NegativeItem, Round


@admin.register(Indicator)
class IndicatorAdmin(CommissionAdminOnlyMixin, SimpleHistoryAdmin):
    """The framework: commission admins edit indicators, their maximum scores and sources."""

    list_display = ["name", "dimension", "max_score", "source", "penalty_per_item", "order", "is_active"]
    list_filter = ["dimension", "source", "is_active"]
    list_editable = ["max_score", "order", "is_active"]


@admin.register(NegativeItem)
class NegativeItemAdmin(CommissionAdminOnlyMixin, SimpleHistoryAdmin):
    list_display = ["name", "dimension", "deduction", "is_active"]
    list_filter = ["dimension", "is_active"]


@admin.register(Round)
class RoundAdmin(CommissionAdminOnlyMixin, SimpleHistoryAdmin):
    """Rounds are opened, computed and finalised on the evaluation pages; the admin shows them."""

    list_display = ["year", "status", "computed_at", "finalised_at", "finalised_by"]
    readonly_fields = ["year", "status", "computed_at", "finalised_at", "finalised_by"]

    def has_add_permission(self, request):
        return False
