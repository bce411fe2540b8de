from django.contrib import admin

from core.admin import CommissionAdminOnlyMixin, ScopedAdmin

from .models import (
    Alert,
    ChangeOrder,
    Contract,
    Decision,
    Official,
    OfficialTie,
    Project,
    RiskPoint,
    Subsidy,
    SubsidyPayment,
)
from .resources import (
    AlertResource,
    ContractResource,
    DecisionResource,
    ProjectResource,
    RiskPointResource,
    SubsidyResource,
)


@admin.register(RiskPoint)
class RiskPointAdmin(ScopedAdmin):
    resource_classes = [RiskPointResource]
    list_display = ["park", "domain", "level", "likelihood", "impact", "department", "review_on", "status"]
    list_filter = ["park", "domain", "level", "status"]
    list_select_related = ["park"]
    search_fields = ["description", "department", "owner"]
    readonly_fields = ["level"]


@admin.register(Decision)
class DecisionAdmin(ScopedAdmin):
    resource_classes = [DecisionResource]
    list_display = [
        "subject",
        "park",
        "kind",
        "amount",
        "meeting_on",
        "members_present",
        "members_entitled",
        "has_minutes",
    ]
    list_filter = ["park", "kind", "has_minutes"]
    list_select_related = ["park"]
    search_fields = ["subject"]


class PaymentInline(CommissionAdminOnlyMixin, admin.TabularInline):
    model = SubsidyPayment
    extra = 0


@admin.register(Subsidy)
class SubsidyAdmin(ScopedAdmin):
    resource_classes = [SubsidyResource]
    list_display = ["enterprise", "park", "policy", "period", "approved_amount", "approved_on"]
    list_filter = ["park", "period"]
    list_select_related = ["park", "enterprise"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "policy"]
    autocomplete_fields = ["enterprise"]
    inlines = [PaymentInline]

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).with_outstanding()  # paid and outstanding columns


class ContractInline(CommissionAdminOnlyMixin, admin.TabularInline):
    model = Contract
    extra = 0
    autocomplete_fields = ["contractor"]
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    resource_classes = [ProjectResource]
    list_display = ["name", "park", "budget", "started_on"]
    list_filter = ["park"]
    list_select_related = ["park"]
    search_fields = ["name"]
    inlines = [ContractInline]


class ChangeOrderInline(CommissionAdminOnlyMixin, admin.TabularInline):
    model = ChangeOrder
    extra = 0


@admin.register(Contract)
class ContractAdmin(ScopedAdmin):
    resource_classes = [ContractResource]
    list_display = [
        "number",
        "project",
        "contractor",
        "procurement_method",
        "amount",
        "signed_on",
        "integrity_contract",
    ]
    list_filter = ["procurement_method", "integrity_contract", "audit_status"]
    list_select_related = ["project", "contractor"]
    search_fields = ["number", "contractor__name", "project__name"]
    autocomplete_fields = ["contractor", "project"]
    inlines = [ChangeOrderInline]


class TieInline(CommissionAdminOnlyMixin, admin.TabularInline):
    model = OfficialTie
    extra = 0
    autocomplete_fields = ["enterprise"]


@admin.register(Official)
class OfficialAdmin(ScopedAdmin):
    list_display = ["name", "position", "park", "is_active"]
    list_filter = ["park", "is_active"]
    list_select_related = ["park"]
    search_fields = ["name", "ties__enterprise__name"]
    inlines = [TieInline]


@admin.register(Alert)
class AlertAdmin(ScopedAdmin):
    resource_classes = [AlertResource]
    """Alerts are raised and cleared by the rules; decisions on them are taken on the alert page."""

    list_display = ["rule", "park", "severity", "status", "first_seen", "last_seen", "cleared_at"]
    list_filter = ["rule", "severity", "status", "park"]
    list_select_related = ["park"]
    readonly_fields = [field.name for field in Alert._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
