from rest_framework.routers import DefaultRouter

from .views import EnterpriseViewSet, ParkViewSet

router = DefaultRouter()
router.register("parks", ParkViewSet, basename="park")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = router.urls
