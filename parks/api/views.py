from core.api import ScopedReadOnlyViewSet

from ..filters import EnterpriseFilter, ParkFilter
from ..models import Enterprise, Park
from .serializers import EnterpriseSerializer, ParkSerializer


class ParkViewSet(ScopedReadOnlyViewSet):
    queryset = Park.objects.all()
    serializer_class = ParkSerializer
    filterset_class = ParkFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]


class EnterpriseViewSet(ScopedReadOnlyViewSet):
    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    select_related = ("park",)
    ordering_fields = ["name", "credit_code"]
