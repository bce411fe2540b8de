import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import IContains
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.widgets import BooleanWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.grams import HoldsGrams, needs_grams

#: A search walks the list in its own order when at least SEARCH_DENSE_MATCHES of the list's first
#: SEARCH_HEAD_ROWS rows match (the first page is then met within those rows); else it sorts its matches.
SEARCH_HEAD_ROWS = 1000
SEARCH_DENSE_MATCHES = 25


class AnyYesNoWidget(BooleanWidget):
    """是/否 with 全部 for "no filter" (django-filter says "unknown", which reads oddly in Chinese).
    Any other value is handed on as given, for the field to refuse."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        known = super().value_from_datadict(data, files, name)
        return value if known is None and value not in (None, "") else known


class YesNoField(forms.NullBooleanField):
    """Yes, no, or empty for "any"; anything else is an error (the API answers 400, as its schema says,
    instead of silently listing everything)."""

    default_error_messages = {"invalid": _("Choose yes or no.")}

    def to_python(self, value):
        if value in (None, "", True, False):
            return None if value == "" else value
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AnyYesNoWidget)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A calendar year (``field_name__year``): a whole number the database can compare, else 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class PortalFilterSet(drf_filters.FilterSet):
    """The base of the FilterSets the API builds from ``filterset_fields``: a yes/no model field filters
    with YesNoFilter (strict), like the hand-written FilterSets."""

    FILTER_DEFAULTS = {**drf_filters.FilterSet.FILTER_DEFAULTS, models.BooleanField: {"filter_class": YesNoFilter}}


class SearchedLast:
    """A FilterSet mixin applying the free-text search (``q``) after every other filter (a park, a status,
    an order), so that ``search_in_order`` chooses its plan for the list as it will be shown."""

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        for name in sorted(data, key=lambda name: name == "q"):
            queryset = self.filters[name].filter(queryset, data[name])
        return queryset


def contains_text(field: str, term: str, *, indexed: bool = False) -> Q:
    """``field__icontains=term``; ``indexed``: written for the indexes, for a search that finds its matches
    first (``search_in_order``'s second plan). A term of three characters or more has a trigram index
    (core.trigram) either way; a shorter one has none, and is then found through the field's gram index
    (core.grams), its LIKE hidden from the trigram index (which would match every row of a short term and
    have them all rechecked)."""
    if not (indexed and needs_grams(term)):
        return Q(**{f"{field}__icontains": term})
    return Q(IContains(Coalesce(F(field), F(field)), term)) & Q(HoldsGrams(field, term))


def any_row_of(queryset, *conditions: Q) -> Q:
    """Rows of ``queryset`` (its scope, its other filters) meeting any of ``conditions`` (each usually
    ``contains_text(..., indexed=True)``), as the UNION of each condition's rows: each is found through its
    own index, and a short term's grams are computed by that index alone, where an OR would compute them
    again for every row found (17 µs each: 170 ms for the 10,000 enterprises named 渝北)."""
    rows = [queryset.filter(condition).order_by().values("pk") for condition in conditions]
    return Q(pk__in=rows[0].union(*rows[1:]))


def search_in_order(queryset, match: Q, indexed: Q):
    """``queryset`` filtered by a search ``match``, in its own order, by the cheaper of two plans.

    A common term (技改 in one subsidy of eight) is best served by walking the list's order index and
    testing each row: the first page is met after a few hundred rows, where sorting the matches first
    would read 60,000 of them. A rare term, or matches all at the far end of the order (a name searched
    in a list ordered by name), is best served by finding the matches through their indexes and sorting
    them (``sorted_after_search``). One query tells which: how many of the list's first SEARCH_HEAD_ROWS
    rows match. ``match`` is tested row by row, with the column statistics the planner needs to walk;
    ``indexed`` is the same condition written for the indexes (``contains_text(..., indexed=True)``, a
    UNION across a join as in subsidy_search)."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    if _dense_at_head(queryset.order_by(*ordering), match):
        return queryset.filter(match).order_by(*ordering)
    return sorted_after_search(queryset.filter(indexed))


def _dense_at_head(ordered, match: Q) -> bool:
    """Whether SEARCH_DENSE_MATCHES of the first SEARCH_HEAD_ROWS rows of ``ordered`` match: one query,
    which walks the list's order and stops at the last match it needs."""
    head = ordered.annotate(search_match=ExpressionWrapper(match, output_field=BooleanField()))
    sql, params = head.values("search_match")[:SEARCH_HEAD_ROWS].query.sql_with_params()
    with connections[ordered.db].cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM ({sql}) head WHERE head.search_match LIMIT 1 OFFSET %s",  # noqa: S608 - compiled
            (*params, SEARCH_DENSE_MATCHES - 1),
        )
        return cursor.fetchone() is not None


def sorted_after_search(queryset):
    """The queryset in its own order, sorted once the search has found its rows.

    A search is served by trigram indexes (core.trigram); ordered by an indexed column, PostgreSQL may
    instead walk that index hoping to meet 25 matches early, and read the whole table when the matches
    sit at its far end (600 ms for 1,400 enterprises among 100,000). Wrapping each ordered column in
    ``COALESCE(col, col)`` (same value, same order) hides it from the index: the matches are found first
    and only they are sorted."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.order_by(*(_unindexed(queryset.model, term) for term in ordering))


def _unindexed(model, term):
    name = term.lstrip("-") if isinstance(term, str) else ""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return term  # an expression, "pk", "?" or a path across a relation: as it is
    if field.is_relation and name == field.name:
        return term  # ordered by the related model's own ordering
    expression = Coalesce(name, name)
    return expression.desc() if term.startswith("-") else expression.asc()


class FilterBackend(DjangoFilterBackend):
    """django-filter for the API (REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]), building ``filterset_fields``
    on PortalFilterSet. Lives here, not in core.api, because DRF imports it while loading its settings."""

    filterset_base = PortalFilterSet
