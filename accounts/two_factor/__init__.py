"""The second factor for staff: a TOTP authenticator app plus single-use recovery codes (django-otp devices).

Passing it is remembered in the session (``django_otp.login``) and ends with the session. Who must pass it:
whoever enrolled, and users whose role is in ``TWO_FACTOR_REQUIRED_ROLES`` (they must enrol first).
Other ways in (the API token endpoint) call ``two_factor_required`` and ``verify_code``.
"""

from .services import (
    CodeCheck,
    check_code,
    has_two_factor,
    pending_step,
    recovery_codes_left,
    recovery_codes_regenerate,
    role_requires_two_factor,
    two_factor_enrol_confirm,
    two_factor_enrol_start,
    two_factor_required,
    two_factor_reset,
    verify_code,
)

__all__ = [
    "CodeCheck",
    "check_code",
    "has_two_factor",
    "pending_step",
    "recovery_codes_left",
    "recovery_codes_regenerate",
    "role_requires_two_factor",
    "two_factor_enrol_confirm",
    "two_factor_enrol_start",
    "two_factor_required",
    "two_factor_reset",
    "verify_code",
]
