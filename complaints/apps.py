from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from core.calendar import register_recomputer

        from . import reminders  # noqa: F401 - registers the reminder source
        from .deadlines import recompute_complaint_deadlines

        register_recomputer(recompute_complaint_deadlines)
