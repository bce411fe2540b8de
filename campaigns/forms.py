from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin
from parks.models import Park

from .choices import AnswerResult, Ledger
from .models import Campaign, rule_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(StyledFormMixin, forms.ModelForm):
    parks = forms.ModelMultipleChoiceField(
        label=_("parks covered"), queryset=Park.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    rules = forms.MultipleChoiceField(
        label=_("alert rules in focus"), choices=rule_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    ledgers = forms.MultipleChoiceField(
        label=_("ledgers in focus"), choices=Ledger.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Campaign
        fields = ["name", "theme", "parks", "starts_on", "ends_on", "lead_unit", "rules", "ledgers",
                  "return_working_days"]  # fmt: skip
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parks"].queryset = Park.objects.visible_to(user).filter(is_active=True).order_by("code")


class ChecklistItemForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("checklist item"), max_length=300)


class AnswerForm(StyledFormMixin, forms.Form):
    """One checklist item's answer (prefixed by the answer's id)."""

    result = forms.ChoiceField(
        label=_("result"), choices=AnswerResult.choices, required=False, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("supporting file (optional)"), required=False)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["result"].label = item.text


class SendBackForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("What is still missing?"), widget=forms.Textarea(attrs={"rows": 3}))
