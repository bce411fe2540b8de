"""Production: every secret comes from the environment and has no default.

Required: SECRET_KEY, DATABASE_URL, REDIS_URL, ALLOWED_HOSTS. Behind a TLS-terminating proxy set
SECURE_PROXY_SSL_HEADER=1 so Django trusts X-Forwarded-Proto.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, env

DEBUG = False
# One JSON object per log line, for the log collector (LOG_FORMAT=plain for reading by eye).
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="json")  # noqa: F405
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("生产环境须使用 PostgreSQL：请设置 DATABASE_URL=postgres://…")
if "replica" in DATABASES and DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("只读副本须为 PostgreSQL：REPLICA_DATABASE_URL=postgres://…")
if not REDIS_URL:
    raise ImproperlyConfigured("生产环境须使用 Redis：请设置 REDIS_URL=redis://…")

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if not TRACKING_CODE_KEY:  # noqa: F405
    raise ImproperlyConfigured("生产环境须设置 TRACKING_CODE_KEY（查询码密钥，设定后不可更改）")
# HMAC-SHA256 key: at least 32 bytes (256 bits), e.g. python -c "import secrets; print(secrets.token_urlsafe(48))"
if len(TRACKING_CODE_KEY.encode()) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "TRACKING_CODE_KEY（查询码密钥）过短：至少须 32 字节，"
        '例如用 python -c "import secrets; print(secrets.token_urlsafe(48))" 生成'
    )

# The second factor: nobody is exempt in production (the exemption exists for the demo users only).
if TWO_FACTOR_EXEMPT_USERNAMES:  # noqa: F405
    raise ImproperlyConfigured("生产环境不得豁免双重认证：请删除 TWO_FACTOR_EXEMPT_USERNAMES（仅供演示使用）")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# A load balancer checks /healthz/ over plain HTTP, straight at gunicorn or through nginx's port 80
# (deploy/nginx/portal.conf): a redirect to HTTPS would read as "down". It answers only "ok"/an error name.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
