from django.contrib import admin

from core.admin import CommissionAdminOnlyMixin, ScopedAdmin

from .models import AccountabilityMeasure, Demand, Finding, Inspection, RectificationTask, Visit
from .resources import FindingResource, InspectionResource, TaskResource, VisitResource


@admin.register(Inspection)
class InspectionAdmin(ScopedAdmin):
    resource_classes = [InspectionResource]
    list_display = ["title", "kind", "starts_on", "ends_on", "status"]
    list_filter = ["kind", "status", "parks"]
    search_fields = ["title"]
    filter_horizontal = ["parks", "team"]


@admin.register(Finding)
class FindingAdmin(ScopedAdmin):
    resource_classes = [FindingResource]
    list_display = ["__str__", "park", "source", "category", "severity", "found_on"]
    list_filter = ["park", "source", "category", "severity"]
    list_select_related = ["park"]
    search_fields = ["description", "responsible_unit"]
    raw_id_fields = ["alert", "complaint", "visit", "inspection"]


class MeasureInline(CommissionAdminOnlyMixin, admin.TabularInline):
    model = AccountabilityMeasure
    extra = 0


@admin.register(RectificationTask)
class TaskAdmin(ScopedAdmin):
    resource_classes = [TaskResource]
    """Tasks move through their workflow on the task page; the admin shows them."""

    list_display = ["__str__", "owner", "deadline", "status", "recovered_losses"]
    list_filter = ["status"]
    list_select_related = ["finding", "owner"]
    readonly_fields = ["status", "submitted_at", "verified_at", "verified_by"]
    raw_id_fields = ["finding"]
    inlines = [MeasureInline]


class DemandInline(CommissionAdminOnlyMixin, admin.TabularInline):
    model = Demand
    extra = 0


@admin.register(Visit)
class VisitAdmin(ScopedAdmin):
    resource_classes = [VisitResource]
    list_display = ["enterprise", "park", "campaign", "visited_on", "visitor"]
    list_filter = ["park", "campaign"]
    list_select_related = ["enterprise", "park", "visitor"]
    autocomplete_fields = ["enterprise"]
    inlines = [DemandInline]
