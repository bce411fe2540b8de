"""One router for the whole REST API, so /api/ lists every resource; the OpenAPI schema and its docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from complaints.api.public import PublicComplaintView, PublicTrackView
from complaints.api.views import ComplaintViewSet
from evaluations.api.views import RoundViewSet
from inspections.api import views as inspections
from parks.api.views import EnterpriseViewSet, LiaisonViewSet, ParkViewSet
from risks.api import views as risks

router = DefaultRouter()
# No ".json" twin of every route: the workflow actions take no ``format`` argument (their twins answered
# 500), and the Accept header already chooses the format.
router.include_format_suffixes = False
router.register("parks", ParkViewSet, basename="park")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("liaisons", LiaisonViewSet, basename="liaison")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("riskpoints", risks.RiskPointViewSet, basename="riskpoint")
router.register("decisions", risks.DecisionViewSet, basename="decision")
router.register("subsidies", risks.SubsidyViewSet, basename="subsidy")
router.register("projects", risks.ProjectViewSet, basename="project")
router.register("contracts", risks.ContractViewSet, basename="contract")
router.register("change-orders", risks.ChangeOrderViewSet, basename="changeorder")
router.register("officials", risks.OfficialViewSet, basename="official")
router.register("official-ties", risks.OfficialTieViewSet, basename="officialtie")
router.register("alerts", risks.AlertViewSet, basename="alert")
router.register("inspections", inspections.InspectionViewSet, basename="inspection")
router.register("findings", inspections.FindingViewSet, basename="finding")
router.register("tasks", inspections.TaskViewSet, basename="task")
router.register("visits", inspections.VisitViewSet, basename="visit")
router.register("demands", inspections.DemandViewSet, basename="demand")
router.register("notifications", inspections.NotificationViewSet, basename="notification")
router.register("evaluation-rounds", RoundViewSet, basename="evaluationround")

urlpatterns = [
    path("public/complaints/", PublicComplaintView.as_view(), name="public-complaint"),
    path("public/track/", PublicTrackView.as_view(), name="public-track"),
    path("token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    *router.urls,
]
