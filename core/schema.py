"""The OpenAPI schema tells the whole truth, from one place instead of decorating each view:

- ``AutoSchema`` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]): only ``list`` actions are paginated (the
  extra list-like actions — a complaint's timeline, a subsidy's payments, a round's results — answer the
  whole, bounded collection of one object as a plain array); a read-only choice whose model field may be
  blank or null says so (the API answers ``""`` for an unrated complaint).
- ``add_error_responses`` (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]): the error answers every
  operation can give, in the one error shape of ``core.api.exception_handler``; and a list's filter
  given empty (``?park=``) means "any", as it does on the list pages that share the FilterSet.

Extra properties in a body are ignored, not refused (DRF reads only the fields it knows), so the schema
does not say ``additionalProperties: false``."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

ERROR_COMPONENT = "ApiError"
ERROR_SCHEMA = {
    "type": "object",
    "description": "The error shape of every endpoint.",
    "properties": {
        "code": {"type": "string", "description": "Machine-readable: invalid, not_found, transition_not_allowed, …"},
        "detail": {"type": "string", "description": "What went wrong, in Chinese."},
        "detail_en": {"type": "string", "description": "The same in English (workflow conflicts only)."},
        "fields": {
            "type": "object",
            "description": "Per-field messages (field name → list of messages); empty when no field is at fault.",
            "additionalProperties": {},
        },
    },
    "required": ["code", "detail", "fields"],
}

#: Why each status can be answered, as the schema says it.
DESCRIPTIONS = {
    "400": "The request is not valid: a field, a filter or the body (fields names each field at fault).",
    "401": "No valid credentials: send `Authorization: Token <token>` (POST /api/token/) or a session.",
    "403": "The caller's role may not use this endpoint or take this step.",
    "404": "No such object in the caller's scope (outside the caller's parks is 404 too), or no such page.",
    "409": "The object's current state does not allow this step (or another user took it first).",
    "413": "The request body is too large.",
    "429": "Too many requests from this client; try again later.",
}


class AutoSchema(SpectacularAutoSchema):
    def _get_paginator(self):
        if getattr(self.view, "action", "list") != "list":
            return None  # extra actions answer plain arrays (they never paginate)
        return super()._get_paginator()

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.ChoiceField) and field.read_only:
            model_field = _model_field(field)
            if model_field is not None:
                field.allow_blank = field.allow_blank or model_field.blank
                field.allow_null = field.allow_null or model_field.null
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _model_field(field):
    """The model field a ModelSerializer field reads, or None."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:  # a property or method, not a field
        return None


UNSAFE = {"post", "put", "patch", "delete"}


def _statuses(path: str, method: str, operation: dict) -> list[str]:
    public = not [s for s in operation.get("security", []) if s]  # no credentials asked for
    parameters = operation.get("parameters", [])
    statuses = ["400"]
    if not public:
        statuses += ["401", "403"]
    if "{" in path or any(p.get("name") == "page" for p in parameters) or path.startswith("/api/public/"):
        statuses.append("404")
    if method in UNSAFE and not public and "{" in path:
        statuses.append("409")
    if method in UNSAFE:
        statuses.append("413")
    if public:
        statuses.append("429")
    return statuses


def add_error_responses(result, generator, request, public):
    """Every operation documents the errors it can answer, each with the ``ApiError`` body."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            if method == "get" and "{" not in path:
                for parameter in operation.get("parameters", []):
                    _empty_means_any(parameter)
            responses = operation.setdefault("responses", {})
            for status in _statuses(path, method, operation):
                responses.setdefault(
                    status,
                    {"description": DESCRIPTIONS[status], "content": {"application/json": {"schema": reference}}},
                )
    return result


def _empty_means_any(parameter: dict) -> None:
    """A list filter sent empty is no filter (django-filter skips empty values); say so in the schema."""
    schema = parameter.get("schema", {})
    if parameter.get("in") != "query" or parameter.get("name") == "page":
        return
    if schema.get("type") == "string" and not schema.get("enum"):
        return  # "" is already a valid value
    parameter["schema"] = {"anyOf": [schema, {"type": "string", "maxLength": 0}]}
    parameter["description"] = (parameter.get("description", "") + " Empty: any.").strip()
