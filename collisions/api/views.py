"""The reference data over the API: read-only, commission admins only (personal data); ID hashes are not
part of any answer."""

from rest_framework import serializers

from core.api import ScopedReadOnlyViewSet

from ..filters import RegistrationFilter, RelativeFilter
from ..models import RegistrationPerson, RegistrationRecord, Relative


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegistrationPerson
        fields = ["name", "share"]


class RegistrationRecordSerializer(serializers.ModelSerializer):
    shareholders = PersonSerializer(source="people", many=True, read_only=True)

    class Meta:
        model = RegistrationRecord
        fields = [
            "id",
            "credit_code",
            "name",
            "legal_rep_name",
            "address",
            "phone",
            "status",
            "deregistered_on",
            "in_park_area",
            "shareholders",
        ]


class RelativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Relative
        fields = ["id", "official", "name", "relation"]


class RegistrationViewSet(ScopedReadOnlyViewSet):
    queryset = RegistrationRecord.objects.all()
    serializer_class = RegistrationRecordSerializer
    filterset_class = RegistrationFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("people")


class RelativeViewSet(ScopedReadOnlyViewSet):
    queryset = Relative.objects.all()
    serializer_class = RelativeSerializer
    filterset_class = RelativeFilter
