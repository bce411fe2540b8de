"""The base of every ledger kept per park (rows name their park by its code), and the enterprise import."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.import_cells import CellError, parse_park_code  # noqa: F401 - where the importers have always found it
from core.imports import NEW, UNCHANGED, UPDATED, Importer, register

from .columns import ENTERPRISES
from .credit_code import parse_credit_code  # noqa: F401 - where the importers have always found it
from .models import Enterprise, Park


class LedgerImporter(Importer):
    """Rows of one model, each belonging to a park given by its code and matched on a natural key.

    Subclasses say which model, how a row's values map to fields (``fields``) and which of them form the
    key; they add lookups (enterprises, contracts) in ``prepare`` and checks in ``extra_checks``.
    """

    model: type
    park_column = "park"
    key_fields: tuple[str, ...] = ()  # model fields of the natural key (besides the park)

    @property
    def fields(self) -> dict[str, str]:
        """Column key -> model field: the imported columns named after a (non-relation) field of the model."""
        names = {f.name for f in self.model._meta.concrete_fields if not f.is_relation}
        return {c.key: c.key for c in self.columns if c.key in names}

    def start(self):
        self.parks = {park.code: park for park in Park.objects.visible_to(self.actor)}

    def prepare(self, rows):
        self.existing = {}
        for obj in self.existing_queryset(rows):
            self.existing.setdefault(self.key_of(obj), obj)

    def existing_queryset(self, rows):
        """The rows already recorded that the chunk's ``rows`` may match: in the user's parks, with each
        key field among the rows' values (relations are narrowed by the importers that know them)."""
        queryset = self.model.objects.filter(park__in=self.parks.values())
        inverse = {field: column for column, field in self.fields.items()}
        for name in self.key_fields:
            if name in inverse:
                values = {self.field_values({inverse[name]: row.get(inverse[name])})[name] for row in rows}
                queryset = queryset.filter(**{f"{name}__in": values})
        return queryset

    def key_of(self, obj) -> tuple:
        return (obj.park_id, *(_plain_key(obj, name) for name in self.key_fields))

    def key(self, values):
        return tuple(values.get(column) for column in [self.park_column, *self.key_columns()])

    def key_columns(self) -> list[str]:
        inverse = {field: column for column, field in self.fields.items()}
        return [inverse[name] for name in self.key_fields]

    def park(self, values):
        code = values.get(self.park_column) or ""
        park = self.parks.get(code)
        if park is None:
            raise ValidationError(
                {self.park_column: _("unknown park code, or a park you do not manage: %(code)s") % {"code": code}}
            )
        return park

    def field_values(self, values) -> dict:
        result = {}
        for column, name in self.fields.items():
            value = values.get(column)
            model_field = self.model._meta.get_field(name)
            if value is None and not model_field.null:
                value = model_field.get_default() if model_field.has_default() else ""
            result[name] = value
        return result

    def build(self, values, result):
        park = self.park(values)
        data = self.field_values(values)
        data.update(self.related(values))
        key = (park.pk, *(_key_value(data[name]) for name in self.key_fields))
        instance = self.existing.get(key)
        if instance is None:
            instance = self.model(park=park, **data)
            result.status = NEW
        else:
            changed = [name for name, value in data.items() if _plain_key(instance, name) != _key_value(value)]
            for name in changed:
                setattr(instance, name, data[name])
            result.status = UPDATED if changed else UNCHANGED
        self.extra_checks(instance, values)
        result.instance = instance
        result.label = str(instance)

    def related(self, values) -> dict:
        return {}

    def extra_checks(self, instance, values) -> None:
        pass

    def save(self, results):
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        new = [row.instance for row in results if row.status == NEW]
        updated = [row.instance for row in results if row.status == UPDATED]
        for instance in new + updated:
            self.before_save(instance)
        if new:
            bulk_create_with_history(new, self.model, batch_size=1000, default_user=self.actor)
        if updated:
            fields = sorted({*self.fields.values(), *self.related_fields()})
            bulk_update_with_history(updated, self.model, fields, batch_size=1000, default_user=self.actor)
        self.after_save({instance.park_id for instance in new + updated})

    def after_save(self, park_ids: set[int]) -> None:
        """Told which parks the import changed (the risk ledgers run their alert rules)."""

    def related_fields(self) -> list[str]:
        return []

    def before_save(self, instance) -> None:
        pass


def _plain_key(obj, name: str):
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def _key_value(value):
    return value.pk if hasattr(value, "_meta") else value


@register
class EnterpriseImporter(LedgerImporter):
    name = "enterprises"
    declaration = ENTERPRISES
    model = Enterprise
    permission = staticmethod(lambda user: user.can_keep_ledgers)

    def key(self, values):
        return (values.get("credit_code"),)

    def existing_queryset(self, rows):
        return []  # matched on the credit code alone, in any park (``prepare``)

    def prepare(self, rows):
        super().prepare(rows)
        codes = [row.get("credit_code") for row in rows]
        self.existing = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
        self.visible_parks = {park.pk for park in self.parks.values()}

    def build(self, values, result):
        park = self.park(values)
        data = self.field_values(values)
        instance = self.existing.get(data["credit_code"])
        if instance is None:
            instance = Enterprise(park=park, **data)
            result.status = "new"
        else:
            if instance.park_id not in self.visible_parks:
                raise CellError(_("this enterprise belongs to a park you do not manage"))
            data["park"] = park
            changed = [name for name, value in data.items() if getattr(instance, name) != value]
            for name in changed:
                setattr(instance, name, data[name])
            result.status = "updated" if changed else "unchanged"
        result.instance, result.label = instance, instance.name

    def related_fields(self):
        return ["park"]
