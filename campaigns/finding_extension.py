"""Campaigns' part of a finding (inspections.finding_hooks): the optional campaign chosen when an alert or a
complaint becomes a finding, and the finding page's panel with the campaigns it is tagged to and the
"tag to a campaign" action for inspectors."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from core.forms import style_form
from inspections.finding_hooks import FindingExtension, register

from . import services
from .models import Campaign, CampaignFinding
from .workflow import tag_refusal

FIELD = "campaign"


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


def campaign_field(*, user, park_id: int) -> CampaignChoiceField:
    return CampaignChoiceField(
        label=_("Tag to a campaign"),
        queryset=services.taggable_campaigns(user=user, park_id=park_id),
        required=False,
        empty_label=_("No campaign"),
        help_text=_("Only campaigns under way that cover the park."),
    )


@register
class CampaignTag(FindingExtension):
    def fields(self, *, user, park_id):
        if tag_refusal(user) is not None or not services.taggable_campaigns(user=user, park_id=park_id).exists():
            return {}
        return {FIELD: campaign_field(user=user, park_id=park_id)}

    def after_create(self, *, actor, finding, data):
        campaign = data.get(FIELD)
        if isinstance(campaign, Campaign):
            services.finding_tag(actor=actor, campaign=campaign, finding=finding)

    def panel(self, request, finding):
        user = request.user
        links = CampaignFinding.objects.visible_to(user).filter(finding=finding).select_related("campaign")
        form = None
        if tag_refusal(user) is None:
            field = campaign_field(user=user, park_id=finding.park_id)
            field.queryset = field.queryset.exclude(finding_links__finding=finding)
            field.required, field.empty_label = True, None
            if field.queryset.exists():
                form = forms.Form()
                form.fields[FIELD] = field
                style_form(form)
        untagged = (
            CampaignFinding.history.filter(finding_id=finding.pk, history_type="-")
            .filter(campaign_id__in=Campaign.objects.visible_to(user).values("pk"))
            .select_related("campaign", "history_user")
            .order_by("-history_date")
        )
        if not links and form is None and not untagged:
            return ""
        context = {
            "links": links,
            "form": form,
            "finding": finding,
            "untagged": untagged,
            "may_untag": tag_refusal(user) is None,
        }
        return render_to_string("campaigns/includes/finding_panel.html", context, request=request)
