from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from parks.credit_code import LENGTH as CREDIT_CODE_LENGTH
from parks.credit_code import normalize_credit_code
from parks.models import Enterprise, Park

from .models import Bid, ChangeOrder, Contract, Decision, Official, OfficialTie, Project, RiskPoint, Subsidy

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


class ParkEnterpriseSelect(forms.Select):
    """Each enterprise option says its park (``data-park``), so that static/js/portal.js shows only the
    enterprises of the park chosen in the field named by ``data-park-field``."""

    def __init__(self, park_field: str = "park", **kwargs):
        super().__init__(**kwargs)
        self.attrs["data-park-field"] = park_field

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        enterprise = getattr(value, "instance", None)
        if enterprise is not None:
            option["attrs"]["data-park"] = enterprise.park_id
        return option


class SubsidyForm(LedgerForm):
    """The enterprise is one of the chosen park's (the model refuses any other); once the park is known —
    posted, passed as ``?park=`` or the row's own — only its enterprises are offered."""

    class Meta:
        model = Subsidy
        fields = ["park", "enterprise", "policy", "period", "approved_amount", "approved_on"]
        widgets = {"enterprise": ParkEnterpriseSelect()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        enterprise = self.fields["enterprise"]
        enterprise.widget.attrs["data-park-field"] = self.add_prefix("park")
        enterprise.error_messages["invalid_choice"] = _("The enterprise is not in this park.")
        park = self._chosen_park()
        if park is not None:
            enterprise.queryset = enterprise.queryset.filter(park=park)

    def _chosen_park(self):
        if self.is_bound:
            value = self.data.get(self.add_prefix("park"))
        else:
            value = self.initial.get("park") or self.instance.park_id
        try:
            return self.fields["park"].clean(value) if value else None
        except forms.ValidationError:
            return None


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


class BidForm(LedgerForm):
    class Meta:
        model = Bid
        fields = ["enterprise", "amount", "submitted_on", "won"]


class ChangeOrderForm(LedgerForm):
    class Meta:
        model = ChangeOrder
        fields = ["amount", "changed_on", "reason"]


class OfficialForm(LedgerForm):
    class Meta:
        model = Official
        fields = ["park", "name", "position", "is_active"]


class EnterpriseByNameField(forms.CharField):
    """An enterprise typed by its full name or its 统一社会信用代码, looked up among those the user sees: a
    page of officials need not list every enterprise of a province in a <select>. When the text names no
    enterprise or several, the error keeps what was typed and ``candidates`` (at most CANDIDATES, in
    scope) feed the field's <datalist>."""

    CANDIDATES = 10

    def __init__(self, **kwargs):
        super().__init__(max_length=200, **kwargs)
        self.queryset = Enterprise.objects.none()  # LedgerForm sets the user's enterprises
        self.candidates: list[Enterprise] = []

    def clean(self, value):
        text = super().clean(value).strip()
        code = normalize_credit_code(text)
        found = list(self.queryset.filter(credit_code=code)[:1]) if len(code) == CREDIT_CODE_LENGTH else []
        if not found:
            found = list(self.queryset.filter(name=text)[:2])
        if len(found) == 1:
            return found[0]
        self.candidates = found or list(self.queryset.filter(name__icontains=text).order_by("name")[: self.CANDIDATES])
        if self.candidates:
            raise forms.ValidationError(
                _("Several enterprises match “%(text)s”: choose one from the list or type its credit code."),
                code="ambiguous",
                params={"text": text},
            )
        raise forms.ValidationError(
            _("No enterprise of your parks is named “%(text)s” or has it as credit code."),
            code="unknown",
            params={"text": text},
        )


class TieForm(LedgerForm):
    """The enterprise is typed (name or credit code), not chosen from a list of every enterprise in scope."""

    enterprise = EnterpriseByNameField(
        label=_("enterprise (full name or unified social credit code)"),
        widget=forms.TextInput(attrs={"list": "enterprise-candidates", "autocomplete": "off"}),
    )

    class Meta:
        model = OfficialTie
        fields = ["enterprise", "relation", "relative_name", "note"]


class DismissForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the alert unfounded?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
