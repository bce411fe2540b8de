"""One filter class per model, shared by the HTML list, the API and (later) the exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import SearchedLast, YesNoFilter, any_row_of, contains_text, search_in_order

from .choices import ParkKind, ParkLevel
from .credit_code import normalize_credit_code
from .models import Enterprise, Park


def visible_parks(request):
    return Park.objects.visible_to(request.user if request else None)


class ParkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    level = django_filters.ChoiceFilter(label=_("level"), choices=ParkLevel.choices, empty_label=_("Any"))
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ParkKind.choices, empty_label=_("Any"))
    is_active = YesNoFilter(label=_("active"))

    class Meta:
        model = Park
        fields = ["q", "level", "kind", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__iexact=value)
            | Q(region__icontains=value)
            | Q(management_committee__icontains=value)
        )


class EnterpriseFilter(SearchedLast, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Name, credit code or legal representative"),
    )
    park = django_filters.ModelChoiceFilter(
        label=_("park"), queryset=visible_parks, field_name="park", empty_label=_("All parks")
    )
    industry = django_filters.CharFilter(label=_("industry"), lookup_expr="icontains")
    is_key = YesNoFilter(label=_("key enterprise"))
    is_monitoring_point = YesNoFilter(label=_("business-environment monitoring point"))
    is_four_winds_point = YesNoFilter(label=_("'four winds' observation point"))
    has_special_supervisor = YesNoFilter(label=_("special supervisor representative"))

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "park",
            "industry",
            "is_key",
            "is_monitoring_point",
            "is_four_winds_point",
            "has_special_supervisor",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        by_code = Q(credit_code__startswith=normalize_credit_code(value))
        return search_in_order(
            queryset,
            contains_text("name", value) | by_code | contains_text("legal_representative", value),
            any_row_of(
                queryset,
                contains_text("name", value, indexed=True),
                by_code,
                contains_text("legal_representative", value, indexed=True),
            ),
        )
