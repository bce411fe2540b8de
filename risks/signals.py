"""A change to any ledger row re-runs the rules of its park after the transaction commits."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .engine import request_evaluation
from .models import (
    Bid,
    ChangeOrder,
    Contract,
    Decision,
    Official,
    OfficialTie,
    Project,
    RiskPoint,
    Subsidy,
    SubsidyPayment,
)
from .paid import sync_paid_totals

PARK_OF = {
    RiskPoint: lambda row: row.park_id,
    Decision: lambda row: row.park_id,
    Subsidy: lambda row: row.park_id,
    SubsidyPayment: lambda row: row.park_id,
    Project: lambda row: row.park_id,
    Official: lambda row: row.park_id,
    Contract: lambda row: Project.objects.filter(pk=row.project_id).values_list("park_id", flat=True).first(),
    Bid: lambda row: Project.objects.filter(pk=row.project_id).values_list("park_id", flat=True).first(),
    ChangeOrder: lambda row: (
        Contract.objects.filter(pk=row.contract_id).values_list("project__park_id", flat=True).first()
    ),
    OfficialTie: lambda row: Official.objects.filter(pk=row.official_id).values_list("park_id", flat=True).first(),
}


def _changed(sender, instance, **kwargs):
    if kwargs.get("raw"):  # loaddata
        return
    request_evaluation(PARK_OF[sender](instance))


for model in PARK_OF:
    receiver(post_save, sender=model, dispatch_uid=f"risks-save-{model.__name__}")(_changed)
    receiver(post_delete, sender=model, dispatch_uid=f"risks-delete-{model.__name__}")(_changed)


def _payments_changed(sender, instance, **kwargs):
    """Every payment written one at a time (services, admin, demo, factories) keeps its subsidy's
    ``paid_total`` in step; a subsidy saved from a form re-reads it, so a stale copy never sticks."""
    if kwargs.get("raw"):
        return
    sync_paid_totals([instance.pk if sender is Subsidy else instance.subsidy_id])


receiver(post_save, sender=SubsidyPayment, dispatch_uid="risks-paid-save")(_payments_changed)
receiver(post_delete, sender=SubsidyPayment, dispatch_uid="risks-paid-delete")(_payments_changed)
receiver(post_save, sender=Subsidy, dispatch_uid="risks-paid-subsidy")(_payments_changed)
