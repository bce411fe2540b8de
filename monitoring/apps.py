from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring points")

    def ready(self) -> None:
        from . import reminders, rules  # noqa: F401 - the missed-report reminder, the score-drop alert rule
