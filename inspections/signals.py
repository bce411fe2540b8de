"""A change to a rectification task re-runs the alert rules of its park once the transaction commits:
verifying (销号) an overdue task clears its alert at once, not at the nightly rescan."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from risks.engine import request_evaluation

from .models import Finding, RectificationTask


@receiver(post_save, sender=RectificationTask, dispatch_uid="inspections-task-save")
@receiver(post_delete, sender=RectificationTask, dispatch_uid="inspections-task-delete")
def _task_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):  # loaddata
        return
    request_evaluation(Finding.objects.filter(pk=instance.finding_id).values_list("park_id", flat=True).first())
