from decimal import Decimal

from rest_framework import serializers

from parks.models import Enterprise, Park

from ..models import Alert, Bid, ChangeOrder, Contract, Decision, Official, OfficialTie, Project, RiskPoint, Subsidy


class ScopedChoicesMixin:
    """Foreign keys offer only what the caller may see."""

    scoped = {"park": Park, "enterprise": Enterprise, "contractor": Enterprise}

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        for name, model in self.scoped.items():
            if name in fields and not fields[name].read_only and request is not None and request.user.is_authenticated:
                fields[name].queryset = model.objects.visible_to(request.user)
        for name in ("project", "official", "contract"):
            if name in fields and not fields[name].read_only and request is not None and request.user.is_authenticated:
                fields[name].queryset = fields[name].queryset.model.objects.visible_to(request.user)
        return fields


class RiskPointSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    class Meta:
        model = RiskPoint
        fields = [
            "id",
            "park",
            "domain",
            "description",
            "likelihood",
            "impact",
            "level",
            "measures",
            "department",
            "owner",
            "review_on",
            "status",
        ]
        read_only_fields = ["level"]


class DecisionSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = [
            "id", "park", "kind", "subject", "amount", "meeting_kind", "meeting_on", "members_entitled",
            "members_present", "outcome", "has_minutes", "executed_on",
        ]  # fmt: skip


class SubsidySerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    paid_total = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True, default=Decimal("0"))
    outstanding = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True, default=Decimal("0"))

    class Meta:
        model = Subsidy
        fields = [
            "id",
            "park",
            "enterprise",
            "policy",
            "period",
            "approved_amount",
            "approved_on",
            "paid_total",
            "outstanding",
        ]


class PaymentInput(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0"))
    voucher_no = serializers.CharField(max_length=50)
    allow_overpayment = serializers.BooleanField(default=False)


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    voucher_no = serializers.CharField()
    overpayment_confirmed = serializers.BooleanField()


class ProjectSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "park", "name", "budget", "started_on"]


class ContractSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    class Meta:
        model = Contract
        fields = [
            "id",
            "project",
            "number",
            "contractor",
            "procurement_method",
            "amount",
            "signed_on",
            "integrity_contract",
            "audit_status",
        ]


class BidSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    class Meta:
        model = Bid
        fields = ["id", "project", "enterprise", "amount", "submitted_on", "won"]


class ChangeOrderSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    class Meta:
        model = ChangeOrder
        fields = ["id", "contract", "amount", "changed_on", "reason"]


class OfficialSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    class Meta:
        model = Official
        fields = ["id", "park", "name", "position", "is_active"]


class OfficialTieSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    class Meta:
        model = OfficialTie
        fields = ["id", "official", "enterprise", "relation", "relative_name", "note"]


class AlertSerializer(serializers.ModelSerializer):
    rule_name = serializers.CharField(read_only=True)
    explanation = serializers.CharField(read_only=True)
    object_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id", "rule", "rule_name", "severity", "park", "object_type", "object_id", "facts", "explanation",
            "first_seen", "last_seen", "cleared_at", "status", "decided_by", "decided_at", "reason",
        ]  # fmt: skip
        read_only_fields = fields


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField()
