import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import SearchedLast, YesNoFilter, any_row_of, contains_text, search_in_order
from parks.filters import visible_parks

from .choices import OPEN_STATUSES, Category, Channel, Status
from .models import Complaint


class ComplaintFilter(SearchedLast, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=visible_parks, empty_label=_("All parks"))
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=[("open", _("all open")), *Status.choices],
        empty_label=_("Any"),
        method="filter_status",
    )
    category = django_filters.ChoiceFilter(label=_("category"), choices=Category.choices, empty_label=_("Any"))
    channel = django_filters.ChoiceFilter(label=_("channel"), choices=Channel.choices, empty_label=_("Any"))
    overdue = YesNoFilter(label=_("overdue"), method="filter_overdue")
    escalated = YesNoFilter(label=_("not satisfied twice"), method="filter_escalated")
    ordering = django_filters.OrderingFilter(
        label=_("order"),
        fields=(("submitted_at", "submitted_at"), ("accept_due", "accept_due"), ("reply_due", "reply_due")),
        field_labels={
            "submitted_at": _("submitted at"),
            "accept_due": _("to be accepted by"),
            "reply_due": _("to be replied by"),
        },
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Complaint
        fields = ["q", "park", "status", "category", "channel", "overdue", "escalated"]

    def search(self, queryset, name, value):
        value = value.strip()
        match = contains_text("subject", value) | contains_text("description", value)
        indexed = [contains_text("subject", value, indexed=True), contains_text("description", value, indexed=True)]
        reference = re.fullmatch(r"TS\d{8}(\d+)", value.upper())
        if reference:
            match |= Q(pk=int(reference.group(1)))
            indexed.append(Q(pk=int(reference.group(1))))
        return search_in_order(queryset, match, any_row_of(queryset, *indexed))

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_escalated(self, queryset, name, value):
        if value is None:
            return queryset
        escalated = queryset.escalated()
        return escalated if value else queryset.exclude(pk__in=escalated.values("pk"))
