"""One filter class per reference list, shared by the page, the export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import YesNoFilter
from risks.choices import Relation

from .choices import RegistrationStatus
from .identity import address_key, phone_key
from .models import RegistrationRecord, Relative


class RegistrationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("registration status"), choices=RegistrationStatus.choices, empty_label=_("Any")
    )
    in_park_area = YesNoFilter(label=_("registered in the park's area"))

    class Meta:
        model = RegistrationRecord
        fields = ["q", "status", "in_park_area"]

    def search(self, queryset, name, value):
        """Credit code, name, or an address / phone as normalised (so 88號 finds 88号)."""
        value = value.strip()
        if not value:
            return queryset
        match = Q(credit_code__iexact=value) | Q(name__icontains=value)
        if address_key(value):
            match |= Q(address_key__contains=address_key(value))
        if phone_key(value):
            match |= Q(phone_key=phone_key(value))
        return queryset.filter(match)


class RelativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    relation = django_filters.ChoiceFilter(label=_("relation"), choices=Relation.choices, empty_label=_("Any"))

    class Meta:
        model = Relative
        fields = ["q", "relation"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(official__name__icontains=value) | Q(name__icontains=value)) if value else queryset
