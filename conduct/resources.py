"""Export columns, from the declarations in conduct.columns."""

from core.resources import resource_for

from . import columns
from .models import ConductListItem, ContactRegistration, IntegrityActivity

ListItemResource = resource_for("ListItemResource", columns.LIST_ITEMS, ConductListItem)
RegistrationResource = resource_for("RegistrationResource", columns.REGISTRATIONS, ContactRegistration)
ActivityResource = resource_for("ActivityResource", columns.ACTIVITIES, IntegrityActivity)
