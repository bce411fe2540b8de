from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risk ledgers and alerts")

    def ready(self) -> None:
        from . import reminders, signals  # noqa: F401 - rules run on ledger changes; reminder source
