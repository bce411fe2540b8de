from django.conf import settings
from django.core.checks import Error, register

from .choices import COMMISSION_ROLES


@register()
def two_factor_roles_are_commission_roles(app_configs, **kwargs):
    """A misspelt role would silently require nobody; enterprise users and park officers are never required."""
    unknown = sorted(set(settings.TWO_FACTOR_REQUIRED_ROLES) - {str(role) for role in COMMISSION_ROLES})
    if not unknown:
        return []
    return [
        Error(
            f"TWO_FACTOR_REQUIRED_ROLES lists {', '.join(unknown)}: only commission_admin and inspector may be required.",
            id="accounts.E001",
        )
    ]
