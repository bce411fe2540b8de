"""Export columns, from the declarations in supervision.columns."""

from core.resources import resource_for

from . import columns
from .models import Appointment, Observation

ObservationResource = resource_for("ObservationResource", columns.OBSERVATIONS, Observation)
AppointmentResource = resource_for("AppointmentResource", columns.APPOINTMENTS, Appointment)
ActivityResource = resource_for("ActivityResource", columns.ACTIVITY, Appointment)
