from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollisionsConfig(AppConfig):
    name = "collisions"
    verbose_name = _("Data collision")

    def ready(self) -> None:
        from . import rules  # noqa: F401 - the collision rules join the one alert-rule registry
