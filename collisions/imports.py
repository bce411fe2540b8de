"""Imports of the reference data, commission admins only: registration records (one row per enterprise,
its shareholders in one cell, see collisions.shareholders) and officials' relatives. Checked in full, saved
all or nothing (core.imports); ID numbers are hashed while the cells are parsed."""

from django.utils.translation import gettext as _

from core.import_cells import CellError
from core.imports import NEW, UNCHANGED, UPDATED, Importer, register
from parks.models import Enterprise, Park
from risks.engine import deferred_evaluation, request_evaluation
from risks.models import Contract, Official

from . import columns
from .models import RegistrationPerson, RegistrationRecord, Relative
from .services import registrations_save

RECORD_FIELDS = (
    "name",
    "legal_rep_name",
    "legal_rep_id_hash",
    "address",
    "phone",
    "status",
    "deregistered_on",
    "in_park_area",
)


def commission_admin(user) -> bool:
    return user.is_authenticated and user.is_commission_admin


def evaluate_parks_of(credit_codes) -> None:
    """The collision rules re-run, after the commit, for every park with an enterprise of these codes and every
    park whose projects they hold contracts in (a contractor may work outside its own park)."""
    codes = list(credit_codes)
    parks = set(Enterprise.objects.filter(credit_code__in=codes).values_list("park_id", flat=True))
    parks |= set(Contract.objects.filter(contractor__credit_code__in=codes).values_list("project__park_id", flat=True))
    for park_id in parks:
        request_evaluation(park_id)


@register
class RegistrationImporter(Importer):
    name = "registrations"
    declaration = columns.REGISTRATIONS
    permission = staticmethod(commission_admin)

    def key(self, values):
        return (values.get("credit_code"),)

    def prepare(self, rows):
        codes = [row.get("credit_code") for row in rows]
        self.existing = {
            r.credit_code: r
            for r in RegistrationRecord.objects.filter(credit_code__in=codes).prefetch_related("people")
        }

    def build(self, values, result):
        data = {name: values.get(name) for name in RECORD_FIELDS}
        for name in ("address", "phone"):
            data[name] = data[name] or ""
        if data["deregistered_on"] is None and values.get("status") == "deregistered":
            raise CellError(_("a deregistered enterprise needs its deregistration date"))
        people = [(name, digest, share) for name, digest, share in values.get("shareholders") or []]
        record = self.existing.get(values["credit_code"])
        if record is None:
            record, result.status = RegistrationRecord(credit_code=values["credit_code"], **data), NEW
        else:
            changed = [name for name, value in data.items() if getattr(record, name) != value]
            recorded = sorted((p.name, p.id_hash, p.share) for p in record.people.all())
            for name in changed:
                setattr(record, name, data[name])
            result.status = UPDATED if changed or recorded != sorted(people) else UNCHANGED
        record.import_people = [RegistrationPerson(name=n, id_hash=h, share=s) for n, h, s in people]
        result.instance, result.label = record, record.name

    def saving(self):
        return deferred_evaluation()

    def save(self, results):
        codes = registrations_save([(row.instance, row.instance.import_people) for row in results], actor=self.actor)
        evaluate_parks_of(codes)


@register
class RelativeImporter(Importer):
    name = "relatives"
    declaration = columns.RELATIVES
    permission = staticmethod(commission_admin)
    exclude_from_clean = ("official",)

    def key(self, values):
        return (values.get("park"), values.get("official"), values.get("position"), values.get("id_hash"))

    def start(self):
        self.parks = {park.code: park for park in Park.objects.visible_to(self.actor)}

    def prepare(self, rows):
        names = {row.get("official") for row in rows}
        self.officials = {
            (o.park.code, o.name, o.position): o for o in Official.objects.filter(name__in=names).select_related("park")
        }
        self.existing = {
            (r.official_id, r.id_hash): r
            for r in Relative.objects.filter(
                official__in=self.officials.values(), id_hash__in=[row.get("id_hash") for row in rows]
            )
        }

    def build(self, values, result):
        if values["park"] not in self.parks:
            raise CellError(_("unknown park code: %(code)s") % {"code": values["park"]})
        official = self.officials.get((values["park"], values["official"], values["position"]))
        if official is None:
            raise CellError(
                _(
                    "no official %(name)s (%(position)s) in park %(park)s: add them to the conflict-of-interest "
                    "register first"
                )
                % {"name": values["official"], "position": values["position"], "park": values["park"]}
            )
        relative = self.existing.get((official.pk, values["id_hash"]))
        data = {"name": values["name"], "relation": values["relation"]}
        if relative is None:
            relative, result.status = Relative(official=official, id_hash=values["id_hash"], **data), NEW
        else:
            changed = [name for name, value in data.items() if getattr(relative, name) != value]
            for name in changed:
                setattr(relative, name, data[name])
            result.status = UPDATED if changed else UNCHANGED
        result.instance, result.label = relative, f"{official.name} — {relative.get_relation_display()}"

    def saving(self):
        return deferred_evaluation()

    def save(self, results):
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        new = [row.instance for row in results if row.status == NEW]
        updated = [row.instance for row in results if row.status == UPDATED]
        if new:
            bulk_create_with_history(new, Relative, batch_size=1000, default_user=self.actor)
        if updated:
            bulk_update_with_history(updated, Relative, ["name", "relation"], batch_size=1000, default_user=self.actor)
        for park_id in {r.official.park_id for r in new + updated}:
            request_evaluation(park_id)
