"""Engineering projects (工程项目) and what hangs on them: contracts with their change orders, and the bids
received (投标记录). Money as in ``ledgers``: Decimal yuan, never negative."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import AuditStatus, ProcurementMethod
from .ledgers import ZERO, Ledger, ParkLedgerQuerySet, money, non_negative


class Project(Ledger):
    name = models.CharField(_("project name"), max_length=200)
    budget = money(_("budget (yuan)"), null=True, blank=True)
    started_on = models.DateField(_("start date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("engineering project")
        verbose_name_plural = _("engineering projects")
        ordering = ["park", "name"]
        constraints = [
            non_negative("budget", "project_budget_non_negative"),
            models.UniqueConstraint(fields=["park", "name"], name="project_name_unique_per_park"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:project-detail", kwargs={"pk": self.pk})


class ContractQuerySet(ParkLedgerQuerySet):
    park_path = "project__park"
    enterprise_path = "contractor"

    def with_changes(self):
        return self.annotate(changes_total=Sum("change_orders__amount", default=ZERO))


class Contract(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="contracts", db_index=False
    )
    number = models.CharField(_("contract number"), max_length=60, unique=True)
    contractor = models.ForeignKey(
        "parks.Enterprise", verbose_name=_("contractor"), on_delete=models.PROTECT, related_name="contracts"
    )
    procurement_method = models.CharField(_("procurement method"), max_length=20, choices=ProcurementMethod.choices)
    amount = money(_("contract amount (yuan)"))
    signed_on = models.DateField(_("signed on"))
    integrity_contract = models.BooleanField(_("integrity contract signed"), default=False)
    audit_status = models.CharField(
        _("audit"), max_length=12, choices=AuditStatus.choices, default=AuditStatus.NOT_AUDITED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["project", "signed_on", "pk"]
        constraints = [non_negative("amount", "contract_amount_non_negative")]
        indexes = [models.Index(fields=["project", "contractor", "signed_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.contractor}"

    def get_absolute_url(self) -> str:
        return reverse("risks:project-detail", kwargs={"pk": self.project_id}) + f"#contract-{self.pk}"

    @property
    def park_id(self):
        return self.project.park_id


class BidQuerySet(ParkLedgerQuerySet):
    park_path = "project__park"
    enterprise_path = "enterprise"


class Bid(models.Model):
    """A bid on a project (投标记录): every bidder, the ones who won nothing too — the bid-rigging rule
    compares all the enterprises of a project, bidders and contractors alike."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="bids", db_index=False
    )
    enterprise = models.ForeignKey(
        "parks.Enterprise", verbose_name=_("bidder"), on_delete=models.PROTECT, related_name="bids"
    )
    amount = money(_("bid amount (yuan)"), null=True, blank=True)
    submitted_on = models.DateField(_("bid submitted on"))
    won = models.BooleanField(_("won the bid"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = BidQuerySet.as_manager()

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["project", "-won", "submitted_on", "pk"]
        constraints = [
            non_negative("amount", "bid_amount_non_negative"),
            models.UniqueConstraint(
                fields=["project", "enterprise"],
                name="bid_unique_per_project",
                violation_error_message=_("This enterprise's bid on this project is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("risks:project-detail", kwargs={"pk": self.project_id}) + f"#bid-{self.pk}"

    @property
    def park_id(self):
        return self.project.park_id


class ChangeOrderQuerySet(ParkLedgerQuerySet):
    park_path = "contract__project__park"


class ChangeOrder(models.Model):
    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="change_orders"
    )
    amount = money(_("change amount (yuan)"))
    changed_on = models.DateField(_("change date"))
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ChangeOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("change order")
        verbose_name_plural = _("change orders")
        ordering = ["changed_on", "pk"]
        constraints = [non_negative("amount", "change_order_amount_non_negative")]

    def __str__(self) -> str:
        return f"{self.contract.number} +{self.amount}"

    def clean(self) -> None:
        super().clean()
        if self.contract_id and self.changed_on and self.changed_on < self.contract.signed_on:
            raise ValidationError({"changed_on": _("A change cannot come before the contract was signed.")})


# --- 领导干部亲属经商办企业（利益冲突登记） -----------------------------------------------------------------
