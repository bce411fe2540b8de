"""Facts about the HTTP request that more than one part of the portal needs."""

import ipaddress

from django.conf import settings
from django.http import JsonResponse

# Where no usable address is known (gunicorn on a Unix socket with TRUSTED_PROXIES=0): every such request
# shares one per-client bucket, which limits too much rather than not at all, and is never a 500.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - an address value, not a bind address


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the client, for per-client limits (login lockout, intake and look-up rate limits).

    With ``TRUSTED_PROXIES = 0`` it is the connecting address (REMOTE_ADDR). Behind N reverse proxies, each of
    which appends the address that connected to it to X-Forwarded-For, it is the N-th entry from the right: the
    one the outermost trusted proxy appended. Entries further left were written by the client and are never
    used. A missing, short or garbled header falls back to the connecting address.
    """
    connecting = _address(request.META.get("REMOTE_ADDR") or "") or UNKNOWN_ADDRESS
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return connecting
    entries = (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    if len(entries) < proxies:
        return connecting
    return _address(entries[-proxies]) or connecting


def error_response(*, status: int, code: str, detail: str) -> JsonResponse:
    """The API's error shape for answers given outside DRF's views (middleware, the lockout): the same keys
    as ``exception_handler`` below, Chinese unescaped like DRF's own JSON."""
    return JsonResponse(
        {"code": code, "detail": str(detail), "fields": {}}, status=status, json_dumps_params={"ensure_ascii": False}
    )
