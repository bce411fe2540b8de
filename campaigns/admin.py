from django import forms
from django.contrib import admin

from core.admin import ReadOnlyInline, ScopedAdmin

from . import services
from .choices import CampaignStatus, Ledger
from .models import Campaign, CampaignFinding, ChecklistItem, ParkReturn, ReturnAnswer, rule_choices
from .resources import CampaignResource, ReturnResource, TaggedFindingResource


class CampaignAdminForm(forms.ModelForm):
    rules = forms.MultipleChoiceField(choices=rule_choices, required=False, widget=forms.CheckboxSelectMultiple)
    ledgers = forms.MultipleChoiceField(choices=Ledger.choices, required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Campaign
        fields = ["name", "theme", "parks", "starts_on", "ends_on", "lead_unit", "rules", "ledgers",
                  "return_working_days"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rules"].label = Campaign._meta.get_field("rules").verbose_name
        self.fields["ledgers"].label = Campaign._meta.get_field("ledgers").verbose_name


class ChecklistInline(ReadOnlyInline):
    model = ChecklistItem
    fields = ["position", "text"]


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin):
    """Saved through ``campaign_save`` while in preparation; launched and ended on the campaign's page."""

    resource_classes = [CampaignResource]
    form = CampaignAdminForm
    list_display = ["name", "theme", "starts_on", "ends_on", "lead_unit", "status"]
    list_filter = ["theme", "status", "parks"]
    search_fields = ["name"]
    filter_horizontal = ["parks"]
    inlines = [ChecklistInline]

    readonly_fields = ["rules_shown", "ledgers_shown"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status == CampaignStatus.DRAFT)

    def get_fields(self, request, obj=None):
        """While editable, the choices; once launched (read only), their names rather than their codes."""
        names = list(CampaignAdminForm.Meta.fields)
        if obj is not None and obj.status != CampaignStatus.DRAFT:
            return [{"rules": "rules_shown", "ledgers": "ledgers_shown"}.get(name, name) for name in names]
        return names

    @admin.display(description=Campaign._meta.get_field("rules").verbose_name)
    def rules_shown(self, obj) -> str:
        return "、".join(obj.rule_labels()) or "—"

    @admin.display(description=Campaign._meta.get_field("ledgers").verbose_name)
    def ledgers_shown(self, obj) -> str:
        return "、".join(obj.ledger_labels()) or "—"

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        pass  # saved with its parks in save_related, in one service call

    def save_related(self, request, form, formsets, change):
        services.campaign_save(actor=request.user, campaign=form.instance, parks=form.cleaned_data["parks"])


class AnswerInline(ReadOnlyInline):
    model = ReturnAnswer
    fields = ["item", "result", "note"]


class ReadOnlyAdmin(ScopedAdmin):
    """Written on the portal's pages (the workflow), read here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ParkReturn)
class ParkReturnAdmin(ReadOnlyAdmin):
    resource_classes = [ReturnResource]
    list_display = ["campaign", "park", "due_on", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "park"]
    list_select_related = ["campaign", "park"]
    inlines = [AnswerInline]


@admin.register(CampaignFinding)
class CampaignFindingAdmin(ReadOnlyAdmin):
    resource_classes = [TaggedFindingResource]
    list_display = ["campaign", "finding", "tagged_at"]
    list_select_related = ["campaign", "finding"]
