from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # the app's own config, not the lockout one below
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the system checks
            sessions,  # noqa: F401 - connects the login stamp
            signals,  # noqa: F401 - a user forgets the park ids it loaded when its parks change
        )


class LockoutConfig(AxesConfig):
    """django-axes (failed-login lockouts) under a name commission admins read in the admin."""

    default = False
    verbose_name = _("Login lockouts")
