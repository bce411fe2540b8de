"""The one paginator of every list page and API list. A list's cost follows its page, not its length:
a list is counted exactly only up to PORTAL_ESTIMATED_COUNT_ABOVE rows (10,000). Beyond that, an unfiltered
list over a big table shows PostgreSQL's own estimate (``pg_class.reltuples``, kept by autovacuum/ANALYZE) as
"about N", and a filtered one (a park, a status, an officer's queue) says "more than N"; a free-text search
(``?q=``) counts at most PORTAL_SEARCH_COUNT_CAP matches, as its matches cost more to find. Counting the
200,000 complaints of a big park exactly cost more than the page itself; every figure a dashboard links to
stays exact in the dashboard (its own aggregate), and in the list up to the cap."""

from __future__ import annotations

from contextlib import suppress
from functools import partial
from math import ceil

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


def is_unfiltered(queryset) -> bool:
    """Every row of the table, once each: no condition, no DISTINCT, no grouping, no slice, no union.
    Joins of ``select_related`` follow non-null foreign keys and add or remove no row."""
    query = queryset.query
    return (
        not query.where
        and not query.distinct
        and query.group_by is None
        and not query.combinator
        and query.low_mark == 0
        and query.high_mark is None
        and not any(getattr(annotation, "contains_aggregate", False) for annotation in query.annotations.values())
    )


def list_count(queryset) -> tuple[int, bool]:
    """(number of rows, whether it is PostgreSQL's estimate): estimated only for an unfiltered list over
    a table of at least PORTAL_ESTIMATED_COUNT_ABOVE rows by ``pg_class.reltuples`` (-1 when never
    analysed). Always one query, whatever the size: the estimate and the exact count are the two arms
    of one CASE, and PostgreSQL runs the count only when the estimate is too small."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or not is_unfiltered(queryset):
        return queryset.count(), False
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT CASE WHEN reltuples >= %(above)s THEN reltuples::bigint "  # noqa: S608 - a table name
            f"ELSE (SELECT COUNT(*) FROM {table}) END, reltuples >= %(above)s "
            f"FROM pg_class WHERE oid = %(table)s::regclass",
            {"above": settings.PORTAL_ESTIMATED_COUNT_ABOVE, "table": table},
        )
        count, estimated = cursor.fetchone()
    return int(count), bool(estimated)


#: The deepest page the count reaches for (a page number beyond it is still refused as past the end).
MAX_ASKED_PAGE = 2**31


def search_count_cap(query) -> int | None:
    """PORTAL_SEARCH_COUNT_CAP when the request searches free text (``?q=``), else None (count exactly)."""
    return settings.PORTAL_SEARCH_COUNT_CAP if (query.get("q") or "").strip() else None


class PortalPaginator(Paginator):
    """Django's paginator counting through ``list_count``; ``count_is_estimate`` tells the template to
    say "about".

    With ``count_cap`` (a free-text search's; for any other filtered list PORTAL_ESTIMATED_COUNT_ABOVE) at
    most the cap's worth of rows is counted — or, deeper in the list, as many as the asked page reaches:
    ``count_is_capped`` then says the total is *more than* ``count``, and ``num_pages`` is at least one
    page beyond it, so "next" is offered while rows exist. A big park's list, or a search for a common
    word, costs the page it shows, not the number of its rows."""

    def __init__(self, *args, count_cap: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_cap = count_cap  # a search's; other filtered lists take PORTAL_ESTIMATED_COUNT_ABOVE
        self._asked_page = 1

    def validate_number(self, number):
        with suppress(TypeError, ValueError):  # the parent refuses it
            # Bounded so that the count's LIMIT stays a bigint: a page past every row is a 404 either way.
            self._asked_page = min(max(1, int(number)), MAX_ASKED_PAGE)
        return super().validate_number(number)

    @cached_property
    def _counted(self) -> tuple[int, bool, bool]:
        """(count, is an estimate, is capped)."""
        if not hasattr(self.object_list, "query"):
            return len(self.object_list), False, False
        cap = self.count_cap
        if cap is None and not is_unfiltered(self.object_list):
            cap = settings.PORTAL_ESTIMATED_COUNT_ABOVE
        if cap is not None:
            bound = max(cap, self._asked_page * self.per_page)
            found = self.object_list.order_by().values("pk")[: bound + 1].count()  # rows, not their annotations
            if found > bound:
                return bound, True, True
            return found, False, False
        return (*list_count(self.object_list), False)

    @property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_is_estimate(self) -> bool:
        return self._counted[1]

    @property
    def count_is_capped(self) -> bool:
        return self._counted[2]

    @cached_property
    def num_pages(self) -> int:
        if self.count_is_capped:  # at least one row more than ``count``
            return ceil((self.count + 1) / self.per_page)
        return super().num_pages


class PortalPageNumberPagination(PageNumberPagination):
    """The API's pagination (REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]): the same counting as the pages;
    ``count_is_estimate`` says when ``count`` is PostgreSQL's estimate."""

    django_paginator_class = PortalPaginator

    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = partial(PortalPaginator, count_cap=search_count_cap(request.query_params))
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator):
        """The asked page as given: ``?page=`` (empty) is refused like ``?page=abc`` (404), not read as page 1."""
        return request.query_params.get(self.page_query_param, 1)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.count_is_estimate,
                "count_is_capped": self.page.paginator.count_is_capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"] = {
            "count": response["properties"]["count"],
            "count_is_estimate": {
                "type": "boolean",
                "example": False,
                "description": "true when `count` is not exact: PostgreSQL's estimate for an unfiltered list "
                "over a big table, or, with `count_is_capped`, a lower bound",
            },
            "count_is_capped": {
                "type": "boolean",
                "example": False,
                "description": "true when a free-text search (`q`) found more than `count` rows: the search "
                "counts at most PORTAL_SEARCH_COUNT_CAP matches (or as many as the asked page reaches); "
                "`next` is given while rows exist",
            },
            **{name: value for name, value in response["properties"].items() if name != "count"},
        }
        return response
