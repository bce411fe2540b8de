from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"
    verbose_name = _("Special supervisors")

    def ready(self) -> None:
        from core.calendar import register_recomputer

        from .services import recompute_observation_deadlines

        register_recomputer(recompute_observation_deadlines)
