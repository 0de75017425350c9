"""Django settings for clusterdesk.

Every setting has a default that runs the embedded mode (SQLite and local files under ``var/``);
production overrides them through environment variables (see README, "Configuration").
"""

from __future__ import annotations

import os
from pathlib import Path

from csp.constants import NONE, SELF

from clusterdesk.conf import (
    cache_from_env,
    database_from_env,
    email_from_env,
    env_bool,
    env_int,
    env_list,
    storages_from_env,
)
from clusterdesk.web.logs import logging_from_env

# src/clusterdesk/settings.py -> the repository root.
REPO_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("CLUSTERDESK_VAR_DIR", REPO_DIR / "var"))

# The "django-insecure-" prefix makes `manage.py check --deploy` flag it if it reaches production.
SECRET_KEY = os.environ.get(
    "CLUSTERDESK_SECRET_KEY", "django-insecure-clusterdesk-dev-only-do-not-use-in-production"
)
DEBUG = env_bool(os.environ, "CLUSTERDESK_DEBUG", default=False)
ALLOWED_HOSTS = env_list(os.environ, "CLUSTERDESK_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "django_filters",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "ninja",  # django-ninja: its docs page's Swagger UI from our static files, not a CDN
    "clusterdesk.accounts",
    "clusterdesk.api",
    "clusterdesk.backup",
    "clusterdesk.county",
    "clusterdesk.declarations",
    "clusterdesk.demo",
    "clusterdesk.evidence",
    "clusterdesk.exports",
    "clusterdesk.hearings",
    "clusterdesk.intake",
    "clusterdesk.monitoring",
    "clusterdesk.notifications",
    "clusterdesk.portal",
    "clusterdesk.publicity",
    "clusterdesk.recheck",
    "clusterdesk.registry",
    "clusterdesk.review",
    "clusterdesk.revocation",
    "clusterdesk.rounds",
    "clusterdesk.scoring",
    "clusterdesk.tracking",
    "clusterdesk.web",
]

MIDDLEWARE = [
    # First: every answer, a redirect to HTTPS or an error page included, gets the request id.
    "clusterdesk.web.middleware.RequestIdMiddleware",
    # /healthz and /readyz for probes: before the HTTPS redirect and the host check (web.health).
    "clusterdesk.web.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Inside the request id (the page shows it), outside everything that may answer 405.
    "clusterdesk.web.middleware.MethodNotAllowedMiddleware",
    # Static files with debug off (whitenoise), before anything touches the session.
    "clusterdesk.web.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "clusterdesk.web.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Refuses a login attempt over the limits (a 429 page) before any password is hashed.
    "clusterdesk.accounts.middleware.LoginThrottleMiddleware",
]

ROOT_URLCONF = "clusterdesk.urls"
WSGI_APPLICATION = "clusterdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clusterdesk.accounts.navigation.navigation",
                "clusterdesk.notifications.context.unread_notifications",
                "clusterdesk.web.middleware.request_id_context",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(os.environ, VAR_DIR)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite cannot create its file in a missing directory; var/ is git-ignored, so make it here.
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's own rule with a Chinese message (its translation lacks the 5.2 wording).
    {"NAME": "clusterdesk.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login policy (the site's and the admin's login; clusterdesk.accounts.loginlimits, README
# "Login policy"). Browsers where the account logged in before are exempt from the lock and the
# address and global limits, so an attacker cannot keep the real user out.
# Failed passwords for one username (from untrusted browsers) that lock it for the cool-off time:
CLUSTERDESK_LOGIN_FAILURE_LIMIT = env_int(os.environ, "CLUSTERDESK_LOGIN_FAILURE_LIMIT", default=5)
CLUSTERDESK_LOGIN_COOLOFF_MINUTES = env_int(
    os.environ, "CLUSTERDESK_LOGIN_COOLOFF_MINUTES", default=15
)
# Login attempts per client address in 5 minutes, and in total per minute (untrusted browsers).
CLUSTERDESK_LOGIN_IP_LIMIT = env_int(os.environ, "CLUSTERDESK_LOGIN_IP_LIMIT", default=30)
CLUSTERDESK_LOGIN_GLOBAL_LIMIT = env_int(os.environ, "CLUSTERDESK_LOGIN_GLOBAL_LIMIT", default=60)
# How long a browser stays trusted for an account after its last successful login there.
CLUSTERDESK_LOGIN_DEVICE_DAYS = env_int(os.environ, "CLUSTERDESK_LOGIN_DEVICE_DAYS", default=90)
# The client address: REMOTE_ADDR unless the site sits behind this many reverse proxies, which
# append it to this header (clusterdesk.accounts.client). Never set it without such proxies:
# anyone could then choose their address by sending the header.
CLUSTERDESK_TRUSTED_PROXY_COUNT = env_int(
    os.environ, "CLUSTERDESK_TRUSTED_PROXY_COUNT", default=0, minimum=0
)
CLUSTERDESK_CLIENT_IP_HEADER = os.environ.get("CLUSTERDESK_CLIENT_IP_HEADER", "X-Forwarded-For")

# The cache holds the login counts: by default files under var/cache, shared by the server
# processes of one host; CLUSTERDESK_CACHE_URL=redis://host:6379/0 for several hosts.
CACHES = {"default": cache_from_env(os.environ, VAR_DIR)}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("CLUSTERDESK_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("CLUSTERDESK_MEDIA_ROOT", VAR_DIR / "media"))

# Evidence (佐证材料) is stored by SHA-256 under MEDIA_ROOT/evidence/ and is never served from
# MEDIA_URL: downloads go through the access checks in clusterdesk.evidence.views.
CLUSTERDESK_EVIDENCE_MAX_MB = env_int(os.environ, "CLUSTERDESK_EVIDENCE_MAX_MB", default=20)
# All evidence of one application together (each distinct file counted once), in MB.
CLUSTERDESK_EVIDENCE_QUOTA_MB = env_int(os.environ, "CLUSTERDESK_EVIDENCE_QUOTA_MB", default=500)
# The whole form of one application as JSON, in KB: the example with 386 patents is ~50 KB.
CLUSTERDESK_FORM_MAX_KB = env_int(os.environ, "CLUSTERDESK_FORM_MAX_KB", default=2048)
# The evidence widget sends one file per request; a form without JavaScript at most this many.
# Uploaded files above 2.5 MB (FILE_UPLOAD_MAX_MEMORY_SIZE) go to a temporary file, not memory,
# and an evidence file over the limit is dropped while it streams in (evidence.handlers).
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Largest Word file accepted by the Attachment 2 import (从Word导入), in MB; a larger upload is
# dropped while it streams in. The work of reading one file is bounded in documents.safety.
CLUSTERDESK_IMPORT_MAX_MB = env_int(os.environ, "CLUSTERDESK_IMPORT_MAX_MB", default=20)

# Expensive downloads (PDF through LibreOffice, the electronic package) running at once, per
# user and overall; the rest are refused at once with 429. The slots are lock files under
# CLUSTERDESK_LOCK_DIR, shared by all worker processes of the host (clusterdesk.slots).
CLUSTERDESK_HEAVY_PER_USER = env_int(os.environ, "CLUSTERDESK_HEAVY_PER_USER", default=1)
CLUSTERDESK_HEAVY_TOTAL = env_int(os.environ, "CLUSTERDESK_HEAVY_TOTAL", default=2)
CLUSTERDESK_LOCK_DIR = Path(os.environ.get("CLUSTERDESK_LOCK_DIR", VAR_DIR / "locks"))

# The open API (/api/v1/, clusterdesk.api): requests per token per minute; more answer 429.
CLUSTERDESK_API_RATE_LIMIT = env_int(os.environ, "CLUSTERDESK_API_RATE_LIMIT", default=120)

# Background work (exports, README "导出文件与后台任务"): Django's Tasks API through the
# django-tasks backport. By default the queue is a database table and `make run` starts the
# worker (manage.py exports_worker): no service to install. CLUSTERDESK_TASKS_URL=redis://…
# queues on Redis instead, for RQ workers on any number of machines (the same command).
CLUSTERDESK_TASKS_URL = os.environ.get("CLUSTERDESK_TASKS_URL", "").strip()
CLUSTERDESK_TASKS_QUEUE = "default"
if CLUSTERDESK_TASKS_URL:
    TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [CLUSTERDESK_TASKS_QUEUE]}
    }
else:
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": [CLUSTERDESK_TASKS_QUEUE],
        }
    }
# A whole round's ZIP with PDFs takes minutes: RQ's default of 180 s would kill it.
RQ_QUEUES = {
    CLUSTERDESK_TASKS_QUEUE: {
        "URL": CLUSTERDESK_TASKS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": 4 * 3600,
    }
}
# Every RQ worker (manage.py rqworker too) must run jobs as django-tasks-rq's Job, which calls
# the Task; RQ's own Job class would try to call the Task object itself and fail.
RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
# The finished export files (written under a temporary name, renamed when complete).
CLUSTERDESK_EXPORT_DIR = Path(os.environ.get("CLUSTERDESK_EXPORT_DIR", VAR_DIR / "exports"))

# E-mail (notifications and deadline reminders, README "通知与提醒"): by default written as
# files under var/mail, so nothing leaves the machine; SMTP with CLUSTERDESK_EMAIL_URL.
_EMAIL = email_from_env(os.environ, VAR_DIR)
EMAIL_BACKEND = _EMAIL["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _EMAIL["EMAIL_FILE_PATH"]
EMAIL_HOST = _EMAIL["EMAIL_HOST"]
EMAIL_PORT = _EMAIL["EMAIL_PORT"]
EMAIL_HOST_USER = _EMAIL["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _EMAIL["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _EMAIL["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _EMAIL["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = 10  # a hung mail server must not hold a worker for long
DEFAULT_FROM_EMAIL = os.environ.get("CLUSTERDESK_EMAIL_FROM", "clusterdesk@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The links in e-mails point here (no request to take the host from in a scheduled job).
CLUSTERDESK_SITE_URL = os.environ.get("CLUSTERDESK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Production settings (README "生产配置与错误 / Production settings and errors") ------------
# Secure unless told otherwise: HTTPS-only cookies, the redirect to HTTPS and HSTS are on except
# in debug mode (make run) or with CLUSTERDESK_HTTPS=0 for a plain-http run on a trusted host.
HTTPS = env_bool(os.environ, "CLUSTERDESK_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = (
    env_int(os.environ, "CLUSTERDESK_HSTS_SECONDS", default=31_536_000, minimum=0) if HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Asking browsers to preload the domain is the domain owner's decision, so it is opt-in, and the
# deploy check's reminder about it (security.W021) is silenced until then.
SECURE_HSTS_PRELOAD = env_bool(os.environ, "CLUSTERDESK_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind a reverse proxy that ends TLS, the request reaches Django over http: name the header in
# which the proxy says "https" (e.g. X-Forwarded-Proto), or SSL_REDIRECT would loop. Only with
# such a proxy, which must overwrite the header a client sends.
_PROXY_HTTPS_HEADER = os.environ.get("CLUSTERDESK_PROXY_HTTPS_HEADER", "").strip()
if _PROXY_HTTPS_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_HTTPS_HEADER.upper().replace("-", "_"), "https")
# Origins (scheme://host[:port]) allowed to post forms besides the site's own host.
CSRF_TRUSTED_ORIGINS = env_list(os.environ, "CLUSTERDESK_CSRF_TRUSTED_ORIGINS", [])

# Signed out after this long without a request (web.middleware.IdleSessionMiddleware renews
# the session at most once per SESSION_REFRESH_SECONDS instead of writing it on every request).
SESSION_COOKIE_AGE = env_int(os.environ, "CLUSTERDESK_SESSION_IDLE_MINUTES", default=120) * 60
SESSION_REFRESH_SECONDS = 60

# Content-Security-Policy on every answer (django-csp; evidence previews set a stricter one of
# their own, which the middleware leaves alone). Scripts and styles only from our static files:
# no inline <script>, no on...= handlers, no style="" attributes (tests/test_production.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": HTTPS,
    },
}

# Static files are served by whitenoise (also with debug off), straight from the apps' static/
# folders (WHITENOISE_USE_FINDERS): no collectstatic step, and no manifest, whose absence would
# make every page fail with debug off (the test suite runs that way). The price is that file
# names carry no hash, so browsers re-check them after WHITENOISE_MAX_AGE (60 s).
#
# Uploaded evidence and generated files: local directories (MEDIA_ROOT, CLUSTERDESK_EXPORT_DIR)
# unless CLUSTERDESK_STORAGE_URL=s3://bucket/prefix?endpoint_url=… names S3-compatible object
# storage (conf.storages_from_env; README "文件存储"); a malformed one refuses to start.
STORAGES = storages_from_env(os.environ)
WHITENOISE_USE_FINDERS = True

# Logs go to stderr, one line per record with the request id; JSON lines with
# CLUSTERDESK_LOG_FORMAT=json (web.logs). A 500 is logged with its stack trace by django.request.
LOGGING = logging_from_env(os.environ)
CSRF_FAILURE_VIEW = "clusterdesk.web.errors.csrf_failure"
