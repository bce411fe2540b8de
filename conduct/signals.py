"""A registration saved or deleted re-runs the alert rules of its park once the transaction commits, so a
corrected registration (a tie declared) clears its alert at once. Subsidies, contracts and the register
re-run them through the risk ledgers' own signals."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from risks.engine import request_evaluation

from .models import ContactRegistration


@receiver(post_save, sender=ContactRegistration, dispatch_uid="conduct-registration-save")
@receiver(post_delete, sender=ContactRegistration, dispatch_uid="conduct-registration-delete")
def _registration_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    request_evaluation(instance.park_id)
