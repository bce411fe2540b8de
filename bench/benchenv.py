"""The environment every part of the province benchmark runs Django under: production settings with
throwaway secrets, so that the seeder's password hashes and tracking-code digests are the ones the
gunicorn it starts will check. Nothing here is a secret: these values only ever open a bench database.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# Users the seeder creates and the page bench logs in as (all with PASSWORD).
PASSWORD = "bench-Passw0rd-not-secret"  # noqa: S105 - opens only a bench database
ADMIN = "bench-admin"
INSPECTOR = "bench-inspector"  # assigned three parks
OFFICER = "bench-officer"  # an officer of the biggest park
# The authenticator key of the admin's and inspector's TOTP devices (hex, as django-otp stores it): the
# bench computes the current code from it and logs in through the real verify page.
TOTP_KEY = "3132333435363738393031323334353637383930"

BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "bench-throwaway-secret-key-" + "0123456789" * 4,
    "TRACKING_CODE_KEY": "bench-throwaway-tracking-code-key-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "TRUSTED_PROXIES": "1",
    "SECURE_PROXY_SSL_HEADER": "1",  # the bench's client speaks as nginx would: X-Forwarded-Proto: https
    "LOG_FORMAT": "plain",
    "LOG_LEVEL": "WARNING",
    # The intake load test files hundreds of complaints a second from one address.
    "COMPLAINT_SUBMIT_RATE": "1000000/s",
    "TRACKING_LOOKUP_RATE": "1000000/s",
    # A process asks every few seconds whether the working-day calendar changed: one query on whichever
    # request comes next. Counted per page it would make the query counts depend on timing.
    "WORKING_CALENDAR_RECHECK_SECONDS": "3600",
}


def bench_environ(database_url: str, **extra: str) -> dict:
    """os.environ with the bench's settings and ``database_url`` (REDIS_URL is kept from the caller)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(BENCH_ENV)
    env["DATABASE_URL"] = database_url
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def setup_django() -> None:
    """Django with the bench's settings in this process (DATABASE_URL and REDIS_URL from the caller)."""
    for key, value in BENCH_ENV.items():
        if key == "DJANGO_SETTINGS_MODULE":
            os.environ[key] = value
        else:
            os.environ.setdefault(key, value)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
