"""Imports of the conduct lists (commission admins) and of the integrity-culture activities (whoever keeps
the park's ledgers). Columns and sheet titles come from conduct.columns; all rows or none."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.imports import NEW, UNCHANGED, UPDATED, Importer, register
from parks.imports import LedgerImporter
from parks.models import Park

from . import columns
from .models import ConductListItem, IntegrityActivity

ITEM_FIELDS = ("list_kind", "code", "text", "negative_kind", "order")


@register
class ListItemImporter(Importer):
    """A row is an item of the positive or negative list, matched on (list, park, item number); an empty
    park code is an item for every park. Imported items are in force."""

    name = "conduct-lists"
    declaration = columns.LIST_ITEMS
    permission = staticmethod(lambda user: user.is_commission_admin)

    def start(self):
        self.parks = {park.code: park for park in Park.objects.all()}

    def prepare(self, rows):
        codes = {row.get("code") for row in rows}
        self.existing = {(i.list_kind, i.park_id, i.code): i for i in ConductListItem.objects.filter(code__in=codes)}

    def key(self, values):
        return (values.get("list_kind"), values.get("park") or "", values.get("code"))

    def build(self, values, result):
        park = None
        if values.get("park"):
            park = self.parks.get(values["park"])
            if park is None:
                raise ValidationError({"park": _("unknown park code: %(code)s") % {"code": values["park"]}})
        data = {name: values.get(name) for name in ITEM_FIELDS}
        data["negative_kind"] = data["negative_kind"] or ""
        data["order"] = data["order"] or 0
        instance = self.existing.get((data["list_kind"], park.pk if park else None, data["code"]))
        if instance is None:
            instance, result.status = ConductListItem(park=park, is_active=True, **data), NEW
        else:
            changed = [name for name, value in data.items() if getattr(instance, name) != value]
            changed += ["is_active"] if not instance.is_active else []
            for name in changed:
                setattr(instance, name, True if name == "is_active" else data[name])
            result.status = UPDATED if changed else UNCHANGED
        result.instance, result.label = instance, str(instance)

    def save(self, results):
        new = [row.instance for row in results if row.status == NEW]
        updated = [row.instance for row in results if row.status == UPDATED]
        if new:
            bulk_create_with_history(new, ConductListItem, batch_size=1000, default_user=self.actor)
        if updated:
            fields = [*ITEM_FIELDS, "is_active"]
            bulk_update_with_history(updated, ConductListItem, fields, batch_size=1000, default_user=self.actor)


@register
class ActivityImporter(LedgerImporter):
    name, model = "integrity-activities", IntegrityActivity
    declaration = columns.ACTIVITIES
    key_fields = ("held_on", "title")
    permission = staticmethod(lambda user: user.can_keep_ledgers)

    def before_save(self, instance):
        if instance.created_by_id is None:
            instance.created_by = self.actor
