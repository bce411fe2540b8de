"""How an export reads a sheet's cell values (core.exports writes them).

Whenever every column is a database value, the rows are read as tuples (``values_list``), several times
cheaper than model instances. A database value is a field across relations, an annotation of the
queryset, a choice shown by its label (``get_x_display``: read as the value, then shown through a dict of
labels translated once per export, not once per cell), or a Python property whose model also says how
the database computes it (``property_expressions``, below). Anything else — a property only Python knows
(an alert's explanation) or rows that are not a queryset — is read from instances, with the same
labels-once rule.

A model declares its computed properties for exports as a class attribute::

    property_expressions = {"display_name": display_name_expression}

where ``display_name_expression(path)`` returns an expression with the property's value for the row at
the lookup ``path`` ("" for the row itself, "assigned_to__" for a related one). Tests check that the
expression and the property agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .columns import follow

CHUNK = 2000


def labels_of(model_field) -> dict | None:
    """A choice field's labels, translated now (once for the whole export); None for other fields."""
    if not model_field.choices:
        return None
    return {value: str(label) for value, label in model_field.flatchoices}


def _display_of(name: str) -> str | None:
    """``status`` for ``get_status_display``, else None."""
    if name.startswith("get_") and name.endswith("_display"):
        return name[4:-8]
    return None


def _model_at(model, path: list[str]):
    """The model reached by following ``path`` (relation names) from ``model``; None when it is not one."""
    for part in path:
        try:
            model = model._meta.get_field(part).related_model
        except FieldDoesNotExist:
            return None
        if model is None:
            return None
    return model


def column_source(model, attribute: str, annotations: Iterable[str] = ()) -> tuple[Any, dict | None] | None:
    """How the database gives ``attribute`` (``a__b``, ``get_x_display``, a declared property) for rows of
    ``model``: (a lookup or an expression, labels or None); None when only an instance can."""
    *path, last = attribute.split("__")
    choice = _display_of(last)
    lookup = "__".join([*path, choice or last])
    if lookup in annotations:
        return lookup, None
    target = _model_at(model, path)
    if target is None:
        return None
    try:
        model_field = target._meta.get_field(choice or last)
    except FieldDoesNotExist:
        expression = getattr(target, "property_expressions", {}).get(last)
        if expression is None or choice:
            return None
        return expression("".join(f"{part}__" for part in path)), None
    if model_field.is_relation:
        return None
    return lookup, labels_of(model_field) if choice else None


def value_rows(queryset, attributes: Sequence[str]) -> Iterator[Sequence] | None:
    """The rows of ``queryset`` as tuples of the ``attributes``' values (labels for choices), read in
    chunks; None when a column needs the instance."""
    if not isinstance(queryset, models.QuerySet):
        return None
    annotations = set(queryset.query.annotations)
    sources = [column_source(queryset.model, attribute, annotations) for attribute in attributes]
    if any(source is None for source in sources):
        return None
    lookups, computed = [], {}
    for index, (source, _labels) in enumerate(sources):
        if isinstance(source, str):
            lookups.append(source)
        else:
            computed[f"export_column_{index}"] = source
            lookups.append(f"export_column_{index}")
    tuples = queryset.annotate(**computed).values_list(*lookups).iterator(chunk_size=CHUNK)
    labelled = [(index, labels) for index, (_source, labels) in enumerate(sources) if labels]
    return _relabelled(tuples, labelled) if labelled else tuples


def _relabelled(tuples, labelled: list[tuple[int, dict]]) -> Iterator[list]:
    for row in tuples:
        row = list(row)
        for index, labels in labelled:
            value = row[index]
            row[index] = labels.get(value, value)
        yield row


def getter(model, attribute: str) -> Callable[[Any], Any]:
    """A getter for one column of an instance (``core.columns.follow``), a choice's label looked up in a
    dict made once rather than translated for every cell."""
    *path, last = attribute.split("__")
    choice = _display_of(last)
    target = _model_at(model, path) if model is not None and choice else None
    if target is not None:
        try:
            labels = labels_of(target._meta.get_field(choice))
        except FieldDoesNotExist:
            labels = None
        if labels is not None:
            value_of = follow("__".join([*path, choice]))

            def get(obj):
                value = value_of(obj)
                return labels.get(value, value)

            return get
    return follow(attribute)


def sheet_values(rows, attributes: Sequence[str]) -> Iterator[Sequence]:
    """Each row's values, in the order of ``attributes``: tuples when the database can give them all
    (see the module's text), else read from instances."""
    tuples = value_rows(rows, attributes)
    if tuples is not None:
        return tuples
    getters = [getter(getattr(rows, "model", None), attribute) for attribute in attributes]
    objects = rows.iterator(chunk_size=CHUNK) if isinstance(rows, models.QuerySet) else rows
    return ([get(obj) for get in getters] for obj in objects)
