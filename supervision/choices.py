from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppointmentSource(models.TextChoices):
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur representative")
    SENT_DOWN = "sent_down", _("Cadre sent down to the park")
    OTHER = "other", pgettext_lazy("appointment source", "Other")


class AppointmentStatus(models.TextChoices):
    SERVING = "serving", _("serving")
    EXPIRED = "expired", _("term expired")
    DISMISSED = "dismissed", pgettext_lazy("appointment", "dismissed")


class ObservationCategory(models.TextChoices):
    CONDUCT = "conduct", _("Work style")
    EXTORTION = "extortion", _("Taking, demanding, obstructing")
    POLICY = "policy", _("Policy implementation")
    BUSINESS = "business", _("Business environment")
    OTHER = "other", pgettext_lazy("observation category", "Other")


class ObservationStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("observation", "submitted")
    ASKED_BACK = "asked_back", _("more information asked")
    ACCEPTED = "accepted", _("accepted as a finding")
    FILED = "filed", _("filed away")


#: States in which the inspectors have decided: the observation is handled.
HANDLED_STATUSES = frozenset({ObservationStatus.ACCEPTED, ObservationStatus.FILED})


class ObservationStepKind(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("observation", "submitted")
    ASK = "ask", _("asked for more information")
    ANSWER = "answer", _("answered")
    ACCEPT = "accept", _("accepted as a finding")
    FILE = "file", _("filed away")
