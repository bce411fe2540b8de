"""Sentry, when ``SENTRY_DSN`` is set (nothing is sent, nothing even loaded, when it is not).

Errors go out without personal data: ``send_default_pii=False`` (no user, no cookies, no client address),
no request bodies, no local variables, and ``before_send`` scrubs what is left — request headers and query,
exception messages, breadcrumbs, log messages — with the names and patterns of ``core.redact``.
"""

from __future__ import annotations

from typing import Any

from .redact import FILTERED, scrub

#: Parts of an event that are kept only by name (everything else in them is scrubbed by name and pattern).
_REQUEST_KEEP = ("method", "url", "headers", "env")


def _scrub_request(request: dict) -> dict:
    kept = {key: request[key] for key in _REQUEST_KEEP if key in request}
    if "url" in kept:
        kept["url"] = str(kept["url"]).split("?", 1)[0]
    if request.get("query_string"):
        kept["query_string"] = FILTERED
    return scrub(kept)


def _scrub_frames(container: dict) -> None:
    for frame in (container.get("stacktrace") or {}).get("frames") or []:
        if "vars" in frame:
            frame["vars"] = scrub(frame["vars"])


def before_send(event: dict[str, Any], hint: dict | None = None) -> dict[str, Any]:
    """Remove personal data from an event before it leaves the machine (also used for transactions)."""
    if isinstance(event.get("request"), dict):
        event["request"] = _scrub_request(event["request"])
    if "user" in event:
        event["user"] = {key: value for key, value in (event["user"] or {}).items() if key == "id"}
    for section in ("exception", "threads"):
        for value in (event.get(section) or {}).get("values") or []:
            _scrub_frames(value)
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        if "data" in crumb:
            crumb["data"] = scrub(crumb["data"])
    if "extra" in event:
        event["extra"] = scrub(event["extra"])
    # Last, every remaining string of the event by pattern: exception values, messages, log lines.
    return scrub(event, by_name=False)


def sentry_options(dsn: str, *, environment: str = "", release: str = "") -> dict[str, Any]:
    return {
        "dsn": dsn,
        "environment": environment or None,
        "release": release or None,
        "send_default_pii": False,
        "include_local_variables": False,
        "max_request_body_size": "never",
        "before_send": before_send,
        "before_send_transaction": before_send,
        "traces_sample_rate": 0.0,
    }


def sentry_init(dsn: str, *, environment: str = "", release: str = "") -> None:
    """Start the Sentry SDK (its Django, Celery, Redis and logging integrations turn on by themselves)."""
    import sentry_sdk

    sentry_sdk.init(**sentry_options(dsn, environment=environment, release=release))
