import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parks.filters import visible_parks

from .choices import CampaignStatus, CampaignTheme, ReturnStatus
from .models import Campaign, CampaignFinding, ParkReturn


def _visible_campaigns(request):
    return Campaign.objects.visible_to(request.user if request else None)


class CampaignFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")
    park = django_filters.ModelChoiceFilter(
        label=_("park"), queryset=visible_parks, field_name="parks", empty_label=_("All parks"), distinct=True
    )
    theme = django_filters.ChoiceFilter(label=_("theme"), choices=CampaignTheme.choices, empty_label=_("Any"))
    status = django_filters.ChoiceFilter(label=_("status"), choices=CampaignStatus.choices, empty_label=_("Any"))

    class Meta:
        model = Campaign
        fields = ["q", "park", "theme", "status"]


class ReturnFilter(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("special campaign", "campaign"), queryset=_visible_campaigns, empty_label=_("Any")
    )
    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=visible_parks, empty_label=_("All parks"))
    status = django_filters.ChoiceFilter(label=_("status"), choices=ReturnStatus.choices, empty_label=_("Any"))

    class Meta:
        model = ParkReturn
        fields = ["campaign", "park", "status"]


class CampaignFindingFilter(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(
        label=_("park"), queryset=visible_parks, field_name="finding__park", empty_label=_("All parks")
    )

    class Meta:
        model = CampaignFinding
        fields = ["park"]
