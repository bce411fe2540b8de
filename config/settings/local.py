"""The embedded default for a newcomer's machine: SQLite, eager Celery, console e-mail, DEBUG on."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")

VAR_DIR.mkdir(exist_ok=True)

# The demo keeps working without an authenticator app: no role is forced to enrol, and the demo users of
# seed_demo would not be even if one were (production refuses this list). Anybody may still enrol.
TWO_FACTOR_REQUIRED_ROLES = env.list("TWO_FACTOR_REQUIRED_ROLES", default=[])
TWO_FACTOR_EXEMPT_USERNAMES = env.list(
    "TWO_FACTOR_EXEMPT_USERNAMES", default=["admin", "inspector", "officer", "enterprise"]
)

# WhiteNoise serves collected files in production; here the staticfiles app finds them directly.
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("whitenoise.")]  # noqa: F405
