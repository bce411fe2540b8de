"""The supervisors' sheet a commission admin fills (user name, name, phone, park codes, source, term): each
row appoints a supervisor for a term, creating their user (supervisor role, no password yet: the admin sets
one, or the person resets it) when the user name is new. Checked in full, then saved all at once; a row is
matched on (user name, start of the term), so the same file imported again changes nothing."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.models import User
from core.imports import NEW, UNCHANGED, UPDATED, Importer, register
from parks.models import Park

from . import services
from .columns import APPOINTMENT_IMPORT
from .models import Appointment

PARK_SEPARATORS = re.compile(r"[、,，;；\s]+")


@register
class SupervisorImporter(Importer):
    name = "supervisors"
    declaration = APPOINTMENT_IMPORT
    permission = staticmethod(lambda user: user.is_commission_admin)
    done_url = "supervision:activity"

    def key(self, values):
        return (values.get("username"), values.get("starts_on"))

    def start(self):
        self.parks = {park.code: park for park in Park.objects.visible_to(self.actor)}

    def prepare(self, rows):
        names = {row["username"] for row in rows}
        self.users = {user.username: user for user in User.objects.filter(username__in=names)}
        self.existing = {
            (a.supervisor.username, a.starts_on): a
            for a in Appointment.objects.filter(supervisor__username__in=names)
            .select_related("supervisor")
            .prefetch_related("parks")
        }

    def _parks(self, text: str) -> list[Park]:
        codes = [code.upper() for code in PARK_SEPARATORS.split(text) if code]
        unknown = [code for code in codes if code not in self.parks]
        if unknown or not codes:
            raise ValidationError(
                {"parks": _("unknown park code, or a park you do not manage: %(code)s") % {"code": "、".join(unknown)}}
            )
        return [self.parks[code] for code in dict.fromkeys(codes)]

    def build(self, values, result):
        user = self.users.get(values["username"])
        if user is not None and user.role != Role.SUPERVISOR:
            raise ValidationError({"username": _("This user name belongs to a user who is not a supervisor.")})
        parks = self._parks(values["parks"])
        appointment = self.existing.get((values["username"], values["starts_on"]))
        if appointment is None:
            appointment, result.status = Appointment(starts_on=values["starts_on"]), NEW
        else:
            same = (
                appointment.ends_on == values["ends_on"]
                and appointment.source == values["source"]
                and {p.pk for p in appointment.parks.all()} == {p.pk for p in parks}
                and (user.name, user.phone) == (values["name"], values["phone"] or "")
            )
            result.status = UNCHANGED if same else UPDATED
        appointment.ends_on, appointment.source = values["ends_on"], values["source"]
        appointment.import_user = {
            "username": values["username"],
            "name": values["name"],
            "phone": values["phone"] or "",
        }
        appointment.import_parks = parks
        result.instance = appointment
        result.label = f"{values['name']}（{values['username']}） {'、'.join(p.name for p in parks)}"

    def save(self, results):
        for row in results:
            appointment = row.instance
            person = appointment.import_user
            user = User.objects.filter(username=person["username"]).first()
            if user is None:
                user = User(username=person["username"], role=Role.SUPERVISOR)
                user.set_unusable_password()
            user.name, user.phone = person["name"], person["phone"]
            user.save()
            appointment.supervisor = user
            services.appointment_save(actor=self.actor, appointment=appointment, parks=appointment.import_parks)
