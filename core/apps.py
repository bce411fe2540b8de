from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import calendar_imports, checks  # noqa: F401 - register the calendar's importer, the system checks
        from .request_id import connect_signals
        from .schedule import install_periodic_tasks

        connect_signals()

        post_migrate.connect(install_periodic_tasks, sender=self)
