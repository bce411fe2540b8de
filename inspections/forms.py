from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from core.fields import MultipleFileField
from core.forms import StyledFormMixin
from parks.models import Enterprise, Park

from . import services
from .models import AccountabilityMeasure, Demand, Finding, Inspection, Visit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionForm(StyledFormMixin, forms.ModelForm):
    parks = forms.ModelMultipleChoiceField(
        label=_("parks"), queryset=Park.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    team = forms.ModelMultipleChoiceField(
        label=_("team"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Inspection
        fields = ["kind", "title", "parks", "team", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parks"].queryset = Park.objects.visible_to(user)
        self.fields["team"].queryset = User.objects.filter(role__in=services.TEAM_ROLES, is_active=True)


class FindingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["park", "description", "category", "severity", "responsible_unit", "found_on"]
        widgets = {"found_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, parks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks


class FindingEditForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["description", "category", "severity", "responsible_unit"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ComplaintFindingForm(StyledFormMixin, forms.ModelForm):
    """A finding made from a complaint: the inspector's own summary, which every officer of the park
    reads (the complaint itself only those it is assigned to)."""

    class Meta:
        model = Finding
        fields = ["description", "category", "severity", "responsible_unit"]
        labels = {"description": _("What officers of the park will see")}
        help_texts = {
            "description": _(
                "Every officer of the park reads the finding. Summarise the problem in your own words: the "
                "complaint's text and who filed it stay with the complaint."
            )
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TaskForm(StyledFormMixin, forms.Form):
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none(), required=False)
    measures = forms.CharField(label=_("rectification measures"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("deadline"), widget=DATE)

    def __init__(self, *args, finding, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            role=Role.PARK_OFFICER, is_active=True, parks=finding.park_id
        )
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u.display_name}（{u.department}）" if u.department else u.display_name
        )


class SubmitForm(StyledFormMixin, forms.Form):
    evidence = forms.CharField(label=_("evidence of rectification"), widget=forms.Textarea(attrs={"rows": 4}))
    recovered_losses = forms.DecimalField(
        label=_("economic losses recovered (yuan)"), max_digits=16, decimal_places=2, min_value=0, required=False
    )
    files = MultipleFileField()


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("What is still missing?"), widget=forms.Textarea(attrs={"rows": 3}))


class MeasureForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AccountabilityMeasure
        fields = ["kind", "form", "person", "position", "taken_on", "note"]
        widgets = {"taken_on": DATE}


class VisitForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["park", "enterprise", "campaign", "visited_on", "note"]
        widgets = {"visited_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Park.objects.visible_to(user)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).select_related("park")


class DemandForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Demand
        fields = ["kind", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class SolveForm(StyledFormMixin, forms.Form):
    solved_on = forms.DateField(label=_("solved on"), widget=DATE)
    solution = forms.CharField(label=_("how it was solved"), widget=forms.Textarea(attrs={"rows": 2}))
