"""Settings shared by every environment. Values that differ between machines come from the environment.

Environment variables (all optional here; production.py requires some):
    DATABASE_URL   postgres://user:pass@host:5432/name — default: a SQLite file in var/
    REPLICA_DATABASE_URL  postgres://… of a read replica, read by reports only — default: none
    PRIVATE_STORAGE  filesystem (PRIVATE_MEDIA_ROOT) or s3 (AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, …)
    REDIS_URL      redis://host:6379/0 — Celery broker, results and cache; unset: tasks run eagerly
    SECRET_KEY, DEBUG, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS
    EMAIL_URL      smtp+tls://user:pass@host:587 — default: console backend; DEFAULT_FROM_EMAIL too
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

from .scale_out import private_storage, replica_database

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "import_export",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "core",
    "accounts",
    "accounts.apps.LockoutConfig",  # django-axes, under a Chinese name in the admin
    "parks",
    "complaints",
    "risks",
    "inspections",
    *("supervision", "monitoring", "conduct", "campaigns", "collisions"),  # above inspections (README, "Layers")
    "evaluations",
    "desks",
]

MIDDLEWARE = [
    # First: every log line of the request, even of a refused one, carries its id (core.request_id).
    "core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Refusals that come before anything reads the body or looks the session up (core/middleware.py),
    # after the two above so that the refusal carries the security headers too.
    "core.middleware.RequestSizeLimitMiddleware",
    "core.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.SessionTimeoutMiddleware",  # idle and absolute session limits
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page (accounts.lockout)
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# PostgreSQL through psycopg 3 in production and tests; a SQLite file is the embedded default.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Covering indexes (INCLUDE) are PostgreSQL's; SQLite builds them without the extra columns: no warning for it.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Reports (dashboards, park figures, exports, the evaluation) read from a streaming replica when REPLICA_DATABASE_URL
# is set, only inside core.db_router.reporting_db(); everything else stays on the primary (unset: no second alias).
REPLICA_DATABASE_URL = env("REPLICA_DATABASE_URL", default="")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = replica_database(REPLICA_DATABASE_URL, DATABASES["default"])
REPORTING_DATABASE = "replica" if REPLICA_DATABASE_URL else "default"
DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # officer2officer2 for officer2 passes the similarity check above; this one refuses it.
    {"NAME": "accounts.validators.PasswordContainsIdentityValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day, from the login
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)  # accounts.sessions

# Password guessing: django-axes counts failed logins on every door (login page, API token, admin login)
# per (username, client address) — a stranger cannot lock out a real user from elsewhere — and a success
# clears the count. LOGIN_FAILURE_LIMIT failures lock that pair for LOGIN_LOCKOUT_MINUTES after the last one.
# 5 / 15 min: enough for a person who mistypes, ~480 guesses a day per account and address at most.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackendWithParks",  # Django's, loading the user's park ids with the user
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends on time, whatever is tried meanwhile
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False  # accounts.admin registers its admin for commission admins only
AXES_VERBOSE = False

# Second factor (TOTP app + single-use recovery codes, django-otp; see accounts.two_factor). Users of these
# roles must enrol before they may do anything (superusers count as commission admins); anybody else on
# the staff may enrol. Only commission roles may be listed (check accounts.E001).
TWO_FACTOR_REQUIRED_ROLES = env.list("TWO_FACTOR_REQUIRED_ROLES", default=["commission_admin", "inspector"])
# Usernames never forced to enrol (the demo users of `make run`); production refuses any.
TWO_FACTOR_EXEMPT_USERNAMES = env.list("TWO_FACTOR_EXEMPT_USERNAMES", default=[])
TWO_FACTOR_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="清廉园区监督平台")
# Wrong codes back off exponentially per device (django-otp; a right code resets it): after n wrong codes in a
# row the next try is refused for factor × 2^(n-1) s — 1, 2, 4 … s; after 10 wrong codes 8.5 min; 17 take 36 h.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret key

# --- Language and time -------------------------------------------------------------------------
# Chinese whatever the browser asks for (no LocaleMiddleware): an English-language browser on a
# government PC must not turn the portal English. English msgids remain the fallback.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Complaint and evidence attachments: outside MEDIA_ROOT, no URL; served only by views that check access.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": private_storage(env, PRIVATE_MEDIA_ROOT),
}
# Where `manage.py backup` writes its archives (database dump + private files); copy them off the machine.
BACKUP_ROOT = env.path("BACKUP_ROOT", default=VAR_DIR / "backups")
PORTAL_UPLOAD_MAX_MB = env.int("PORTAL_UPLOAD_MAX_MB", default=10)
PORTAL_UPLOAD_MAX_FILES = env.int("PORTAL_UPLOAD_MAX_FILES", default=5)
# Form fields, and API bodies (DRF reads JSON through request.body; past it the API answers 413); files
# stream to disk past FILE_UPLOAD_MAX_MEMORY_SIZE. The longest texts are a few 5,000-character fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Redis, cache and Celery -------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# A dead Redis must cost a request well under 2 s in total, never a hang and never a 500: every client
# has short connection and socket timeouts, publishing retries once, the cache answers a miss
# (core.cache) and the rate limits open (RATELIMIT_FAIL_OPEN). Mails wait in the outbox meanwhile.
# Eager tasks still pass through a producer of this in-process transport (Celery serialises their arguments
# with it); it names a host so that kombu does not warn "No hostname was supplied" as if a broker were being
# looked for. Nothing connects anywhere.
EAGER_BROKER_URL = "memory://localhost/"
REDIS_TIMEOUT = env.float("REDIS_TIMEOUT", default=0.5)  # seconds, per connect and per socket operation
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # Embedded default: no broker, tasks run in-process when they are enqueued.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = EAGER_BROKER_URL
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True  # a task whose worker died is run again, so tasks are idempotent
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_RESULT_EXPIRES = 24 * 60 * 60
# Nothing reads a task's result but the worker self-check (desks.tasks.worker_selfcheck keeps its own):
# without this every enqueue would also subscribe to the result store, one more Redis wait per request.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": REDIS_TIMEOUT,
    "socket_connect_timeout": REDIS_TIMEOUT,
    "max_retries": 1,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
}
# Periodic tasks live in the database (django-celery-beat), edited in the admin; `migrate` creates them once.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
REMINDER_TIME = env("REMINDER_TIME", default="08:30")  # Asia/Shanghai
PORTAL_PERIODIC_TASKS = {
    "每日提醒与催办": {"task": "core.send_reminders", "time": REMINDER_TIME},
    "预警规则夜间全面复查": {"task": "risks.rescan", "time": "02:00"},
    "清理过期的导出与导入文件": {"task": "core.remove_stale_files", "time": "03:00"},
    "清理过期的会话": {"task": "core.clear_sessions", "time": "03:30"},
    # E-mail copies a dead broker or worker left pending (core.outbox); a no-op when there are none.
    "补发未送出的邮件": {"task": "core.sweep_outbox", "every": 60},
    "合并投诉计数": {"task": "complaints.compact_tally", "every": 3600},  # complaints.tally
    "合并预警计数": {"task": "risks.compact_alert_tally", "every": 3600},  # risks.tally
}

# --- E-mail ------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="清廉园区监督平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[清廉园区] "

# --- REST framework ----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.PortalPageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}

# API tokens (django-rest-knox): only a SHA-512 digest is stored; a token expires API_TOKEN_TTL_HOURS after it
# was issued (never extended) and is revoked on logout, password change and deactivation (accounts.models).
# 8 h, like SESSION_COOKIE_AGE: a token reads what its owner reads (for staff: who complained), so it should
# not outlive the working day a browser session would; a script asks for a fresh one each run.
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=8)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_TTL_HOURS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "清廉园区监督平台 API",
    "DESCRIPTION": (
        "Every resource of the portal, scoped exactly like the pages: a user reads and writes only in the "
        "parks assigned to them (outside is 404). Workflow steps are POST actions; a step the current "
        'state does not allow answers 409. Errors: {"code", "detail", "fields"}.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The staff API's description is for staff readers; the public part has its own (config/api.py).
    "SERVE_PERMISSIONS": ["core.api.IsStaffReader"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The error answers of every operation, in the one error shape (core/schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.schema.add_error_responses"],
    "ENUM_NAME_OVERRIDES": {
        "ComplaintCategoryEnum": "complaints.choices.Category",
        "RiskDomainEnum": "risks.choices.RiskDomain",
        "ComplaintStatusEnum": "complaints.choices.Status",
        "AlertSeverityEnum": "risks.choices.Severity",
        "FindingSeverityEnum": "inspections.choices.FindingSeverity",
    },
}

# --- Security that holds in every environment -------------------------------------------------
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy on every response (django-csp 4). Scripts and styles come only from our own
# static files: no inline <script>, no on…= handlers, no style= attributes or <style> elements anywhere
# (tests/core/test_csp.py walks the pages). data: images are Bootstrap's inline SVG icons (the select
# arrow, the menu button). frame-ancestors repeats X_FRAME_OPTIONS for browsers that read only CSP.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- The portal's own settings -----------------------------------------------------------------
PORTAL_NAME = _("Clean Park Integrity Supervision Portal")
PORTAL_PAGE_SIZE = env.int("PORTAL_PAGE_SIZE", default=25)
# List totals (core.pagination): exact up to the first, then estimated or "more than N"; searches count to the cap.
PORTAL_ESTIMATED_COUNT_ABOVE = env.int("PORTAL_ESTIMATED_COUNT_ABOVE", default=10_000)
PORTAL_SEARCH_COUNT_CAP = env.int("PORTAL_SEARCH_COUNT_CAP", default=1_000)
# The address on posters and QR codes (default: the request's); how long (s) a worker keeps its park: parks.printed
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="")
PRINTED_PARK_SECONDS = env.float("PRINTED_PARK_SECONDS", default=10.0)
# Set by bench/intake.py only: routes /bench/bare/, the do-nothing baseline of the intake's throughput. Never in production.
PORTAL_BENCH = env.bool("PORTAL_BENCH", default=False)
# How often (seconds) a process asks whether the commission changed the working-day calendar (core.workdays).
WORKING_CALENDAR_RECHECK_SECONDS = env.float("WORKING_CALENDAR_RECHECK_SECONDS", default=5.0)

# Complaints: time limits in Chinese working days, per category (see complaints.choices.Category).
COMPLAINT_ACCEPT_WORKING_DAYS = env.int("COMPLAINT_ACCEPT_WORKING_DAYS", default=1)
COMPLAINT_REPLY_WORKING_DAYS = {"default": env.int("COMPLAINT_REPLY_WORKING_DAYS", default=5)}
COMPLAINT_TEXT_MAX_LENGTH = 5000
# Tracking codes are stored as HMAC-SHA256 under this key. Changing it invalidates every code ever
# handed out: set it once, keep it secret, back it up with the database credentials.
TRACKING_CODE_KEY = env("TRACKING_CODE_KEY", default="")
# Per client (IP address) limits for the anonymous pages, in django-ratelimit's notation.
COMPLAINT_SUBMIT_RATE = env("COMPLAINT_SUBMIT_RATE", default="10/h")
TRACKING_LOOKUP_RATE = env("TRACKING_LOOKUP_RATE", default="30/h")
# How many reverse proxies sit in front of gunicorn, each appending to X-Forwarded-For (nginx:
# proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for). 0: the connecting address is the client.
# core.http.client_ip is the one place that reads it; every per-client limit goes through that function.
TRUSTED_PROXIES = max(env.int("TRUSTED_PROXIES", default=0), 0)
RATELIMIT_IP_META_KEY = "core.http.client_ip"  # fixed wiring, not an environment variable
# Fail open: when the counters cannot be read (Redis down, see core.cache) a request is let through, with
# a warning logged. The complaint window is what must never close; a short outage of the limiter is the
# lesser harm. Logins are not counted here: django-axes keeps its counts in the database.
RATELIMIT_FAIL_OPEN = True

# Reminders: rectification tasks due in these many working days remind their owner; overdue tasks and
# complaints escalate to the park's inspectors on these working days overdue; a missed day is caught up.
REMINDER_DUE_WORKING_DAYS = (7, 3, 1)
REMINDER_ESCALATE_WORKING_DAYS = (1, 3, 7)
REMINDER_CATCH_UP_DAYS = env.int("REMINDER_CATCH_UP_DAYS", default=14)

# Exports: up to this many rows download at once; above it a Celery task writes the file and the
# user gets a message with the link. Imports refuse files with more rows than the import limit.
EXPORT_DIRECT_MAX_ROWS = env.int("EXPORT_DIRECT_MAX_ROWS", default=20_000)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=50_000)
# Imports of up to this many rows are checked and saved in the request; larger ones by a Celery task,
# the page showing the rows checked so far (a 50,000-row file takes ~20 s, near gunicorn's timeout).
IMPORT_DIRECT_MAX_ROWS = env.int("IMPORT_DIRECT_MAX_ROWS", default=2_000)
IMPORT_MAX_MB = env.int(
    "IMPORT_MAX_MB", default=20
)  # refused before it is read; 50,000 enterprise rows are ~1.6 MB of xlsx
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
# A large export being written updates its heartbeat this often; one waiting or being written with no
# heartbeat for EXPORT_STALE_SECONDS is taken for dead (its worker was killed) and offered again.
EXPORT_HEARTBEAT_SECONDS = env.int("EXPORT_HEARTBEAT_SECONDS", default=10)
EXPORT_STALE_SECONDS = env.int("EXPORT_STALE_SECONDS", default=120)
# Reading an import stops after this many seconds (a workbook built to be slow to parse; 50,000 rows
# read in about 7 s on a busy 2-core machine).
IMPORT_READ_MAX_SECONDS = env.int("IMPORT_READ_MAX_SECONDS", default=30)

# The largest request body accepted, refused (413) before it is read (core.middleware): the larger of a
# complaint with all its attachments and an import file, plus room for the form fields and the multipart
# framing. Set the proxy's limit to the same (nginx: client_max_body_size 55m).
REQUEST_MAX_MB = env.int(
    "REQUEST_MAX_MB",
    default=max(PORTAL_UPLOAD_MAX_MB * PORTAL_UPLOAD_MAX_FILES, IMPORT_MAX_MB)
    + DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    + 3,
)

# Early-warning rules (risks.rules): thresholds. Amounts in yuan.
RISK_RULES = {
    "SUBSIDY_NOT_LANDED_DAYS": env.int("RISK_SUBSIDY_NOT_LANDED_DAYS", default=30),
    "LARGE_FUND_THRESHOLD": env.int("RISK_LARGE_FUND_THRESHOLD", default=500_000),
    "TENDERING_THRESHOLD": env.int("RISK_TENDERING_THRESHOLD", default=4_000_000),
    "CHANGE_ORDER_RATIO": env.str("RISK_CHANGE_ORDER_RATIO", default="0.10"),
    "SPLITTING_WINDOW_DAYS": env.int("RISK_SPLITTING_WINDOW_DAYS", default=90),
    "QUORUM": (2, 3),  # members present / members entitled, at least
}

# --- Errors and logs that reach someone -----------------------------------------------------------
# Server errors (and failed Celery tasks) are e-mailed to ADMINS="name:email,name:email", without personal
# data (core.error_reports); with SENTRY_DSN set they go to Sentry too, scrubbed the same way (core.sentry).
ADMINS = [
    (name.strip() or email.strip(), email.strip())
    for name, _colon, email in (entry.rpartition(":") for entry in env.list("ADMINS", default=[]))
]
MANAGERS = ADMINS
DEFAULT_EXCEPTION_REPORTER_FILTER = "core.error_reports.PersonalDataReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "core.error_reports.ScrubbingExceptionReporter"
# Pages whose whole request body an error report hides, whatever its fields are called: the complaint and
# tracking pages, their API, the staff's handling of complaints.
ERROR_REPORT_PRIVATE_PATHS = ["/report/", "/track/", "/api/public/", "/complaints/", "/api/complaints/", "/my/"]
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from core.sentry import sentry_init

    sentry_init(
        SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("PORTAL_COMMIT", default=""),
    )

# Logs go to stdout, one line per record with the request id: plain text, or JSON with LOG_FORMAT=json.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "core.logs.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {
            "()": "core.logs.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
        "mail_admins": {
            "level": "ERROR",
            "class": "core.error_reports.AdminEmailHandler",
            "filters": ["require_debug_false", "request_id"],
            "formatter": "plain",  # the first line of the mail names the request id
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},  # server errors; the console via the root
        "celery.app.trace": {"handlers": ["mail_admins"]},  # a task that failed
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failed logins and lockouts are warnings; every success is not news
    },
}
if not REDIS_URL:
    # Tasks run in-process (no broker): a "Task … succeeded" line for each is noise on the console — seed_demo runs dozens. A failed task still logs (and mails ADMINS).
    LOGGING["loggers"]["celery.app.trace"]["level"] = "WARNING"
