"""Django settings for clusterdesk.

Every setting has a default that runs the embedded mode (SQLite and local files under ``var/``);
production overrides them through environment variables (see README, "Configuration").
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from clusterdesk.conf import database_from_env, env_bool, env_int, env_list

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
    "axes",
    "clusterdesk.accounts",
    "clusterdesk.declarations",
    "clusterdesk.demo",
    "clusterdesk.evidence",
    "clusterdesk.portal",
    "clusterdesk.rounds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out username+IP before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login rate limit (the admin login included): after AXES_FAILURE_LIMIT failures from one
# username at one IP address, that pair is locked for the cool-off time.
AXES_FAILURE_LIMIT = env_int(os.environ, "CLUSTERDESK_LOGIN_FAILURE_LIMIT", default=5)
LOGIN_COOLOFF_MINUTES = env_int(os.environ, "CLUSTERDESK_LOGIN_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "clusterdesk.accounts.views.lockout"

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
# The evidence widget sends one file per request; a form without JavaScript at most this many.
# Uploaded files above 2.5 MB (FILE_UPLOAD_MAX_MEMORY_SIZE) go to a temporary file, not memory,
# and an evidence file over the limit is dropped while it streams in (evidence.handlers).
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Largest Word file accepted by the Attachment 2 import (从Word导入), in MB.
CLUSTERDESK_IMPORT_MAX_MB = env_int(os.environ, "CLUSTERDESK_IMPORT_MAX_MB", default=20)
