"""One router for the whole REST API, so /api/ lists every resource; the OpenAPI schema and its docs.

Two descriptions: the staff API (every endpoint; staff readers only, like the endpoints themselves) and
the public part (intake and tracking, from ``config.api_public``), which anybody may read. The docs are
Swagger UI from the sidecar package, its init script served as a file, so that it runs under a
Content-Security-Policy without 'unsafe-inline'."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import DefaultRouter

from accounts.api import TokenLogoutAllView, TokenLogoutView, TokenObtainView
from campaigns.api import CampaignViewSet, ReturnViewSet
from collisions.api import views as collisions
from complaints.api.public import PublicComplaintView, PublicTrackView
from complaints.api.views import ComplaintViewSet
from conduct import api as conduct
from evaluations.api.views import RoundViewSet
from inspections.api import views as inspections
from monitoring.api.views import MonitoringReportViewSet, QuestionnaireViewSet
from parks.api.views import EnterpriseViewSet, LiaisonViewSet, ParkViewSet
from risks.api import views as risks
from supervision.api import views as supervision

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
router.register("bids", risks.BidViewSet, basename="bid")
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
router.register("conduct-list-items", conduct.ListItemViewSet, basename="conductlistitem")
router.register("contact-registrations", conduct.RegistrationViewSet, basename="contactregistration")
router.register("integrity-activities", conduct.ActivityViewSet, basename="integrityactivity")
router.register("evaluation-rounds", RoundViewSet, basename="evaluationround")
router.register("observations", supervision.ObservationViewSet, basename="observation")
router.register("appointments", supervision.AppointmentViewSet, basename="appointment")
router.register("monitoring-reports", MonitoringReportViewSet, basename="monitoringreport")
router.register("monitoring-questionnaires", QuestionnaireViewSet, basename="questionnaire")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("campaign-returns", ReturnViewSet, basename="parkreturn")
router.register("registrations", collisions.RegistrationViewSet, basename="registration")
router.register("relatives", collisions.RelativeViewSet, basename="relative")


class SchemaView(SpectacularAPIView):
    """The OpenAPI document; a refusal (not logged in, not staff) answers in the API's JSON error shape,
    not as YAML."""

    def handle_exception(self, exc):
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)


#: The endpoints anybody may call (documented on their own by /api/public/schema/).
public_urlpatterns = [
    path("public/complaints/", PublicComplaintView.as_view(), name="public-complaint"),
    path("public/track/", PublicTrackView.as_view(), name="public-track"),
]

DOCS_TEMPLATE = "api/swagger_ui.html"  # Swagger UI without inline style (its script is a separate file)
PUBLIC_API = {
    "TITLE": "清廉园区监督平台 公开接口",
    "DESCRIPTION": (
        "The endpoints anybody may call without an account: file a complaint (the answer carries its "
        "tracking code, only this once) and look a complaint up by its tracking code. Rate-limited per "
        'client. Errors: {"code", "detail", "fields"}.'
    ),
}

urlpatterns = [
    *public_urlpatterns,
    path("token/", TokenObtainView.as_view(), name="api-token"),
    path("token/logout/", TokenLogoutView.as_view(), name="api-token-logout"),
    path("token/logoutall/", TokenLogoutAllView.as_view(), name="api-token-logoutall"),
    # Staff readers only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]); the docs page sends others to log in.
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name=DOCS_TEMPLATE)),
        name="api-docs",
    ),
    path(
        "public/schema/",
        SchemaView.as_view(
            urlconf="config.api_public",
            custom_settings=PUBLIC_API,
            permission_classes=[AllowAny],
            authentication_classes=[],
        ),
        name="api-public-schema",
    ),
    path(
        "public/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-public-schema",
            template_name=DOCS_TEMPLATE,
            title=PUBLIC_API["TITLE"],
            permission_classes=[AllowAny],
            authentication_classes=[],
        ),
        name="api-public-docs",
    ),
    *router.urls,
]
