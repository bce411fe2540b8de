import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import YearFilter, YesNoFilter
from parks.filters import visible_parks

from .choices import Campaign, DemandKind, InspectionKind, InspectionStatus, MeasureKind, TaskStatus
from .models import AccountabilityMeasure, Demand, Inspection, RectificationTask, Visit


class InspectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")
    park = django_filters.ModelChoiceFilter(
        label=_("park"), queryset=visible_parks, field_name="parks", empty_label=_("All parks")
    )
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=InspectionKind.choices, empty_label=_("Any"))
    status = django_filters.ChoiceFilter(label=_("status"), choices=InspectionStatus.choices, empty_label=_("Any"))

    class Meta:
        model = Inspection
        fields = ["q", "park", "kind", "status"]


class TaskFilter(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(
        label=_("park"), queryset=visible_parks, field_name="park", empty_label=_("All parks")
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=TaskStatus.choices, empty_label=_("Any"))
    unverified = YesNoFilter(label=_("not yet verified"), method="filter_unverified")
    overdue = YesNoFilter(label=_("overdue"), method="filter_overdue")

    class Meta:
        model = RectificationTask
        fields = ["park", "status", "unverified", "overdue"]

    def filter_unverified(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(queryset.unverified_q()) if value else queryset.exclude(queryset.unverified_q())

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class VisitFilter(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=visible_parks, empty_label=_("All parks"))
    campaign = django_filters.ChoiceFilter(label=_("campaign"), choices=Campaign.choices, empty_label=_("Any"))
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Visit
        fields = ["q", "park", "campaign"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(note__icontains=value))


class DemandFilter(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(
        label=_("park"), queryset=visible_parks, field_name="visit__park", empty_label=_("All parks")
    )
    kind = django_filters.ChoiceFilter(label=_("kind of demand"), choices=DemandKind.choices, empty_label=_("Any"))
    solved = YesNoFilter(label=_("solved"), field_name="solved_on", lookup_expr="isnull", exclude=True)
    year = YearFilter(label=_("year"), field_name="visit__visited_on")

    class Meta:
        model = Demand
        fields = ["park", "kind", "solved", "year"]


class MeasureFilter(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(
        label=_("park"), queryset=visible_parks, field_name="task__park", empty_label=_("All parks")
    )
    kind = django_filters.ChoiceFilter(label=_("measure"), choices=MeasureKind.choices, empty_label=_("Any"))
    form = django_filters.ChoiceFilter(
        label=_("form (1–4)"), choices=[(n, str(n)) for n in (1, 2, 3, 4)], empty_label=_("Any")
    )
    year = YearFilter(label=_("year"), field_name="taken_on")

    class Meta:
        model = AccountabilityMeasure
        fields = ["park", "kind", "form", "year"]
