"""The API resources of the conduct app: the same scope, filters and services as the pages."""

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from core.api import ScopedModelViewSet
from parks.models import Enterprise, Park
from risks.models import Official

from . import services
from .filters import ActivityFilter, ListItemFilter, RegistrationFilter
from .models import ConductListItem, ContactRegistration, IntegrityActivity


class NotForEnterprises:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and not request.user.is_staff_reader:
            raise PermissionDenied


class ScopedChoices:
    """Parks, enterprises and officials offered to a writer are those they see."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            choices = {"park": Park, "enterprise": Enterprise, "official_record": Official}
            for name, model in choices.items():
                if name in fields and not fields[name].read_only:
                    fields[name].queryset = model.objects.visible_to(request.user)
        return fields


class ListItemSerializer(ScopedChoices, serializers.ModelSerializer):
    class Meta:
        model = ConductListItem
        fields = ["id", "list_kind", "park", "code", "text", "negative_kind", "order", "is_active"]


class RegistrationSerializer(ScopedChoices, serializers.ModelSerializer):
    class Meta:
        model = ContactRegistration
        fields = [
            "id",
            "park",
            "official",
            "official_record",
            "enterprise",
            "contact_on",
            "place",
            "purpose",
            "meal_paid_by",
            "gifts_offered",
            "gifts_value",
            "gifts_accepted",
            "travel_paid_by_enterprise",
            "discussed_bidding",
            "declares_tie",
            "tie_note",
            "self_reported",
            "matched_items",
            "reviewed_at",
            "created_at",
        ]
        read_only_fields = ["official", "matched_items", "reviewed_at", "created_at"]


class ActivitySerializer(ScopedChoices, serializers.ModelSerializer):
    class Meta:
        model = IntegrityActivity
        fields = ["id", "park", "held_on", "kind", "title", "audience", "attendance", "note"]


class ListItemViewSet(NotForEnterprises, ScopedModelViewSet):
    queryset = ConductListItem.objects.all()
    serializer_class = ListItemSerializer
    filterset_class = ListItemFilter

    def save(self, actor, instance):
        return services.list_item_save(actor=actor, item=instance)


class RegistrationViewSet(NotForEnterprises, ScopedModelViewSet):
    queryset = ContactRegistration.objects.all()
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    ordering_fields = ["contact_on"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("matched_items")

    def save(self, actor, instance):
        return services.registration_file(actor=actor, registration=instance)


class ActivityViewSet(NotForEnterprises, ScopedModelViewSet):
    queryset = IntegrityActivity.objects.all()
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["held_on"]

    def save(self, actor, instance):
        return services.activity_save(actor=actor, activity=instance)
