from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from core.fields import MultipleFileField
from core.forms import StyledFormMixin
from inspections.models import Finding
from parks.models import Park

from .models import Appointment, Observation
from .selectors import supervisor_parks

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ObservationForm(StyledFormMixin, forms.ModelForm):
    files = MultipleFileField(help_text=_("Photos, PDF or Office documents; optional."))

    class Meta:
        model = Observation
        fields = ["park", "category", "occurred_on", "place", "unit_named", "description"]
        widgets = {"occurred_on": DATE, "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = supervisor_parks(user)
        self.fields["park"].empty_label = None


class NoteForm(StyledFormMixin, forms.Form):
    """The text of a step: the inspector's question, the supervisor's answer, the reason for filing."""

    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label


class AnswerForm(NoteForm):
    files = MultipleFileField(help_text=_("Photos, PDF or Office documents; optional."))


class ObservationFindingForm(StyledFormMixin, forms.ModelForm):
    """The finding an observation becomes: the inspector's own summary, which every officer of the park
    reads (the observation and who filed it stay with the commission)."""

    class Meta:
        model = Finding
        fields = ["description", "category", "severity", "responsible_unit"]
        labels = {"description": _("What officers of the park will see")}
        help_texts = {
            "description": _(
                "Every officer of the park reads the finding. Summarise the problem in your own words: the "
                "observation and the supervisor who filed it stay with the commission."
            )
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AppointmentForm(StyledFormMixin, forms.ModelForm):
    parks = forms.ModelMultipleChoiceField(
        label=_("parks"), queryset=Park.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Appointment
        fields = ["supervisor", "parks", "source", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parks"].queryset = Park.objects.visible_to(user)
        self.fields["supervisor"].queryset = User.objects.filter(role=Role.SUPERVISOR, is_active=True)


class RenewForm(StyledFormMixin, forms.Form):
    ends_on = forms.DateField(label=_("new end of the term"), widget=DATE)


class EndForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason for dismissal"), widget=forms.Textarea(attrs={"rows": 2}))
