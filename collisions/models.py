"""The reference data the portal does not own, imported by commission admins: enterprise registration
records with their people, and officials' relatives. ID numbers live only as keyed hashes
(collisions.identity). ``RegistrationKey`` is the join table of the collision rules: one row per
normalised key a registration has (each person's hash, its address, its phone), kept by the import."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet
from parks.models import CreditCodeField
from risks.choices import Relation

from .choices import KeyKind, KeyRole, RegistrationStatus
from .identity import address_key, phone_key

HASH_LENGTH = 64


class CommissionOnlyQuerySet(ScopedQuerySet):
    """Reference data of the whole province, not of a park: commission admins only, everyone else none."""

    def visible_to(self, user):
        if user is not None and user.is_authenticated and user.is_active and user.is_commission_admin:
            return self.all()
        return self.none()


class RegistrationRecord(models.Model):
    credit_code = CreditCodeField(_("unified social credit code"), unique=True)
    name = models.CharField(_("enterprise name"), max_length=200)
    legal_rep_name = models.CharField(_("legal representative"), max_length=50)
    legal_rep_id_hash = models.CharField(_("legal representative's ID hash"), max_length=HASH_LENGTH)
    address = models.CharField(_("registered address"), max_length=300, blank=True)
    address_key = models.CharField(_("normalised address"), max_length=300, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_key = models.CharField(_("phone digits"), max_length=40, blank=True, editable=False)
    status = models.CharField(
        _("registration status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.ACTIVE
    )
    deregistered_on = models.DateField(_("deregistration date"), null=True, blank=True)
    in_park_area = models.BooleanField(
        _("registered in the park's area"), null=True, blank=True, help_text=_("Empty: not stated.")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["imported_at"])
    objects = CommissionOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration record")
        verbose_name_plural = _("registration records")
        ordering = ["credit_code"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.credit_code}）"

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("collisions:registration-list") + f"?q={self.credit_code}"

    @property
    def shareholder_names(self) -> str:
        return "、".join(person.name for person in self.people.all())

    def normalise(self) -> None:
        """The keys the collision rules join on (every write path calls this; bulk writes too)."""
        self.address_key, self.phone_key = address_key(self.address), phone_key(self.phone)


class RegistrationPerson(models.Model):
    """A shareholder (股东) of a registration record."""

    record = models.ForeignKey(
        RegistrationRecord,
        verbose_name=_("registration record"),
        on_delete=models.CASCADE,
        related_name="people",
        db_index=False,
    )
    name = models.CharField(_("name"), max_length=50)
    id_hash = models.CharField(_("ID hash"), max_length=HASH_LENGTH)
    share = models.DecimalField(_("share (%)"), max_digits=6, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()
    objects = CommissionOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("shareholder")
        verbose_name_plural = _("shareholders")
        ordering = ["record", "pk"]
        constraints = [models.UniqueConstraint(fields=["record", "id_hash"], name="registration_person_unique")]

    def __str__(self) -> str:
        return self.name


class RegistrationKey(models.Model):
    """What the collision rules join on: (kind, value) shared between two credit codes is a tie."""

    record = models.ForeignKey(RegistrationRecord, on_delete=models.CASCADE, related_name="keys")
    credit_code = models.CharField(max_length=18)
    kind = models.CharField(max_length=10, choices=KeyKind.choices)
    role = models.CharField(max_length=12, choices=KeyRole.choices)
    value = models.CharField(max_length=300)
    #: What an alert may say of the key: a masked name, an address, a masked phone.
    label = models.CharField(max_length=300)

    objects = CommissionOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration key")
        verbose_name_plural = _("registration keys")
        indexes = [
            models.Index(fields=["kind", "value", "credit_code"], name="registration_key_join"),
            models.Index(fields=["credit_code", "kind"], name="registration_key_code"),
        ]

    def __str__(self) -> str:
        return f"{self.credit_code} {self.get_role_display()}"


class RelativeQuerySet(ScopedQuerySet):
    park_path = "official__park"

    def visible_to(self, user):
        # Personal data: commission admins only, like the registration records.
        return CommissionOnlyQuerySet.visible_to(self, user)


class Relative(models.Model):
    """A relative of an official of a park (or, with relation 本人, the official's own identity)."""

    official = models.ForeignKey(
        "risks.Official", verbose_name=_("official"), on_delete=models.CASCADE, related_name="relatives", db_index=False
    )
    name = models.CharField(_("relative's name"), max_length=50)
    id_hash = models.CharField(_("ID hash"), max_length=HASH_LENGTH)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)

    history = HistoricalRecords()
    objects = RelativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("official's relative")
        verbose_name_plural = _("officials' relatives")
        ordering = ["official", "pk"]
        indexes = [models.Index(fields=["id_hash"])]
        constraints = [models.UniqueConstraint(fields=["official", "id_hash"], name="relative_unique_per_official")]

    def __str__(self) -> str:
        return f"{self.official.name} — {self.get_relation_display()}"
