"""The API's campaigns and checklist returns: read through the same scope and filters as the pages, and
the steps a client takes — launch, fill in and submit a return, pass it or send it back, tag and untag a
finding — through the services the pages call (the same roles, scope and messages)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ScopedReadOnlyViewSet
from inspections.api.views import NotForEnterprises
from inspections.models import Finding
from risks.api.serializers import ReasonInput

from . import services
from .choices import AnswerResult
from .filters import CampaignFilter, ReturnFilter
from .models import Campaign, CampaignFinding, ParkReturn, ReturnAnswer
from .workflow import return_refusal, return_steps_for, tag_refusal


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


class CampaignFindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignFinding
        fields = ["id", "campaign", "finding", "tagged_by", "tagged_at"]


class ChecklistAnswerInput(serializers.Serializer):
    """One checklist item's answer, as the return page's form takes it (``forms.AnswerForm``)."""

    id = serializers.IntegerField(help_text="The answer's id (``answers[].id`` of the return).")
    result = serializers.ChoiceField(choices=AnswerResult.choices, allow_blank=True, required=False, default="")
    note = serializers.CharField(allow_blank=True, required=False, default="")


class ChecklistAnswersInput(serializers.Serializer):
    answers = ChecklistAnswerInput(many=True, required=False, default=list)


class CampaignTagInput(serializers.Serializer):
    finding = serializers.IntegerField(help_text="The finding's id; a finding outside your parks is a 404.")


class CampaignUntagInput(CampaignTagInput):
    reason = serializers.CharField(help_text="Why the finding is taken off the campaign (kept in its history).")


def _input(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class CampaignViewSet(NotForEnterprises, ScopedReadOnlyViewSet):
    """Campaigns in the caller's parks. Commission admins launch one; commission staff tag findings of
    their parks to a campaign under way, or take one tagged by mistake off it (with a reason)."""

    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("parks")

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def launch(self, request, pk=None):
        """Launch the campaign: each covered park gets its checklist return (409 when not in preparation)."""
        campaign = services.campaign_launch(actor=request.user, campaign=self.get_object())
        return Response(CampaignSerializer(campaign, context=self.get_serializer_context()).data)

    def _finding(self, request, serializer_class) -> tuple[Campaign, Finding, dict]:
        campaign = self.get_object()  # outside the scope is a 404 whatever the body says
        refusal = tag_refusal(request.user)
        if refusal:
            raise PermissionDenied(refusal)
        data = _input(serializer_class, request.data)
        finding = get_object_or_404(Finding.objects.visible_to(request.user), pk=data["finding"])
        return campaign, finding, data

    @extend_schema(request=CampaignTagInput, responses=CampaignFindingSerializer)
    @action(detail=True, methods=["post"])
    def tag(self, request, pk=None):
        """Tag a finding (with its tasks, measures and recovered losses) to the campaign; twice is once."""
        campaign, finding, _data = self._finding(request, CampaignTagInput)
        link = services.finding_tag(actor=request.user, campaign=campaign, finding=finding)
        return Response(CampaignFindingSerializer(link).data)

    @extend_schema(request=CampaignUntagInput, responses={204: None})
    @action(detail=True, methods=["post"])
    def untag(self, request, pk=None):
        """Take a finding tagged by mistake off the campaign; the reason is kept in the link's history."""
        campaign, finding, data = self._finding(request, CampaignUntagInput)
        services.finding_untag(actor=request.user, campaign=campaign, finding=finding, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReturnViewSet(NotForEnterprises, ScopedReadOnlyViewSet):
    """Checklist returns in the caller's parks. The park's officers save the answers (``fill``) and
    ``submit``; the park's inspectors ``pass`` a submitted return or ``send-back`` it with a reason. A
    step the state does not allow is 409."""

    queryset = ParkReturn.objects.all()
    serializer_class = ReturnSerializer
    filterset_class = ReturnFilter
    select_related = ("campaign",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("answers__item")

    def _return(self, step: str) -> ParkReturn:
        park_return = self.get_object()
        refusal = return_refusal(park_return, self.request.user, step)
        if refusal:
            raise PermissionDenied(refusal)
        return park_return

    def _respond(self, park_return: ParkReturn) -> Response:
        park_return = self.get_queryset().get(pk=park_return.pk)
        return Response(ReturnSerializer(park_return, context=self.get_serializer_context()).data)

    def _answers(self, park_return: ParkReturn) -> dict:
        """{answer id: {"result", "note"}}, every id an answer of this return (else 400)."""
        given = _input(ChecklistAnswersInput, self.request.data)["answers"]
        known = {answer.pk for answer in park_return.answers.all()}
        unknown = sorted({entry["id"] for entry in given} - known)
        if unknown:
            message = _("Not an item of this checklist: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}
            raise serializers.ValidationError({"answers": [message]})
        return {entry["id"]: {"result": entry["result"], "note": entry["note"]} for entry in given}

    @extend_schema(request=ChecklistAnswersInput, responses=ReturnSerializer)
    @action(detail=True, methods=["post"])
    def fill(self, request, pk=None):
        """Save the answers given so far; the return stays to be filled in."""
        park_return = self._return("fill")
        answers = self._answers(park_return)
        return self._respond(services.return_fill(actor=request.user, park_return=park_return, answers=answers))

    @extend_schema(request=ChecklistAnswersInput, responses=ReturnSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Save the answers and submit: every item answered, a problem found described (else 400, nothing
        saved)."""
        park_return = self._return("submit")
        answers = self._answers(park_return)
        return self._respond(services.return_submit(actor=request.user, park_return=park_return, answers=answers))

    @extend_schema(request=None, responses=ReturnSerializer)
    @action(detail=True, methods=["post"], url_path="pass", url_name="pass")
    def pass_return(self, request, pk=None):
        """Accept the submitted return."""
        park_return = self._return("pass")
        return self._respond(services.return_pass(actor=request.user, park_return=park_return))

    @extend_schema(request=ReasonInput, responses=ReturnSerializer)
    @action(detail=True, methods=["post"], url_path="send-back", url_name="send-back")
    def send_back(self, request, pk=None):
        """Send the submitted return back to the park, saying what is still missing."""
        park_return = self._return("send_back")
        reason = _input(ReasonInput, request.data)["reason"]
        return self._respond(services.return_send_back(actor=request.user, park_return=park_return, reason=reason))
