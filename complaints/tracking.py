"""Tracking codes (查询码) handed to complainants.

16 characters from Crockford's base-32 alphabet (no I, L, O, U: nothing to confuse when read aloud or
typed) = 80 bits from ``secrets``, shown in four groups: ``7KQ3-M9XD-4HBT-P6WN``. Typing is forgiving:
any case, spaces or dashes, O for 0 and I/L for 1. Only an HMAC-SHA256 of the code under
``TRACKING_CODE_KEY`` is stored, so a copy of the database reveals no code and cannot be searched
without the key.
"""

import hashlib
import hmac
import secrets
import unicodedata

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
_TYPING = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None, "\u3000": None})


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalize(typed: str) -> str | None:
    """The canonical 16 characters, or None when it cannot be a code at all."""

    code = unicodedata.normalize("NFKC", typed or "").upper().translate(_TYPING)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def _key() -> bytes:
    key = settings.TRACKING_CODE_KEY or f"tracking-code:{settings.SECRET_KEY}"
    return key.encode()


def digest(typed: str) -> str | None:
    code = normalize(typed)
    if code is None:
        return None
    return hmac.new(_key(), code.encode(), hashlib.sha256).hexdigest()


def dummy_digest() -> str:
    """Spent on malformed input so that it costs what a real look-up costs."""
    return hmac.new(_key(), b"0" * LENGTH, hashlib.sha256).hexdigest()
