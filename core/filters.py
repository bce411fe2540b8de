import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as drf_filters
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.widgets import BooleanWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


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


class FilterBackend(DjangoFilterBackend):
    """django-filter for the API (REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]), building ``filterset_fields``
    on PortalFilterSet. Lives here, not in core.api, because DRF imports it while loading its settings."""

    filterset_base = PortalFilterSet
