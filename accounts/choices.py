from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMISSION_ADMIN = "commission_admin", _("Commission administrator")
    INSPECTOR = "inspector", _("Inspector")
    PARK_OFFICER = "park_officer", _("Park officer")
    ENTERPRISE = "enterprise", _("Enterprise user")
    SUPERVISOR = "supervisor", _("Special supervisor")


# Roles that work for the commission: they may see who complained and act as liaisons.
COMMISSION_ROLES = frozenset({Role.COMMISSION_ADMIN, Role.INSPECTOR})
# Roles whose scope is the set of parks assigned to them.
PARK_ASSIGNED_ROLES = frozenset({Role.INSPECTOR, Role.PARK_OFFICER})
# Roles from outside the commission's and the park's staff: they read no case, ledger or alert. A
# supervisor's scope is their appointments (supervision.models.Appointment), asked by that app alone.
OUTSIDE_ROLES = frozenset({Role.ENTERPRISE, Role.SUPERVISOR})
