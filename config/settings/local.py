"""The embedded default for a newcomer's machine: SQLite, eager Celery, console e-mail, DEBUG on."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")

VAR_DIR.mkdir(exist_ok=True)

# WhiteNoise serves collected files in production; here the staticfiles app finds them directly.
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("whitenoise.")]  # noqa: F405
