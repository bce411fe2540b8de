"""Enrol, verify, regenerate recovery codes, reset. Every wrong code counts towards django-otp's throttle
of the device it was tried on (exponential back-off, see OTP_TOTP_THROTTLE_FACTOR in settings)."""

from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..choices import Role

VERIFY, SETUP = "verify", "setup"


def role_requires_two_factor(user) -> bool:
    """The user's role is one that must use a second factor (superusers count as commission admins),
    and the user is not one of the exempt demo users."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.get_username() in settings.TWO_FACTOR_EXEMPT_USERNAMES:
        return False
    roles = {user.role, Role.COMMISSION_ADMIN} if user.is_commission_admin else {user.role}
    return bool(roles & set(settings.TWO_FACTOR_REQUIRED_ROLES))


def has_two_factor(user) -> bool:
    """The user has an authenticator app set up (a confirmed TOTP device)."""
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user) -> bool:
    """A password alone does not let this user in: they enrolled, or their role requires it.
    Whoever authenticates by password outside the login page (the API token endpoint) asks this, then
    ``verify_code``; a required user who has not enrolled yet cannot pass ``verify_code``."""
    return has_two_factor(user) or role_requires_two_factor(user)


def pending_step(user) -> str | None:
    """What a logged-in user still has to do before using the portal: ``"verify"`` (enter a code),
    ``"setup"`` (enrol first) or nothing."""
    if not user.is_authenticated or getattr(user, "is_verified", lambda: False)():
        return None
    if has_two_factor(user):
        return VERIFY
    if role_requires_two_factor(user):
        return SETUP
    return None


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code typed by the user. ``device`` is the device that accepted it (None: refused);
    ``locked_until``: refused without trying, the device is backing off after wrong codes;
    ``recovery_codes_left``: a recovery code was used up, this many remain."""

    device: Device | None = None
    locked_until: datetime | None = None
    recovery_codes_left: int | None = None

    def __bool__(self) -> bool:
        return self.device is not None

    @property
    def message(self) -> str:
        if self.locked_until is not None:
            return _("Too many wrong codes. Try again after %(time)s.") % {
                "time": time_format(timezone.localtime(self.locked_until), "H:i:s")
            }
        return _("The code is not correct.")


def normalise_code(code) -> str:
    """Codes are typed with spaces or dashes (recovery codes are shown as ``abcd-efgh``)."""
    return "".join(str(code or "").split()).replace("-", "").lower()


def check_code(user, code) -> CodeCheck:
    """Check a code from the authenticator app (6 digits) or a recovery code (used up if right)."""
    code = normalise_code(code)
    if not user.is_authenticated or not code or len(code) > 16:
        return CodeCheck()
    with transaction.atomic():  # the device rows are locked: two tries at once cannot both pass
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if totp is None:
            return CodeCheck()
        if code.isdigit() and len(code) == totp.digits:
            device = totp
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            if device is None:
                return CodeCheck()
        result = _try_code(device, code)
    if result and isinstance(device, StaticDevice):
        return CodeCheck(device=device, recovery_codes_left=device.token_set.count())
    return result


def verify_code(user, code) -> bool:
    """For other ways in (the API token endpoint): is ``code`` a right second-factor code of ``user``?
    A wrong code counts towards the device's back-off like on the verify page."""
    return bool(check_code(user, code))


def _try_code(device: Device, code: str) -> CodeCheck:
    allowed, why = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(locked_until=(why or {}).get("locked_until"))
    return CodeCheck(device=device) if device.verify_token(code) else CodeCheck()


def two_factor_enrol_start(user) -> TOTPDevice:
    """The authenticator being set up: the same unconfirmed device on every visit, so that the QR code
    a user already scanned stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def two_factor_enrol_confirm(*, user, code) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app confirms the set-up; returns the device and the new recovery codes
    (shown once). Raises ValidationError with the reason otherwise."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        result = _try_code(device, normalise_code(code)) if device is not None else None
        # Leave the block before raising: the wrong code's throttle count must be committed.
    if result is None:
        raise ValidationError(_("This set-up has expired. Scan the new QR code."), code="expired")
    if not result:
        raise ValidationError(result.message, code="locked" if result.locked_until else "wrong")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()  # a replaced or stray set-up
        codes = recovery_codes_regenerate(user)
        _record_in_history(user, actor=user, reason=_("Two-factor authentication enabled"))
    return device, codes


def recovery_codes_regenerate(user) -> list[str]:
    """Ten new single-use recovery codes replace the old ones (which stop working). Shown once."""
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().filter(user=user).order_by("pk").first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
        device.token_set.all().delete()
        device.throttle_reset()
        codes: list[str] = []
        while len(codes) < settings.TWO_FACTOR_RECOVERY_CODES:
            token = StaticToken.random_token()
            if token not in codes:
                codes.append(token)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in codes)
    return [f"{token[:4]}-{token[4:]}" for token in codes]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_reset(*, user, actor) -> None:
    """A commission admin removes every device of ``user`` (lost phone, used-up recovery codes): the user
    logs in with the password alone again, and must enrol at once if their role requires it. Written to
    the user's change history."""
    if not actor.is_commission_admin:
        raise ValidationError(_("Only commission administrators may reset a second factor."))
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        _record_in_history(user, actor=actor, reason=_("Two-factor authentication reset by an administrator"))


def _record_in_history(user, *, actor, reason: str) -> None:
    """A line in the user's change history (django-simple-history), naming who did it and why."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user._history_user = user if actor.pk == user.pk else actor
    user._change_reason = reason
    user.save(update_fields=["is_staff"])  # nothing changes; the save writes the history record


def otpauth_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (drawn here: no third party sees the secret)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=3, title=_("QR code to scan"))


def secret_in_groups(device: TOTPDevice) -> str:
    """The secret key in base32, in groups of four, for typing into the app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
