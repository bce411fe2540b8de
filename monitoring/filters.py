import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import YearFilter, YesNoFilter
from parks.filters import visible_parks

from .models import MonitoringReport


class ReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="enterprise__name", lookup_expr="icontains")
    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=visible_parks, empty_label=_("All parks"))
    period = django_filters.DateFilter(label=_("period (first day)"), field_name="period")
    year = YearFilter(label=_("year"), field_name="period")
    problem = YesNoFilter(label=_("names a problem"), method="filter_problem")

    class Meta:
        model = MonitoringReport
        fields = ["q", "park", "period", "year", "problem"]

    def filter_problem(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(problem="") if value else queryset.filter(problem="")
