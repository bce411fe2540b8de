from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    POLITICAL = "political", _("Political integrity")
    RESPONSIBILITY = "responsibility", _("Clear powers and responsibilities")
    RELATIONS = "relations", _("Close-but-clean government–business relations")
    CADRES = "cadres", _("Upright cadres")


class Source(models.TextChoices):
    """Where a computed indicator takes its value from (the year's data of the park)."""

    COMPLAINT_ON_TIME = "complaint_on_time", _("Complaints replied on time (rate)")
    SATISFACTION = "satisfaction", _("Satisfaction with answers (rate)")
    RECTIFICATION_ON_TIME = "rectification_on_time", _("Rectifications closed on time (rate)")
    OPEN_HIGH_ALERTS = "open_high_alerts", _("Open high alerts (count)")
    SUBSIDIES_NOT_LANDED = "subsidies_not_landed", _("Subsidies not landed (count)")
    DECISION_BREACHES = "decision_breaches", _("'Three majors, one large' breaches (count)")


RATE_SOURCES = frozenset({Source.COMPLAINT_ON_TIME, Source.SATISFACTION, Source.RECTIFICATION_ON_TIME})


class RoundStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    FINAL = "final", _("finalised")
