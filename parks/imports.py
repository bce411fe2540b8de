from django.utils.translation import gettext as _

from core.imports import CellError, LedgerImporter, register

from .columns import ENTERPRISES
from .credit_code import parse_credit_code  # noqa: F401 - where the importers have always found it
from .models import Enterprise


@register
class EnterpriseImporter(LedgerImporter):
    name = "enterprises"
    declaration = ENTERPRISES
    model = Enterprise
    permission = staticmethod(lambda user: user.can_keep_ledgers)

    def key(self, values):
        return (values.get("credit_code"),)

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
