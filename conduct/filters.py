"""One FilterSet per list, shared by the page, its export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import YearFilter, YesNoFilter
from parks.filters import visible_parks

from .choices import ActivityKind, Audience, ListKind
from .models import ConductListItem, ContactRegistration, IntegrityActivity


class ListItemFilter(django_filters.FilterSet):
    list_kind = django_filters.ChoiceFilter(label=_("list"), choices=ListKind.choices, empty_label=_("Any"))
    park = django_filters.ModelChoiceFilter(
        label=_("park"), queryset=visible_parks, method="filter_park", empty_label=_("All parks")
    )
    active = YesNoFilter(label=_("in force"), field_name="is_active")

    class Meta:
        model = ConductListItem
        fields = ["list_kind", "park", "active"]

    def filter_park(self, queryset, name, value):
        return queryset.applying_to(value.pk) if value else queryset


class RegistrationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=visible_parks, empty_label=_("All parks"))
    self_reported = YesNoFilter(label=_("self-report"))
    awaiting_review = YesNoFilter(label=_("self-report awaiting review"), method="filter_awaiting")
    year = YearFilter(label=_("year"), field_name="contact_on")

    class Meta:
        model = ContactRegistration
        fields = ["q", "park", "self_reported", "awaiting_review", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(purpose__icontains=value))

    def filter_awaiting(self, queryset, name, value):
        if value is None:
            return queryset
        awaiting = queryset.awaiting_review()
        return awaiting if value else queryset.exclude(pk__in=awaiting.values("pk"))


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")
    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=visible_parks, empty_label=_("All parks"))
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ActivityKind.choices, empty_label=_("Any"))
    audience = django_filters.ChoiceFilter(label=_("audience"), choices=Audience.choices, empty_label=_("Any"))
    year = YearFilter(label=_("year"), field_name="held_on")

    class Meta:
        model = IntegrityActivity
        fields = ["q", "park", "kind", "audience", "year"]
