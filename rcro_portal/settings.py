"""Settings of the RCRO monitoring portal.

One module, driven by the environment (django-environ). With nothing set, the portal runs on
SQLite with Celery tasks executed eagerly, so a newcomer needs nothing but Python.

Environment variables:
    DJANGO_ENV          development (default) | production
    DJANGO_SECRET_KEY   required in production
    DJANGO_ALLOWED_HOSTS  comma-separated, required in production
    DATABASE_URL        e.g. postgres://user:pass@host:5432/rcro (default: SQLite in var/)
    DATABASE_TEST_NAME  name of the throw-away test database (optional)
    REDIS_URL           e.g. redis://127.0.0.1:6379/0; switches Celery to a real broker
    EMAIL_URL           e.g. smtp+tls://user:pass@mail.example:587 or filemail:///path/to/dir
                        (default: console backend)
    PORTAL_BASE_URL     address the links in e-mails start with (default http://127.0.0.1:8000)
    INVITATION_VALID_DAYS  days an invitation link stays valid (default 7)
    DEFAULT_FROM_EMAIL  sender of notifications
    MEDIA_ROOT          where generated files (exports, reports) are kept
    SESSION_IDLE_MINUTES  a session ends after this many minutes without requests (default 60)
    TRUSTED_PROXIES     comma-separated addresses/networks of the reverse proxies whose
                        X-Forwarded-For is believed (default: none)
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-secret-key-not-for-production-use-0123456789")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rcro_portal.apps.AxesConfig",
    "simple_history",
    "import_export",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "health_check",
    "accounts",
    "audit",
    "schools",
    "monitoring",
    "projects",
    "reports",
    "people",
    "programmes",
    "vendors",
    "api",
    "rcro_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.NoStoreMiddleware",
    "audit.middleware.AccessJournalMiddleware",
    # Must be last: it turns a lockout raised by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files are served by the application itself (no CDN, no separate web server needed).
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "rcro_portal.urls"
WSGI_APPLICATION = "rcro_portal.wsgi.application"

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
                "accounts.context_processors.role",
                "programmes.context_processors.programme_nav",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
VAR_DIR = Path(env.str("RCRO_VAR_DIR", default=str(BASE_DIR / "var")))
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Wait for a concurrent writer instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiles a query whose estimated cost is high — the export's and the справка's
# queries over a large region — which costs a second or more, several times what the query itself
# takes here; it pays off only in long analytic scans. Off unless DATABASE_JIT=on.
_PG_OPTIONS = "" if env.bool("DATABASE_JIT", default=False) else "-c jit=off"
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql") and _PG_OPTIONS:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = _PG_OPTIONS
if env.str("DATABASE_TEST_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("DATABASE_TEST_NAME")}
# Optional read replica (PostgreSQL streaming replication): exports, dashboards and the справка
# read from it (core/replica.py); writes and everything else use "default".
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    if DATABASES["replica"]["ENGINE"].startswith("django.db.backends.postgresql") and _PG_OPTIONS:
        DATABASES["replica"].setdefault("OPTIONS", {})["options"] = _PG_OPTIONS
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Authentication -----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Username or e-mail address (any letter case); django-axes above still counts the attempts.
    "accounts.backends.EmailOrUsernameBackend",
]
# Checked when a password is set or changed (existing passwords keep working until then).
PASSWORD_MIN_LENGTH = 12
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: repeated wrong passwords lock the account, counted per account over all addresses
# (guessing one account from many addresses) as well as per account and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
# The client's address: X-Forwarded-For is believed only from the proxies in TRUSTED_PROXIES.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
# Attempts by e-mail address and by username count for the same account.
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Asia/Tomsk"
USE_I18N = True
USE_TZ = True
# Numbers are grouped explicitly where people read them (the «num» filter, documents); a global
# setting would also group ids written into forms and links («1 234»).
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["rcro_portal.formats"]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Compressing the collected files (gzip and brotli) takes minutes on a small machine; the load
# test, which requests no static files, collects them uncompressed (DJANGO_STATIC_COMPRESS=0).
STATIC_COMPRESS = env.bool("DJANGO_STATIC_COMPRESS", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            (
                "whitenoise.storage.CompressedManifestStaticFilesStorage"
                if STATIC_COMPRESS
                else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            )
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploaded workbooks are read in memory up to this size; larger ones are refused earlier.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Cache, Celery ------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Several web nodes behind a proxy share sessions through Redis (no session table to write on
    # every request). SESSION_ENGINE=django.contrib.sessions.backends.cached_db keeps a copy in
    # the database too, for a Redis without persistence.
    SESSION_ENGINE = env.str("SESSION_ENGINE", default="django.contrib.sessions.backends.cache")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Time limits of background jobs, seconds: (soft, hard). Past the soft limit the task is told to stop
# (an export or a справка is marked failed), past the hard one the worker kills it. core/tasks.py
# applies them by kind of work; a task without its own limits gets the default ones.
TASK_TIME_LIMITS = {
    "quick": (30, 60),  # a ping of the worker
    "mail": (3 * 60, 4 * 60),  # a notification or the day's reminders: a few hundred letters at most
    "document": (15 * 60, 16 * 60),  # the region's Appendix 1 table, the analytic справка with charts
}
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
# E-mail tasks retry on transient errors (server down, network), waiting 30 s, 60 s, 120 s… (at most
# 10 min, with jitter), up to 5 times.
MAIL_RETRY_BACKOFF = 30
MAIL_RETRY_BACKOFF_MAX = 10 * 60
MAIL_MAX_RETRIES = 5
# Queues: heavy jobs (Appendix 1 exports, справки) and light ones (e-mail, the worker ping) can be
# served by workers on different machines (`make worker-heavy`, `make worker-light`); a worker
# started without -Q (`make worker`) serves all of them.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("heavy"), Queue("light"))
CELERY_TASK_ROUTES = {
    "reports.build_appendix1_export": {"queue": "heavy"},
    "reports.build_analytic_report": {"queue": "heavy"},
    "monitoring.send_workflow_notification": {"queue": "light"},
    "monitoring.send_deadline_reminders": {"queue": "light"},
    "projects.send_assignment_notification": {"queue": "light"},
    "reports.worker_ping": {"queue": "light"},
}
CELERY_BEAT_SCHEDULE = {
    "deadline-reminders": {
        "task": "monitoring.send_deadline_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "review-digest": {
        "task": "monitoring.send_review_digest",
        "schedule": crontab(hour=8, minute=0),
    },
    "programme-progress-reminders": {
        "task": "programmes.send_progress_reminders",
        "schedule": crontab(hour=9, minute=30),
    },
}
# After the deadline, reminders go on every this many days.
REMINDER_AFTER_DEADLINE_EVERY_DAYS = env.int("REMINDER_AFTER_DEADLINE_EVERY_DAYS", default=3)

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # filemail:///var/mail/rcro is the absolute directory /var/mail/rcro (django-environ drops the
    # leading slash); filemail://var/mail is relative to the working directory.
    _mail_url = urlsplit(env.str("EMAIL_URL"))
    EMAIL_FILE_PATH = (_mail_url.netloc + _mail_url.path) if _mail_url.netloc else _mail_url.path
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="РЦРО: мониторинг СЭД <noreply@rcro.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every link in an e-mail starts with this address (core.links.portal_url).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# How long the link of an invitation to set a password stays valid.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
# Password reset links (Django's own views) stay valid this long.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# The signature of the analytic report (the methodist can change it in each report). When empty,
# the position is taken from the project passport («Руководитель проекта»).
ANALYTIC_REPORT_SIGNATORY_POSITION = env.str("ANALYTIC_REPORT_SIGNATORY_POSITION", default="")
ANALYTIC_REPORT_SIGNATORY_NAME = env.str("ANALYTIC_REPORT_SIGNATORY_NAME", default="")

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# A session ends after SESSION_IDLE_MINUTES without requests; every request (the form's autosave
# too) starts the period again. The session is written again at most once a SESSION_REFRESH_SECONDS
# (core.middleware.SessionRefreshMiddleware), not on every request.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
# Content-Security-Policy (django-csp 4): scripts and styles only from the portal itself; no inline
# scripts or handlers, no inline styles (no style="…" attributes or <style> elements: widths of
# progress bars are classes in static/css/portal.css; scripts may still set element.style).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "pymorphy3": {"level": "WARNING"}},
}

# --- API for the EDMS vendors and the Department (api/, README «API») ----------------------------
VENDOR_BATCH_MAX = env.int("VENDOR_BATCH_MAX", default=5000)  # records in one batch of counts
# A vendor's figure differing from the school's by more than this many percent is a warning.
VENDOR_DIFF_WARNING_PCT = env.int("VENDOR_DIFF_WARNING_PCT", default=20)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env.str("API_KEY_RATE", default="120/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API портала мониторинга СЭД",
    "DESCRIPTION": "Данные разработчиков СЭД по организациям, обращения к разработчикам, "
    "утверждённые показатели мониторинга для Департамента. Ключ: заголовок `Authorization: Api-Key <ключ>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
