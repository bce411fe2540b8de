from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "conduct"
    verbose_name = _("Government–business conduct and integrity culture")

    def ready(self) -> None:
        from . import rules, signals  # noqa: F401 - the cross-check alert rules, re-running them on change
