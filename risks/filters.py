import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import SearchedLast, YesNoFilter, any_row_of, contains_text, search_in_order
from parks.filters import visible_parks
from parks.models import Enterprise

from .choices import AlertStatus, DecisionKind, ProcurementMethod, RiskDomain, RiskLevel, RiskStatus, Severity
from .models import Alert, Decision, Official, Project, RiskPoint, Subsidy
from .rules import REGISTRY


class LedgerFilter(django_filters.FilterSet):
    """Park filter (within the scope) and "has a live alert", for every ledger."""

    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=visible_parks, empty_label=_("All parks"))
    alerted = YesNoFilter(label=_("with alerts"), method="filter_alerted")

    def filter_alerted(self, queryset, name, value):
        if value is None:
            return queryset
        ids = (
            Alert.objects.live()
            .filter(content_type=ContentType.objects.get_for_model(queryset.model))
            .values("object_id")
        )
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class RiskPointFilter(LedgerFilter):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    domain = django_filters.ChoiceFilter(label=_("risk domain"), choices=RiskDomain.choices, empty_label=_("Any"))
    level = django_filters.ChoiceFilter(label=_("risk level"), choices=RiskLevel.choices, empty_label=_("Any"))
    status = django_filters.ChoiceFilter(label=_("status"), choices=RiskStatus.choices, empty_label=_("Any"))

    class Meta:
        model = RiskPoint
        fields = ["q", "park", "domain", "level", "status", "alerted"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(description__icontains=value) | Q(department__icontains=value) | Q(owner__icontains=value)
        )


class DecisionFilter(LedgerFilter):
    q = django_filters.CharFilter(label=_("Search"), field_name="subject", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("matter type"), choices=DecisionKind.choices, empty_label=_("Any"))
    meeting_after = django_filters.DateFilter(label=_("meeting from"), field_name="meeting_on", lookup_expr="gte")
    meeting_before = django_filters.DateFilter(label=_("meeting until"), field_name="meeting_on", lookup_expr="lte")

    class Meta:
        model = Decision
        fields = ["q", "park", "kind", "meeting_after", "meeting_before", "alerted"]


def subsidy_search(queryset, value: str):
    """Subsidies of an enterprise by name or credit code, or by policy (the list's and the admin's
    search). Tested row by row (a common term, core.filters.search_in_order) as one condition; found
    through the indexes (a rare one) as two searches joined by a UNION: an OR across the join would read
    every subsidy."""
    by_name = Enterprise.objects.filter(contains_text("name", value, indexed=True)).order_by().values("pk")
    firms = by_name.union(Enterprise.objects.filter(credit_code__startswith=value.upper()).order_by().values("pk"))
    match = Q(enterprise__in=firms) | contains_text("policy", value)
    indexed = any_row_of(queryset, Q(enterprise__in=firms), contains_text("policy", value, indexed=True))
    return search_in_order(queryset, match, indexed)


class SubsidyFilter(SearchedLast, LedgerFilter):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    period = django_filters.CharFilter(label=_("period"), lookup_expr="startswith")
    not_landed = YesNoFilter(label=_("not landed"), method="filter_not_landed")

    class Meta:
        model = Subsidy
        fields = ["q", "park", "period", "not_landed", "alerted"]

    def search(self, queryset, name, value):
        return subsidy_search(queryset, value)

    def filter_not_landed(self, queryset, name, value):
        if value is None:
            return queryset
        not_landed = queryset.not_landed()
        return not_landed if value else queryset.exclude(pk__in=not_landed.values("pk"))


class ProjectFilter(LedgerFilter):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    method = django_filters.ChoiceFilter(
        label=_("procurement method"), choices=ProcurementMethod.choices, empty_label=_("Any"), method="filter_method"
    )

    class Meta:
        model = Project
        fields = ["q", "park", "method", "alerted"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(contracts__number__icontains=value)
            | Q(contracts__contractor__name__icontains=value)
        ).distinct()

    def filter_method(self, queryset, name, value):
        return queryset.filter(contracts__procurement_method=value).distinct()

    def filter_alerted(self, queryset, name, value):
        # A project is alerted when one of its contracts is.
        if value is None:
            return queryset
        from .models import Contract

        ids = Alert.objects.live().filter(content_type=ContentType.objects.get_for_model(Contract)).values("object_id")
        alerted = Q(contracts__in=ids)
        return (queryset.filter(alerted) if value else queryset.exclude(alerted)).distinct()


class OfficialFilter(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=visible_parks, empty_label=_("All parks"))
    q = django_filters.CharFilter(label=_("Search"), method="search")
    is_active = YesNoFilter(label=_("in office"))

    class Meta:
        model = Official
        fields = ["q", "park", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(ties__enterprise__name__icontains=value)).distinct()


class AlertFilter(django_filters.FilterSet):
    park = django_filters.ModelChoiceFilter(label=_("park"), queryset=visible_parks, empty_label=_("All parks"))
    rule = django_filters.ChoiceFilter(
        label=_("rule"), choices=lambda: [(code, rule.name) for code, rule in REGISTRY.items()], empty_label=_("Any")
    )
    severity = django_filters.ChoiceFilter(label=_("severity"), choices=Severity.choices, empty_label=_("Any"))
    status = django_filters.ChoiceFilter(label=_("decision"), choices=AlertStatus.choices, empty_label=_("Any"))
    live = YesNoFilter(label=_("condition still holds"), field_name="cleared_at", lookup_expr="isnull")
    attention = YesNoFilter(label=_("needs attention"), method="filter_attention")

    class Meta:
        model = Alert
        fields = ["park", "rule", "severity", "status", "live", "attention"]

    def filter_attention(self, queryset, name, value):
        if value is None:
            return queryset
        attention = queryset.needing_attention()
        return attention if value else queryset.exclude(pk__in=attention.values("pk"))
