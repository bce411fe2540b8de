"""One column list per ledger. A ``Columns`` declaration is where a ledger's columns exist: the list page's
table (headers, cells, sortable headers), the export (xlsx/csv from the page, the admin's export button
and the worker's large export, through ``LedgerResource``) and the import (the downloadable template and
the headers the importer expects) are all built from it, so a new column shows up everywhere it is
flagged for, or nowhere.

A column is shown in the table, written in exports and read by imports unless it says otherwise
(``table=False``, ``export=False``, ``parse=None``). Labels are gettext_lazy: the portal speaks Chinese
whatever the browser asks (no LocaleMiddleware), so the labels are the Chinese headers users know.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .import_cells import Column as ImportColumn
from .import_cells import parse_park_code, parse_text


def follow(attribute: str) -> Callable[[Any], Any]:
    """A getter for ``attribute``: follows ``a__b`` through attributes, calls methods (``get_x_display``),
    None on a gap (a missing related row raises an AttributeError subclass, which getattr's default absorbs)."""
    parts = attribute.split("__")

    def get(obj):
        value = obj
        for part in parts:
            value = getattr(value, part, None)
            if value is None:
                return None
        return value() if callable(value) else value

    return get


def shown(value) -> str:
    """How the table shows a value: amounts with thousands and two decimals, dates as 2026-03-01, 是/否."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Column:
    name: str  # the key: the export field's name, the import row's key (a model field's name saves to it)
    label: Any  # gettext_lazy: the header of the table, the export and the import template
    attribute: str = ""  # what is read for the table and the export (a__b, get_x_display, a method); default: name
    cell: Callable[[Any], Any] | None = None  # how the table shows the row, when not the value as such
    parse: Callable[[Any], Any] | None = parse_text  # how an imported cell is read; None: not imported
    table: bool = True
    export: bool = True
    blank: bool = False  # an imported cell may be empty
    required: bool = True  # the import needs the column in the file
    example: Any = ""  # the template's example row
    sort: str = ""  # the lookup the table sorts by when the header is clicked; "": not sortable
    identity: bool = False  # who someone is (a complainant): shown and exported only to those who may see it

    @property
    def source(self) -> str:
        return self.attribute or self.name

    def show(self, row) -> str:
        return str(self.cell(row)) if self.cell else shown(follow(self.source)(row))


#: A column of the table and the export that no import reads.
Shown = partial(Column, parse=None)


def park_code(path: str = "park") -> Column:
    """The park a row belongs to, by its code: exported and imported (the key ``park``), not in the table."""
    return Column(
        "park", gettext_lazy("park code"), f"{path}__code", table=False, parse=parse_park_code, example="PDS-GXQ"
    )


@dataclass
class Columns:
    """A ledger's columns, in their order, and the name of its sheet (export and import template)."""

    title: Any
    columns: list[Column] = field(default_factory=list)
    link: str = ""  # the column whose cell links to the row's page
    row_class: Callable[[Any], str] | None = None  # a table row's CSS class (row-overdue, …)

    def table(self, *, identity: bool = True) -> list[Column]:
        return [c for c in self.columns if c.table and (identity or not c.identity)]

    def export(self) -> list[Column]:
        return [c for c in self.columns if c.export]

    def imported(self) -> list[Column]:
        return [c for c in self.columns if c.parse is not None]

    def import_columns(self) -> list[ImportColumn]:
        """The importer's expected headers, as ``core.imports`` reads them."""
        return [
            ImportColumn(str(c.label), c.name, c.parse, required=c.required, blank=c.blank, example=c.example)
            for c in self.imported()
        ]

    def export_headers(self) -> list[str]:
        return [str(c.label) for c in self.export()]

    def sorted_by(self, query: QueryDict) -> tuple[Column | None, bool]:
        """The sortable column ``?sort=name`` (or ``-name``, descending) asks for, and whether descending."""
        key = query.get("sort", "")
        descending = key.startswith("-")
        column = next((c for c in self.table() if c.sort and c.name == key.removeprefix("-")), None)
        return column, descending

    def order(self, queryset, query: QueryDict):
        column, descending = self.sorted_by(query)
        if column is None:
            return queryset
        return queryset.order_by(f"{'-' if descending else ''}{column.sort}", "pk")

    def headers(self, query: QueryDict, *, identity: bool = True) -> list[dict]:
        """The table's headers: label, and for a sortable one the address that sorts by it (ascending,
        or descending when it is already the ascending sort) and a Chinese description of the sort."""
        current, descending = self.sorted_by(query)
        base = query.copy()
        base.pop("page", None)
        base.pop("sort", None)
        headers = []
        for column in self.table(identity=identity):
            header = {"label": column.label, "url": "", "state": "", "title": ""}
            if column.sort:
                active = column is current
                next_descending = active and not descending
                base["sort"] = f"{'-' if next_descending else ''}{column.name}"
                header["url"] = "?" + base.urlencode()
                if active:
                    header["state"] = "descending" if descending else "ascending"
                label = str(column.label)
                header["title"] = (
                    _("Sort by %(column)s, descending") if next_descending else _("Sort by %(column)s, ascending")
                ) % {"column": label}
            headers.append(header)
        return headers

    def rows(self, page, *, identity: bool = True) -> list[tuple[Any, list[str], str]]:
        """(row, its cells, its CSS class) for each row of ``page``."""
        columns = self.table(identity=identity)
        css = self.row_class or (lambda row: "")
        return [(row, [column.show(row) for column in columns], css(row)) for row in page]

    def link_index(self, *, identity: bool = True) -> int:
        names = [c.name for c in self.table(identity=identity)]
        return names.index(self.link) if self.link in names else -1

    def without(self, *names: str, row_class: Callable[[Any], str] | None = None) -> Columns:
        """This declaration's table on another page (a park's enterprises, a subsidy's payments): without the
        columns that page already says (its park, its subsidy), unsorted (a page of its own rows)."""
        columns = [replace(c, sort="") for c in self.columns if c.name not in names]
        return replace(self, columns=columns, row_class=row_class or self.row_class)

    def table_of(self, rows) -> dict:
        """What ``includes/columns_table.html`` needs to show ``rows`` outside a list view."""
        return {"headers": self.headers(QueryDict()), "rows": self.rows(rows), "link_column": self.link_index()}


class ColumnsTableMixin:
    """For a list view (core.views.FilteredListView): the table is its ``columns`` declaration — headers
    (sortable ones are links, ``?sort=name`` or ``?sort=-name``, kept by the export) and cells. Identity
    columns are shown only when ``sees_identity`` says so."""

    columns: Columns

    def sees_identity(self) -> bool:
        return False

    def get_queryset(self):
        return self.columns.order(super().get_queryset(), self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        identity = self.sees_identity()
        context["headers"] = self.columns.headers(self.request.GET, identity=identity)
        context["rows"] = self.columns.rows(context["object_list"], identity=identity)
        context["link_column"] = self.columns.link_index(identity=identity)
        return context
