"""The API's campaigns and checklist returns: read through the same scope and filters as the pages."""

from rest_framework import serializers

from core.api import ScopedReadOnlyViewSet
from inspections.api.views import NotForEnterprises

from .filters import CampaignFilter, ReturnFilter
from .models import Campaign, ParkReturn, ReturnAnswer
from .workflow import return_steps_for


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "name", "theme", "parks", "starts_on", "ends_on", "lead_unit", "rules", "ledgers",
                  "return_working_days", "status", "launched_on"]  # fmt: skip


class ReturnAnswerSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.text")

    class Meta:
        model = ReturnAnswer
        fields = ["id", "item", "result", "note"]


class ReturnSerializer(serializers.ModelSerializer):
    answers = ReturnAnswerSerializer(many=True, read_only=True)
    steps = serializers.SerializerMethodField()

    class Meta:
        model = ParkReturn
        fields = ["id", "campaign", "park", "due_on", "status", "submitted_at", "reviewed_at", "return_reason",
                  "answers", "steps"]  # fmt: skip

    def get_steps(self, park_return) -> list[str]:
        """The steps the caller may take now (the return page's buttons): fill, submit, pass, send_back."""
        request = self.context.get("request")
        return return_steps_for(park_return, request.user) if request is not None else []


class CampaignViewSet(NotForEnterprises, ScopedReadOnlyViewSet):
    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("parks")


class ReturnViewSet(NotForEnterprises, ScopedReadOnlyViewSet):
    queryset = ParkReturn.objects.all()
    serializer_class = ReturnSerializer
    filterset_class = ReturnFilter
    select_related = ("campaign",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("answers__item")
