from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline, ScopedAdmin

from . import services
from .filters import subsidy_search
from .models import (
    Alert,
    Bid,
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
    BidResource,
    ContractResource,
    DecisionResource,
    PaymentResource,
    ProjectResource,
    RiskPointResource,
    SubsidyResource,
)


class LedgerAdmin(ScopedAdmin):
    """A ledger row saved in the admin goes through the same service as the ledger pages and the API."""

    def save_model(self, request, obj, form, change):
        services.ledger_save(actor=request.user, instance=obj)


@admin.register(RiskPoint)
class RiskPointAdmin(LedgerAdmin):
    resource_classes = [RiskPointResource]
    list_display = ["park", "domain", "level", "likelihood", "impact", "department", "review_on", "status"]
    list_filter = ["park", "domain", "level", "status"]
    list_select_related = ["park"]
    search_fields = ["description", "department", "owner"]
    readonly_fields = ["level"]


@admin.register(Decision)
class DecisionAdmin(LedgerAdmin):
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


class PaymentInline(ReadOnlyInline):
    """Shown here; each payment is recorded or corrected on its own page, under the payment rules."""

    model = SubsidyPayment
    fields = ["voucher_no", "paid_on", "amount", "overpayment_confirmed"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Subsidy)
class SubsidyAdmin(LedgerAdmin):
    resource_classes = [SubsidyResource]
    list_display = ["enterprise", "park", "policy", "period", "approved_amount", "approved_on"]
    list_filter = ["park", "period"]
    list_select_related = ["park", "enterprise"]
    search_fields = ["enterprise__name", "enterprise__credit_code", "policy"]
    autocomplete_fields = ["enterprise"]
    readonly_fields = ["record_payment"]
    inlines = [PaymentInline]

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).with_outstanding()  # paid and outstanding columns

    def get_search_results(self, request, queryset, search_term):
        """The list page's search (indexed), not the admin's OR across the join, which reads every row."""
        term = search_term.strip()
        return (subsidy_search(queryset, term), False) if term else (queryset, False)

    @admin.display(description=_("payments"))
    def record_payment(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:risks_subsidypayment_add") + f"?subsidy={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Record a payment"))


class PaymentAdminForm(forms.ModelForm):
    """The payment rules of the service (``risks.services.payment_check``), shown on the form."""

    allow_overpayment = forms.BooleanField(
        label=_("Record the over-payment (more than what is outstanding)"), required=False
    )
    actor = None  # set per request by the admin

    class Meta:
        model = SubsidyPayment
        fields = ["subsidy", "paid_on", "amount", "voucher_no"]

    def clean(self):
        data = super().clean()
        subsidy = data.get("subsidy") or (self.instance.subsidy if self.instance.subsidy_id else None)
        if subsidy is None:
            return data
        self.instance.park_id = subsidy.park_id  # a payment is in its subsidy's park, never another
        try:
            services.payment_check(
                actor=self.actor,
                subsidy_id=subsidy.pk,
                paid_on=data.get("paid_on"),
                amount=data.get("amount"),
                allow_overpayment=data.get("allow_overpayment", False),
                payment_id=self.instance.pk,
            )
        except ValidationError as error:
            self.add_error(None, error)
        return data

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        # Once the park is set from the subsidy, the voucher number's uniqueness per park is checked too.
        return exclusions - {"park"} if self.instance.park_id else exclusions


@admin.register(SubsidyPayment)
class SubsidyPaymentAdmin(ScopedAdmin):
    """Payments are recorded and corrected through ``payment_record`` / ``payment_update``, like the
    subsidy page, the API and the import: same rules, same messages."""

    resource_classes = [PaymentResource]
    form = PaymentAdminForm
    list_display = ["voucher_no", "subsidy", "park", "paid_on", "amount", "overpayment_confirmed"]
    list_filter = ["park", "overpayment_confirmed"]
    list_select_related = ["subsidy__enterprise", "park"]
    search_fields = ["voucher_no", "subsidy__enterprise__name", "subsidy__policy"]
    autocomplete_fields = ["subsidy"]
    readonly_fields = ["park", "overpayment_confirmed"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "subsidy"] if obj else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in ("paid_on", "amount", "voucher_no", "allow_overpayment")}
        if change:
            saved = services.payment_update(actor=request.user, payment=obj, **data)
        else:
            saved = services.payment_record(actor=request.user, subsidy=form.cleaned_data["subsidy"], **data)
        obj.pk, obj.park_id, obj._state.adding = saved.pk, saved.park_id, False
        obj.overpayment_confirmed = saved.overpayment_confirmed


class ContractInline(ReadOnlyInline):
    """Shown here; a contract is edited on its own page (``contract_save``)."""

    model = Contract
    fields = ["number", "contractor", "procurement_method", "amount", "signed_on"]
    readonly_fields = fields
    show_change_link = True


class BidInline(ReadOnlyInline):
    """Shown here; a bid is recorded on the project's page (``bid_save``)."""

    model = Bid
    fields = ["enterprise", "amount", "submitted_on", "won"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(LedgerAdmin):
    resource_classes = [ProjectResource]
    list_display = ["name", "park", "budget", "started_on"]
    list_filter = ["park"]
    list_select_related = ["park"]
    search_fields = ["name"]
    inlines = [ContractInline, BidInline]


class ChangeOrderInline(ReadOnlyInline):
    """Shown here; change orders are added on the project page (``change_order_add``)."""

    model = ChangeOrder
    fields = ["changed_on", "amount", "reason"]
    readonly_fields = fields


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

    def save_model(self, request, obj, form, change):
        services.contract_save(actor=request.user, contract=obj)


@admin.register(Bid)
class BidAdmin(ScopedAdmin):
    resource_classes = [BidResource]
    list_display = ["project", "enterprise", "amount", "submitted_on", "won"]
    list_filter = ["won"]
    list_select_related = ["project", "enterprise"]
    search_fields = ["enterprise__name", "project__name"]
    autocomplete_fields = ["enterprise", "project"]

    def save_model(self, request, obj, form, change):
        services.bid_save(actor=request.user, bid=obj)


class TieInline(ReadOnlyInline):
    """Shown here; ties are registered on the register's page (``tie_add``)."""

    model = OfficialTie
    fields = ["enterprise", "relation"]
    readonly_fields = fields


@admin.register(Official)
class OfficialAdmin(LedgerAdmin):
    list_display = ["name", "position", "park", "is_active"]
    list_filter = ["park", "is_active"]
    list_select_related = ["park"]
    search_fields = ["name", "ties__enterprise__name"]
    inlines = [TieInline]


class RuleFilter(admin.SimpleListFilter):
    """The alert rules by their Chinese names (the field holds the rule's code)."""

    title = _("rule")
    parameter_name = "rule"

    def lookups(self, request, model_admin):
        from .rules import REGISTRY

        return [(code, rule.name) for code, rule in REGISTRY.items()]

    def queryset(self, request, queryset):
        return queryset.filter(rule=self.value()) if self.value() else queryset


@admin.register(Alert)
class AlertAdmin(ScopedAdmin):
    resource_classes = [AlertResource]
    """Alerts are raised and cleared by the rules; decisions on them are taken on the alert page."""

    list_display = ["rule_label", "park", "severity", "status", "first_seen", "last_seen", "cleared_at"]
    list_filter = [RuleFilter, "severity", "status", "park"]
    list_select_related = ["park"]
    # The rule by its Chinese name and the facts in the rule's own sentence, not their codes and JSON keys.
    readonly_fields = [
        "rule_label",
        "explanation",
        *(field.name for field in Alert._meta.fields if field.name not in ("rule", "facts")),
    ]
    exclude = ["rule", "facts"]

    @admin.display(description=_("rule"), ordering="rule")
    def rule_label(self, alert):
        return alert.rule_name

    @admin.display(description=_("explanation"))
    def explanation(self, alert):
        return alert.explanation

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
