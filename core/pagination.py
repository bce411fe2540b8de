"""The one paginator of every list page and API list: exact counts, except for an unfiltered list over a
big table, whose total is PostgreSQL's own estimate (``pg_class.reltuples``, kept by autovacuum/ANALYZE)
and shown as "about N". Counting a million rows exactly costs more than the page itself; a filtered list
(a park, a status, a search — every list a dashboard figure links to) is always counted exactly."""

from __future__ import annotations

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


class PortalPaginator(Paginator):
    """Django's paginator counting through ``list_count``; ``count_is_estimate`` tells the template to
    say "about"."""

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        if not hasattr(self.object_list, "query"):
            return len(self.object_list), False
        return list_count(self.object_list)

    @property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_is_estimate(self) -> bool:
        return self._counted[1]


class PortalPageNumberPagination(PageNumberPagination):
    """The API's pagination (REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]): the same counting as the pages;
    ``count_is_estimate`` says when ``count`` is PostgreSQL's estimate."""

    django_paginator_class = PortalPaginator

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.count_is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"] = {
            "count": response["properties"]["count"],
            "count_is_estimate": {"type": "boolean", "example": False},
            **{name: value for name, value in response["properties"].items() if name != "count"},
        }
        return response
