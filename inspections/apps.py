from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections and rectification")

    def ready(self) -> None:
        from . import reminders, rules, signals  # noqa: F401 - reminder sources, the overdue-task alert rule
