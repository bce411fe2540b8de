from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..credit_code import normalize_credit_code
from ..models import PASTE_ROOM, Enterprise, Liaison, Park


class ParkSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Park
        fields = [
            "id",
            "code",
            "name",
            "level",
            "level_display",
            "kind",
            "kind_display",
            "region",
            "address",
            "management_committee",
            "is_active",
        ]


class CreditCodeSerializerField(serializers.CharField):
    """Normalised like the form; the model validates the code itself when the service saves."""

    def __init__(self, **kwargs):
        super().__init__(max_length=PASTE_ROOM, label=_("unified social credit code"), **kwargs)

    def to_internal_value(self, data):
        return normalize_credit_code(super().to_internal_value(data))


class EnterpriseSerializer(serializers.ModelSerializer):
    park_code = serializers.CharField(source="park.code", read_only=True)
    credit_code = CreditCodeSerializerField()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["park"].queryset = Park.objects.visible_to(request.user)
        return fields

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "park",
            "park_code",
            "industry",
            "legal_representative",
            "contact_phone",
            "is_key",
            "is_monitoring_point",
            "is_four_winds_point",
            "has_special_supervisor",
        ]


class LiaisonSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.display_name", read_only=True)

    class Meta:
        model = Liaison
        fields = ["id", "member", "member_name", "enterprise", "started_on", "ended_on", "note"]
        read_only_fields = ["ended_on"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["enterprise"].queryset = Enterprise.objects.visible_to(request.user)
        return fields
