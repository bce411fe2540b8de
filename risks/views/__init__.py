"""The risk pages: the ledgers (``ledgers``, on the shared bases of ``base``) and the alerts (``alerts``)."""

from .alerts import AlertDetailView, AlertListView
from .ledgers import (
    DecisionDetailView,
    DecisionFormView,
    DecisionListView,
    OfficialFormView,
    OfficialListView,
    OfficialTieAddView,
    ProjectDetailView,
    ProjectFormView,
    ProjectListView,
    RiskPointDetailView,
    RiskPointFormView,
    RiskPointListView,
    SubsidyDetailView,
    SubsidyFormView,
    SubsidyListView,
)

__all__ = [
    "AlertDetailView",
    "AlertListView",
    "DecisionDetailView",
    "DecisionFormView",
    "DecisionListView",
    "OfficialFormView",
    "OfficialListView",
    "OfficialTieAddView",
    "ProjectDetailView",
    "ProjectFormView",
    "ProjectListView",
    "RiskPointDetailView",
    "RiskPointFormView",
    "RiskPointListView",
    "SubsidyDetailView",
    "SubsidyFormView",
    "SubsidyListView",
]
