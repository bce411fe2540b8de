"""Writes about accounts: API tokens."""

import re

from django.db.models import Q
from django.utils import timezone
from knox.settings import CONSTANTS

from .models import ApiToken, User

_TOKEN_KEY = re.compile(rf"[0-9a-f]{{{CONSTANTS.TOKEN_KEY_LENGTH}}}")


def tokens_of(user: User):
    """The owner's tokens that still work, newest first (expired ones are deleted by knox when next seen)."""
    return ApiToken.objects.filter(user=user).filter(Q(expiry__gt=timezone.now()) | Q(expiry__isnull=True))


def token_issue(*, user: User) -> tuple[ApiToken, str]:
    """A new token for ``user``, expiring after API_TOKEN_TTL_HOURS. The plain token is returned once, to be
    shown to its owner; only its digest is stored."""
    instance, token = ApiToken.objects.create(user=user)
    return instance, token


def token_revoke(*, user: User, key: str) -> int:
    """Revoke the owner's token whose first characters are ``key``; how many were revoked (0: none of theirs)."""
    if not _TOKEN_KEY.fullmatch(key):
        return 0
    deleted, _per_model = ApiToken.objects.filter(user=user, token_key=key).delete()
    return deleted


def tokens_revoke_all(*, user: User) -> int:
    deleted, _per_model = ApiToken.objects.filter(user=user).delete()
    return deleted
