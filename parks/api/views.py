from core.api import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import services
from ..filters import EnterpriseFilter, ParkFilter
from ..models import Enterprise, Liaison, Park
from .serializers import EnterpriseSerializer, LiaisonSerializer, ParkSerializer


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


class LiaisonViewSet(ScopedModelViewSet):
    """One-to-one liaisons; commission staff assign one (the current liaison of the enterprise ends)."""

    queryset = Liaison.objects.all()
    serializer_class = LiaisonSerializer
    select_related = ("member", "enterprise")
    filterset_fields = ["enterprise", "member"]
    http_method_names = ["get", "post", "head", "options"]

    def save(self, actor, instance):
        return services.liaison_assign(
            actor=actor,
            enterprise=instance.enterprise,
            member=instance.member,
            started_on=instance.started_on,
            note=instance.note,
        )
