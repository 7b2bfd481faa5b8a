"""Settings for the Satun ITA portal: one module, configured from the environment.

Every value has a safe local default so that `make run` works right after checkout; production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL. Nothing province-specific is hard-coded here
beyond the default PORTAL_NAME, which is data an instance may override.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from satun_ita import storage
from satun_ita.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "csp",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "measures",
    "oit",
    "oit.readiness",
    "reports",
    "ops",
    "transparency",
    "accounts",
    "loginguard",
    "audit",
    "linkcheck",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # right after SecurityMiddleware, as whitenoise asks
    "csp.middleware.CSPMiddleware",
    "satun_ita.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "satun_ita.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.sessions.IdleSessionMiddleware",
    "loginguard.devices.TrustedDeviceMiddleware",
    "satun_ita.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "satun_ita.middleware.DatabaseTroubleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "satun_ita.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "satun_ita.context_processors.portal",
                "reports.notices.context_processors.notices",
                # Last: while a page is being kept whole (ops.pagecache), its CSRF token is a placeholder.
                "ops.pagecache.csrf_placeholder",
            ],
            # {% load pdf %}: filters of printable documents (satun_ita/pdf.py), for any app's templates.
            "libraries": {"pdf": "satun_ita.templatetags.pdf"},
        },
    },
]

WSGI_APPLICATION = "satun_ita.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# The embedded SQLite default (`make run`): a write transaction takes the write lock when it begins (IMMEDIATE),
# so two simultaneous saves queue up instead of one failing with "database is locked" (a deferred transaction
# that read first cannot be given the lock later), and a writer waits up to SQLITE_BUSY_TIMEOUT seconds for it.
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": envint("SQLITE_BUSY_TIMEOUT", 20)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
# PostgreSQL: nothing waits for ever. A save that cannot get a row lock within DB_LOCK_TIMEOUT_MS, a query
# running past DB_STATEMENT_TIMEOUT_MS (under gunicorn's 30 s) or a server not answering within
# DB_CONNECT_TIMEOUT seconds fails; satun_ita.middleware.DatabaseTroubleMiddleware answers with a Thai "busy,
# nothing was saved" page (503), and the transaction of the save is rolled back. 0 switches a timeout off
# (e.g. DB_STATEMENT_TIMEOUT_MS=0 for a long `migrate`).
DB_LOCK_TIMEOUT_MS = envint("DB_LOCK_TIMEOUT_MS", 5000)
DB_STATEMENT_TIMEOUT_MS = envint("DB_STATEMENT_TIMEOUT_MS", 20000)
DB_CONNECT_TIMEOUT = envint("DB_CONNECT_TIMEOUT", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": DB_CONNECT_TIMEOUT,
        "options": f"-c lock_timeout={DB_LOCK_TIMEOUT_MS} -c statement_timeout={DB_STATEMENT_TIMEOUT_MS}",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES; a successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The pause cannot keep the real user out (OWASP's device cookies): a browser that signed in as the user before,
# or opened the unlock link e-mailed to them, is exempt; the user is e-mailed when their user name is paused.
AXES_WHITELIST_CALLABLE = "loginguard.devices.is_trusted"
# Behind a reverse proxy, REMOTE_ADDR is the proxy's: take the client from the proxy's header when told to, as
# the address the TRUSTED_PROXY_COUNT-th proxy from the app appended (satun_ita.env.client_ip), never the
# left-most entry, which the client writes.
AXES_CLIENT_IP_CALLABLE = "satun_ita.env.client_ip" if envbool("TRUST_X_FORWARDED_FOR", False) else None
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1)

LOGIN_URL = "login"

# Sessions end after SESSION_IDLE_MINUTES without a request (default: a working day); a user's sessions are
# listed, and can be ended, in the admin (accounts). Password reset requests: at most so many an hour.
SESSION_COOKIE_AGE = 60 * envint("SESSION_IDLE_MINUTES", 8 * 60)
PASSWORD_RESET_PER_ADDRESS = envint("PASSWORD_RESET_PER_ADDRESS", 3)
PASSWORD_RESET_PER_CLIENT = envint("PASSWORD_RESET_PER_CLIENT", 10)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day
CSRF_FAILURE_VIEW = "satun_ita.views.csrf_failure"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Thai first, English available.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded evidence is never served from a public URL: only through permission-checked views.
MEDIA_URL = None
STORAGES = {
    # Evidence files: MEDIA_ROOT on the local disk, or S3-compatible object storage with STORAGE_URL or the
    # AWS_* variables (satun_ita/storage.py), which several app servers share.
    "default": storage.from_environment(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: evidence files at most this many megabytes each.
EVIDENCE_MAX_UPLOAD_MB = envint("EVIDENCE_MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A file is never kept beyond EVIDENCE_MAX_UPLOAD_MB, even before a form checks it (reports/reporting/uploads.py), and a
# request carries a few files at most (the evidence form has one): a bound on what one request can spool.
FILE_UPLOAD_HANDLERS = [
    "reports.reporting.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# The cache, shared by every app server: the database (table django_cache, made by `manage.py createcachetable`)
# by default, Redis with CACHE_URL=redis://host:6379/0 (needs the redis package), or locmem:// for one process.
CACHE_URL = envstr("CACHE_URL", "db://")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL == "db://":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
    }
elif CACHE_URL == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must be db://, locmem:// or redis://…, got {CACHE_URL!r}")
# Rendered page fragments ({% fragment %}, reports/templatetags/fragments.py), in each process's own memory: no
# query and no network to read one. Every key is a digest of everything the fragment shows, so a fragment is
# never out of date and the processes need not share them; a changed value is a new key, old ones age out.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "satun-fragments",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
# Whole pages kept rendered (@kept_page, ops/pagecache.py: the dashboard, the rounds, the review inbox and page,
# the report page), in each process's own memory, keyed on the data version (ops/versions.py) that every write
# through Django raises: a kept page is never older than the last change. The TIMEOUT bounds what writes made
# outside Django (psql by hand) could leave. KEEP_PAGES=0 turns it off.
KEEP_PAGES = envbool("KEEP_PAGES", True)
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "satun-pages",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 1000},  # kept compressed: 5–20 KB each (a dashboard of 2,500 agencies: ~20 KB)
}

# Background jobs: Django's task interface (django-tasks, the backport of Django 6's django.tasks) with the
# jobs stored in the database (django-tasks-db) and run by `manage.py run_worker` (ops/worker.py). Define a
# job with `@task()` from django_tasks in the app's tasks.py and call `that_job.enqueue(...)` (JSON-serialisable
# arguments), after the transaction commits (`transaction.on_commit`) when it reads what the request wrote.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (reminders): console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "ita-portal@localhost")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
# Reviewers hear of each submission by e-mail "immediate"ly, or in the daily "digest" of send_reminders.
SUBMISSION_NOTICES = envstr("SUBMISSION_NOTICES", "digest").strip().lower()
if SUBMISSION_NOTICES not in ("immediate", "digest"):
    raise ImproperlyConfigured(f"SUBMISSION_NOTICES must be immediate or digest, got {SUBMISSION_NOTICES!r}")

# The instance's own name: data, not code, so any province can run the same portal.
PORTAL_NAME = envstr("PORTAL_NAME", "ระบบติดตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส จังหวัดสตูล")
PORTAL_NAME_EN = envstr("PORTAL_NAME_EN", "Satun Integrity and Transparency Measures Portal")

# Security: strict in production, relaxed under DEBUG so runserver works over http.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer probes the app servers over plain HTTP: /healthz answers there instead of redirecting.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production settings over plain http on loopback, for measuring (benchmarks/pages.py) only: no https redirect,
# no secure-only cookies, no HSTS. Never the default, and refused unless every allowed host is loopback.
ALLOW_PLAIN_HTTP = envbool("ALLOW_PLAIN_HTTP", False)
if ALLOW_PLAIN_HTTP:
    if not ALLOWED_HOSTS or set(ALLOWED_HOSTS) - {"127.0.0.1", "localhost", "::1"}:
        raise ImproperlyConfigured("ALLOW_PLAIN_HTTP is for loopback only: set ALLOWED_HOSTS=127.0.0.1.")
    SECURE_SSL_REDIRECT = False
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
    SECURE_HSTS_SECONDS = 0
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): every script, style, font and image comes from the portal itself
# (static/vendor/, no CDN), so an injected <script>, inline handler or style, or a foreign form target is
# refused by the browser. Templates carry no inline script or style; htmx is told not to inject its own
# <style> (the htmx-config meta tag in base.html). "data:" images: Bootstrap's CSS draws its form controls
# (select arrow, check marks) as inline SVG.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # WeasyPrint (PDF exports) logs every step of every document at INFO; httpx logs every request at INFO
    # (the link monitor makes thousands a run).
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
