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
    OBSERVATIONS_HANDLED = "observations_handled", _("Supervisors' observations handled on time (rate)")
    MONITORING_RESPONSE = "monitoring_response_rate", _("Monitoring points' reports filed (rate)")
    MONITORING_SCORE = "monitoring_average_score", _("Monitoring points' scores (rate of the full score)")
    REGISTRATIONS = "conduct_registrations", _("Contact registrations filed (count, points earned)")
    NEGATIVE_HITS = "conduct_negative_hits", _("Negative-list hits (count)")
    ACTIVITIES = "conduct_activities", _("Integrity education activities (count, points earned)")


RATE_SOURCES = frozenset(
    {
        Source.COMPLAINT_ON_TIME, Source.SATISFACTION, Source.RECTIFICATION_ON_TIME,
        Source.OBSERVATIONS_HANDLED, Source.MONITORING_RESPONSE, Source.MONITORING_SCORE,
    }
)  # fmt: skip
# Counted sources where each item earns points up to the maximum (the others take points off).
EARNED_SOURCES = frozenset({Source.REGISTRATIONS, Source.ACTIVITIES})


class RoundStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    FINAL = "final", _("finalised")
