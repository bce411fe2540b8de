"""One router for the whole REST API, so /api/ lists every resource."""

from rest_framework.routers import DefaultRouter

from complaints.api.views import ComplaintViewSet
from parks.api.views import EnterpriseViewSet, ParkViewSet

router = DefaultRouter()
router.register("parks", ParkViewSet, basename="park")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("complaints", ComplaintViewSet, basename="complaint")

urlpatterns = router.urls
