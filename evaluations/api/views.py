from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from ..models import Round
from ..selectors import results


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = ["id", "year", "status", "computed_at", "finalised_at"]


class ResultSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    park = serializers.CharField(source="park.code")
    park_name = serializers.CharField(source="park.name")
    by_dimension = serializers.DictField(child=serializers.DecimalField(max_digits=8, decimal_places=2))
    deductions = serializers.DecimalField(max_digits=8, decimal_places=2)
    total = serializers.DecimalField(max_digits=8, decimal_places=2)
    missing = serializers.IntegerField()


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Evaluation rounds; ``results`` gives the ranking of the parks in the caller's scope."""

    queryset = Round.objects.all()
    serializer_class = RoundSerializer
    lookup_field = "year"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and not request.user.is_commission_staff:
            raise PermissionDenied

    @extend_schema(responses=ResultSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request, year=None):
        rows = results(user=request.user, round_=self.get_object())
        data = [{**row, "by_dimension": dict(row["by_dimension"])} for row in rows]
        return Response(ResultSerializer(data, many=True).data)
