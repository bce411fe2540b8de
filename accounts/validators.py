"""Password rules of our own, next to Django's (see AUTH_PASSWORD_VALIDATORS)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _letters_and_digits(value: str) -> str:
    return "".join(ch for ch in value.casefold() if ch.isalnum())


class PasswordContainsIdentityValidator:
    """Refuses a password that contains the user's username, name or e-mail name (the part before the @),
    ignoring case and everything but letters and digits: ``officer2officer2`` for ``officer2``,
    ``Wang.Wei-2026`` for wang.wei@…. Django's similarity validator compares whole strings and lets a
    repeated username through. Latin parts shorter than 3 characters are ignored (``li`` is in ``limit``
    by chance); a 2-character Chinese name counts."""

    def _parts(self, user):
        email = getattr(user, "email", "") or ""
        yield "username", getattr(user, "username", "") or "", _("The password must not contain the username.")
        yield "name", getattr(user, "name", "") or "", _("The password must not contain the person's name.")
        yield (
            "email",
            email.rsplit("@", 1)[0],
            _("The password must not contain the name of the e-mail address."),
        )

    def validate(self, password, user=None):
        if user is None:
            return
        plain = _letters_and_digits(password)
        for code, value, message in self._parts(user):
            part = _letters_and_digits(value)
            long_enough = len(part) >= 3 or (len(part) == 2 and not part.isascii())
            if long_enough and part in plain:
                raise ValidationError(message, code=f"password_contains_{code}")

    def get_help_text(self):
        return _("Your password must not contain your username, your name or your e-mail name.")
