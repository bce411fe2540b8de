"""What an anonymous complainant's browser carries between requests instead of a session: the complaints it
opened with their codes (or filed) and the receipt just filed, each in a signed, HttpOnly cookie that expires
30 minutes after it was last written, as the session did, so that a shared computer forgets them.

Filing a complaint thus creates no session row. A cookie holds complaint numbers only, never a tracking code,
except the receipt cookie between the form and the receipt (scoped to the receipt's address and rewritten
without the code when the receipt shows it). Logged-in users keep their tracked complaints in their session,
which their logout ends."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

TRACKED_SESSION_KEY = "tracked_complaints"
RECEIPT_SESSION_KEY = "complaint_receipt"  # sessions from before the receipt cookie held the receipt's pk
TRACKED_COOKIE = "tracked_complaints"
RECEIPT_COOKIE = "complaint_receipt"
RECEIPT_CODE_MAX_AGE = 10 * 60  # the code must be shown within 10 minutes of filing
FORGET_AFTER = 30 * 60  # a shared computer forgets the complaints after 30 minutes
TRACKED_KEPT = 20


def _set(response, name: str, value: str, *, max_age: int, path: str = "/") -> None:
    response.set_signed_cookie(
        name,
        value,
        salt=name,
        max_age=max_age,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax" if name == TRACKED_COOKIE else "Strict",
    )


def _pks(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.isdigit()]


def tracked_pks(request) -> list[int]:
    """The complaints this browser may open without typing their code again."""
    carried = _pks(request.get_signed_cookie(TRACKED_COOKIE, default="", salt=TRACKED_COOKIE, max_age=FORGET_AFTER))
    return carried + list(request.session.get(TRACKED_SESSION_KEY, []))


def remember_tracked(request, response, complaint) -> None:
    if request.user.is_authenticated:
        tracked = request.session.get(TRACKED_SESSION_KEY, [])
        if complaint.pk not in tracked:
            request.session[TRACKED_SESSION_KEY] = [*tracked[-(TRACKED_KEPT - 1) :], complaint.pk]
        return
    cookie = request.get_signed_cookie(TRACKED_COOKIE, default="", salt=TRACKED_COOKIE, max_age=FORGET_AFTER)
    tracked = [pk for pk in _pks(cookie) if pk != complaint.pk][-(TRACKED_KEPT - 1) :]
    _set(response, TRACKED_COOKIE, ",".join(map(str, [*tracked, complaint.pk])), max_age=FORGET_AFTER)


def carry_receipt(response, complaint, code: str) -> None:
    """From the form to the receipt: the complaint's pk and, until the receipt shows it, its code."""
    _set(response, RECEIPT_COOKIE, f"{complaint.pk}:{code}", max_age=RECEIPT_CODE_MAX_AGE, path=_receipt_path())


def receipt_carried(request) -> tuple[int | None, str | None]:
    """The receipt's complaint pk and its code (None once shown), from the cookie or an older session."""
    carried = request.get_signed_cookie(RECEIPT_COOKIE, default="", salt=RECEIPT_COOKIE, max_age=FORGET_AFTER)
    pk, _, code = carried.partition(":")
    if pk.isdigit():
        if code and not request.get_signed_cookie(
            RECEIPT_COOKIE, default="", salt=RECEIPT_COOKIE, max_age=RECEIPT_CODE_MAX_AGE
        ):
            code = ""  # a code cookie older than it may be: the receipt no longer shows the code
        return int(pk), code or None
    pk = request.session.get(RECEIPT_SESSION_KEY)
    if isinstance(pk, dict):  # a session from before codes left the session: forget the code it holds
        pk = request.session[RECEIPT_SESSION_KEY] = pk.get("pk")
    return pk, None


def receipt_shown(response, pk: int) -> None:
    """The receipt keeps the complaint's pk for a reload, and drops the code it has just shown."""
    _set(response, RECEIPT_COOKIE, f"{pk}:", max_age=FORGET_AFTER, path=_receipt_path())


def _receipt_path() -> str:
    return reverse("complaints:receipt")
