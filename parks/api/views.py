from core.api import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import services
from ..filters import EnterpriseFilter, ParkFilter
from ..models import Enterprise, Park
from .serializers import EnterpriseSerializer, ParkSerializer


class ParkViewSet(ScopedReadOnlyViewSet):
    """Parks in the caller's scope (parks are created by commission admins in the admin)."""

    queryset = Park.objects.all()
    serializer_class = ParkSerializer
    filterset_class = ParkFilter
    lookup_field = "code"
    ordering_fields = ["code", "name"]


class EnterpriseViewSet(ScopedModelViewSet):
    """Enterprises; ledger keepers (admins, inspectors, park officers) register and edit those of
    their parks. The credit code is checked (GB 32100-2015)."""

    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    select_related = ("park",)
    ordering_fields = ["name", "credit_code"]

    def save(self, actor, instance):
        data = {field: getattr(instance, field) for field in services.ENTERPRISE_FIELDS}
        if instance.pk is None:
            return services.enterprise_create(actor=actor, **data)
        return services.enterprise_update(actor=actor, enterprise=instance, **data)
