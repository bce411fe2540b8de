from django import forms
from django.utils.translation import gettext_lazy

from core.forms import StyledFormMixin

from .models import NegativeItem


class ScoreForm(StyledFormMixin, forms.Form):
    value = forms.DecimalField(label=gettext_lazy("score"), min_value=0, max_digits=6, decimal_places=2)
    justification = forms.CharField(label=gettext_lazy("justification"), widget=forms.Textarea(attrs={"rows": 2}))


class NegativeForm(StyledFormMixin, forms.Form):
    item = forms.ModelChoiceField(
        label=gettext_lazy("negative-list item"), queryset=NegativeItem.objects.filter(is_active=True)
    )
    note = forms.CharField(label=gettext_lazy("what happened"), widget=forms.Textarea(attrs={"rows": 2}))
