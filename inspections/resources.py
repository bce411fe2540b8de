"""Export columns, from the declarations in inspections.columns."""

from core.resources import resource_for

from . import columns
from .models import AccountabilityMeasure, Demand, Finding, Inspection, RectificationTask, Visit

InspectionResource = resource_for("InspectionResource", columns.INSPECTIONS, Inspection)
FindingResource = resource_for("FindingResource", columns.FINDINGS, Finding)
TaskResource = resource_for("TaskResource", columns.TASKS, RectificationTask)
VisitResource = resource_for("VisitResource", columns.VISITS, Visit)
DemandResource = resource_for("DemandResource", columns.DEMANDS, Demand)
MeasureResource = resource_for("MeasureResource", columns.MEASURES, AccountabilityMeasure)
