from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from parks.models import Enterprise, Park

from .models import ChangeOrder, Contract, Decision, Official, OfficialTie, Project, RiskPoint, Subsidy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LedgerForm(StyledFormMixin, forms.ModelForm):
    """Park and enterprise choices are limited to what the user sees; validation is the model's."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if "park" in self.fields:
            self.fields["park"].queryset = Park.objects.visible_to(user).filter(is_active=True)
        for name in ("enterprise", "contractor"):
            if name in self.fields:
                self.fields[name].queryset = Enterprise.objects.visible_to(user).select_related("park")
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE
        from core.forms import style_form

        style_form(self)


class RiskPointForm(LedgerForm):
    class Meta:
        model = RiskPoint
        fields = [
            "park",
            "domain",
            "description",
            "likelihood",
            "impact",
            "measures",
            "department",
            "owner",
            "review_on",
            "status",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "measures": forms.Textarea(attrs={"rows": 3})}


class DecisionForm(LedgerForm):
    class Meta:
        model = Decision
        fields = [
            "park",
            "kind",
            "subject",
            "amount",
            "meeting_kind",
            "meeting_on",
            "members_entitled",
            "members_present",
            "outcome",
            "has_minutes",
            "executed_on",
        ]


class SubsidyForm(LedgerForm):
    class Meta:
        model = Subsidy
        fields = ["park", "enterprise", "policy", "period", "approved_amount", "approved_on"]


class PaymentForm(StyledFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=DATE)
    amount = forms.DecimalField(label=_("amount paid (yuan)"), max_digits=16, decimal_places=2, min_value=0)
    voucher_no = forms.CharField(label=_("voucher number"), max_length=50)
    allow_overpayment = forms.BooleanField(
        label=_("Record the over-payment (more than what is outstanding)"), required=False
    )


class ProjectForm(LedgerForm):
    class Meta:
        model = Project
        fields = ["park", "name", "budget", "started_on"]


class ContractForm(LedgerForm):
    class Meta:
        model = Contract
        fields = [
            "number",
            "contractor",
            "procurement_method",
            "amount",
            "signed_on",
            "integrity_contract",
            "audit_status",
        ]


class ChangeOrderForm(LedgerForm):
    class Meta:
        model = ChangeOrder
        fields = ["amount", "changed_on", "reason"]


class OfficialForm(LedgerForm):
    class Meta:
        model = Official
        fields = ["park", "name", "position", "is_active"]


class TieForm(LedgerForm):
    class Meta:
        model = OfficialTie
        fields = ["enterprise", "relation", "relative_name", "note"]


class DismissForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the alert unfounded?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
