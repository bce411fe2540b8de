"""A user object forgets the park ids it loaded for scoping when its assignments change through it."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import User


@receiver(m2m_changed, sender=User.parks.through, dispatch_uid="accounts.forget_scope_parks")
def forget_scope_parks(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and isinstance(instance, User):
        instance.__dict__.pop("assigned_park_ids", None)
