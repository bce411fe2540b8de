"""The export columns of the reference data come from their declarations in collisions.columns."""

from core.resources import resource_for

from . import columns
from .models import RegistrationRecord, Relative

RegistrationResource = resource_for("RegistrationResource", columns.REGISTRATIONS, RegistrationRecord)
RelativeResource = resource_for("RelativeResource", columns.RELATIVES, Relative)
