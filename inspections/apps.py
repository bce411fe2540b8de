from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections and rectification")

    def ready(self) -> None:
        from . import reminders  # noqa: F401 - registers the reminder sources
