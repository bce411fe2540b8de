from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("in business")
    REVOKED = "revoked", _("licence revoked")
    DEREGISTERED = "deregistered", _("deregistered")
    MOVED_OUT = "moved_out", _("moved out")


class KeyKind(models.TextChoices):
    """What two registrations may share: a person (legal representative or shareholder, by ID hash), an
    address or a phone number (normalised)."""

    PERSON = "person", _("person")
    ADDRESS = "address", _("registered address")
    PHONE = "phone", _("phone")


class KeyRole(models.TextChoices):
    LEGAL_REP = "legal_rep", _("legal representative")
    SHAREHOLDER = "shareholder", _("shareholder")
    ADDRESS = "address", _("registered address")
    PHONE = "phone", _("phone")
