"""Export columns, from the declarations in monitoring.columns."""

from core.resources import resource_for

from . import columns
from .models import Answer, MonitoringReport

ReportResource = resource_for("MonitoringReportResource", columns.REPORTS, MonitoringReport)
AnswerResource = resource_for("MonitoringAnswerResource", columns.ANSWERS, Answer)
