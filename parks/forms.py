from django import forms
from django.db.models import Q

from core.forms import StyledFormMixin

from .models import Enterprise, Park


class EnterpriseForm(StyledFormMixin, forms.ModelForm):
    """Validation lives in the model (full_clean via the service); this form only offers the fields."""

    class Meta:
        model = Enterprise
        fields = [
            "credit_code",
            "name",
            "park",
            "industry",
            "legal_representative",
            "contact_phone",
            "is_key",
            "is_monitoring_point",
            "is_four_winds_point",
            "has_special_supervisor",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An enterprise of a park since closed keeps its park; new choices are open parks only.
        self.fields["park"].queryset = Park.objects.visible_to(user).filter(
            Q(is_active=True) | Q(pk=self.instance.park_id)
        )
        # Shown in capitals by portal.css (input[name="credit_code"]): no style= under the CSP.
        self.fields["credit_code"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
