from rest_framework import serializers

from ..models import Enterprise, Liaison, Park


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


class EnterpriseSerializer(serializers.ModelSerializer):
    park_code = serializers.CharField(source="park.code", read_only=True)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["park"].queryset = Park.objects.visible_to(request.user)
        # The model validates the credit code (and normalises what was typed) when the service saves.
        fields["credit_code"].validators = [
            v for v in fields["credit_code"].validators if "Unique" not in type(v).__name__
        ]
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
