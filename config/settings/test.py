"""Settings for the test suite: PostgreSQL and Redis from DATABASE_URL / REDIS_URL (scripts/with_services.py
finds or starts them), fast hashing, in-memory e-mail."""

import uuid

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="test-key-not-for-production-use-0123456789abcdefghijklmnop")
# Tests that need the second factor forced turn it on themselves (tests/accounts/test_two_factor.py).
TWO_FACTOR_REQUIRED_ROLES = env.list("TWO_FACTOR_REQUIRED_ROLES", default=[])
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker process started by a test writes its mails here, one file each, for the test to count
# (tests/reliability/test_redis_down.py); locmem mail is invisible across processes.
if env("TEST_EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("TEST_EMAIL_FILE_PATH")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "core.storage.PrivateInMemoryStorage"},
}
# Tests enqueue for real only where they start a worker; elsewhere tasks run in-process.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# WhiteNoise serves collected files in production; here the staticfiles app finds them directly.
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("whitenoise.")]  # noqa: F405

# Rate-limit counters and other cache entries start empty in every run (they live in Redis).
CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:8]}"  # noqa: F405

# The end-to-end reminder test starts `celery worker -B` with a file scheduler firing every few seconds
# on a queue of its own; nothing else uses these.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
if env("CELERY_BEAT_TEST_INTERVAL", default=""):
    CELERY_BEAT_SCHEDULE = {
        "reminders": {"task": "core.send_reminders", "schedule": float(env("CELERY_BEAT_TEST_INTERVAL"))}
    }

# Tests that start a real worker share private files with it through a folder of their own.
if env("PRIVATE_MEDIA_ROOT", default=""):
    STORAGES["private"] = {
        "BACKEND": "core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": env("PRIVATE_MEDIA_ROOT")},
    }

# A second alias for the replica-routing tests (tests/core/test_db_router.py): a second connection to the test
# database (a test mirror, so that it sees what the tests commit). Reports keep reading the primary unless a
# test turns REPORTING_DATABASE to it, so no other test touches it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REPORTING_DATABASE = "default"
