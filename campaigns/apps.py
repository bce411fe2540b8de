from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from core.calendar import register_recomputer

        from . import finding_extension, reminders  # noqa: F401 - the reminder source, the finding hooks
        from .services import recompute_return_deadlines

        register_recomputer(recompute_return_deadlines)
