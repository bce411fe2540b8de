from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import MultipleFileField
from risks.forms import LedgerForm, ParkEnterpriseSelect
from risks.models import Official

from .models import ConductListItem, ContactRegistration, IntegrityActivity


class ListItemForm(LedgerForm):
    class Meta:
        model = ConductListItem
        fields = ["list_kind", "park", "code", "text", "negative_kind", "order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].empty_label = _("All parks")


class RegistrationForm(LedgerForm):
    """Everything typed stays when the negative list refuses the entry; ticking "self-report" and sending
    again records it."""

    class Meta:
        model = ContactRegistration
        fields = [
            "park",
            "enterprise",
            "official_record",
            "contact_on",
            "place",
            "purpose",
            "meal_paid_by",
            "gifts_offered",
            "gifts_value",
            "gifts_accepted",
            "travel_paid_by_enterprise",
            "discussed_bidding",
            "declares_tie",
            "tie_note",
            "self_reported",
        ]
        widgets = {
            "enterprise": ParkEnterpriseSelect(),
            "official_record": ParkEnterpriseSelect(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "meal_paid_by": forms.RadioSelect,
        }
        help_texts = {
            "self_reported": _(
                "Tick this to report a contact that matches the negative list: it is recorded and the park's "
                "inspectors are told at once."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["official_record"].queryset = (
            Official.objects.visible_to(user).filter(is_active=True).select_related("park")
        )
        self.fields["official_record"].help_text = _("Optional: your entry in the park's officials' register.")


class ActivityForm(LedgerForm):
    files = MultipleFileField(label=_("materials"), required=False)

    class Meta:
        model = IntegrityActivity
        fields = ["park", "held_on", "kind", "title", "audience", "attendance", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
