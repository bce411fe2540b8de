from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import services
from ..filters import AlertFilter, DecisionFilter, OfficialFilter, ProjectFilter, RiskPointFilter, SubsidyFilter
from ..models import Alert, Bid, ChangeOrder, Contract, Decision, Official, OfficialTie, Project, RiskPoint, Subsidy
from .serializers import (
    AlertSerializer,
    BidSerializer,
    ChangeOrderSerializer,
    ContractSerializer,
    DecisionSerializer,
    OfficialSerializer,
    OfficialTieSerializer,
    PaymentInput,
    PaymentSerializer,
    ProjectSerializer,
    ReasonInput,
    RiskPointSerializer,
    SubsidySerializer,
)


class LedgerViewSet(ScopedModelViewSet):
    """A risk ledger: park officers and commission admins write, inspectors read."""

    def save(self, actor, instance):
        return services.ledger_save(actor=actor, instance=instance)


class RiskPointViewSet(LedgerViewSet):
    queryset = RiskPoint.objects.all()
    serializer_class = RiskPointSerializer
    filterset_class = RiskPointFilter
    ordering_fields = ["review_on", "likelihood", "impact"]


class DecisionViewSet(LedgerViewSet):
    queryset = Decision.objects.all()
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["meeting_on", "amount"]


class SubsidyViewSet(LedgerViewSet):
    queryset = Subsidy.objects.all()
    serializer_class = SubsidySerializer
    filterset_class = SubsidyFilter
    ordering_fields = ["approved_on", "approved_amount"]

    def get_queryset(self):
        return super().get_queryset().with_outstanding().order_by("-approved_on", "pk")

    @extend_schema(methods=["GET"], request=None, responses=PaymentSerializer(many=True))
    @extend_schema(methods=["POST"], request=PaymentInput, responses={201: PaymentSerializer})
    @action(detail=True, methods=["get", "post"])
    def payments(self, request, pk=None):
        """The subsidy's payments; POST records one (more than what is outstanding needs
        allow_overpayment and raises an alert)."""
        subsidy = self.get_object()
        if request.method == "GET":
            return Response(PaymentSerializer(subsidy.payments.all(), many=True).data)
        serializer = PaymentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = services.payment_record(actor=request.user, subsidy=subsidy, **serializer.validated_data)
        return Response(PaymentSerializer(payment).data, status=201)


class ProjectViewSet(LedgerViewSet):
    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["name", "started_on"]


class ContractViewSet(ScopedModelViewSet):
    queryset = Contract.objects.all()
    serializer_class = ContractSerializer
    select_related = ("project",)
    filterset_fields = ["project", "procurement_method", "integrity_contract"]
    ordering_fields = ["signed_on", "amount"]
    # Grouped by project id, not by the model's order (park code, project name: columns of two joined tables,
    # so a page sorted every contract in scope): the project's index and an incremental sort of its few contracts.
    ordering = ["project_id", "signed_on", "pk"]

    def save(self, actor, instance):
        contract, _conflicted = services.contract_save(actor=actor, contract=instance)
        return contract


class BidViewSet(ScopedModelViewSet):
    """The bids on the projects in scope; written by those who write the contracts (``bid_save``)."""

    queryset = Bid.objects.all()
    serializer_class = BidSerializer
    select_related = ("project",)
    filterset_fields = ["project", "enterprise", "won"]
    ordering_fields = ["submitted_on", "amount"]
    ordering = ["project_id", "-won", "submitted_on", "pk"]

    def save(self, actor, instance):
        return services.bid_save(actor=actor, bid=instance)


class ChangeOrderViewSet(ScopedModelViewSet):
    queryset = ChangeOrder.objects.all()
    serializer_class = ChangeOrderSerializer
    filterset_fields = ["contract"]
    http_method_names = ["get", "post", "head", "options"]

    def save(self, actor, instance):
        return services.change_order_add(
            actor=actor,
            contract=instance.contract,
            amount=instance.amount,
            changed_on=instance.changed_on,
            reason=instance.reason,
        )


class OfficialViewSet(LedgerViewSet):
    queryset = Official.objects.all()
    serializer_class = OfficialSerializer
    filterset_class = OfficialFilter


class OfficialTieViewSet(ScopedModelViewSet):
    queryset = OfficialTie.objects.all()
    ordering = ["official__name", "pk"]  # the register reads by official; pages stay stable
    serializer_class = OfficialTieSerializer
    filterset_fields = ["official", "enterprise", "relation"]
    http_method_names = ["get", "post", "head", "options"]

    def save(self, actor, instance):
        return services.tie_add(actor=actor, tie=instance)


class AlertViewSet(ScopedReadOnlyViewSet):
    """Alerts are raised and cleared by the rules; inspectors dismiss them (with a reason), reopen a
    dismissal, or turn them into a finding."""

    queryset = Alert.objects.all()
    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    select_related = ("content_type",)
    ordering_fields = ["first_seen", "severity"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and not request.user.is_staff_reader:
            raise PermissionDenied

    @extend_schema(request=ReasonInput, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        alert = self.get_object()  # outside the scope is a 404 whatever the body says
        serializer = ReasonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = services.alert_dismiss(alert=alert, actor=request.user, reason=serializer.validated_data["reason"])
        return Response(AlertSerializer(alert).data)

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        alert = services.alert_reopen(alert=self.get_object(), actor=request.user)
        return Response(AlertSerializer(alert).data)
