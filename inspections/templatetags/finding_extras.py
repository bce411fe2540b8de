"""``{% finding_extra_fields park_id %}``: the registered extensions' fields (``inspections.finding_hooks``)
inside a form that makes a finding in one action (the alert page's "turn into a finding")."""

from django import template
from django.template.loader import render_to_string

from ..finding_hooks import ExtraFindingForm

register = template.Library()


@register.simple_tag(takes_context=True)
def finding_extra_fields(context, park_id: int) -> str:
    form = ExtraFindingForm(user=context["request"].user, park_id=park_id)
    if not form.fields:
        return ""
    return render_to_string("includes/form_fields.html", {"form": form}, request=context["request"])
