"""Django settings. Everything that differs between a laptop and production comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from membersuccess.config.database import database_from_env

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


DATA_DIR = Path(os.environ.get("MSM_DATA_DIR") or "./msm-data").resolve()
DEBUG = _env_bool("MSM_DEBUG", False)

SECRET_KEY = os.environ.get("MSM_SECRET_KEY", "")
if not SECRET_KEY:
    # A development key is only acceptable on a machine nobody else reaches; `msm init`
    # writes a random one into the data directory so a default install is not guessable.
    key_file = DATA_DIR / "secret_key"
    SECRET_KEY = key_file.read_text().strip() if key_file.exists() else "msm-insecure-dev-key"

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("MSM_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("MSM_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "membersuccess.accounts",
    "membersuccess.members",
    "membersuccess.journeys",
    "membersuccess.interactions",
    "membersuccess.plays",
    "membersuccess.ingest",
    "membersuccess.api",
    "membersuccess.scoring",
    "membersuccess.evidence",
    "membersuccess.potential",
    "membersuccess.renewals",
    "membersuccess.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "membersuccess.web.middleware.LoginRequiredMiddleware",
    "membersuccess.web.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "membersuccess.config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "membersuccess.web.context.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "membersuccess.config.wsgi.application"

DATABASES = {"default": database_from_env(os.environ.get("DATABASE_URL"), data_dir=DATA_DIR)}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("MSM_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Only a deployment that puts a web server in front of the app runs collectstatic into MSM_STATIC_ROOT.
STATIC_ROOT = os.environ.get("MSM_STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served by the app itself (WhiteNoise) straight from the packages, so a
# fresh install needs no collectstatic step and no CDN.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# A full REST batch (10,000 interactions) is a few MB of JSON.
DATA_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (daily scoring) are rows in the database, run by `msm worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Local time (TIME_ZONE) at which `msm worker` enqueues the day's scoring, HH:MM.
SCORE_AT = os.environ.get("MSM_SCORE_AT", "02:00")
# Days a worker that was down scores when it comes back, oldest first, before the latest due day (0: only that day).
SCORE_BACKFILL_DAYS = os.environ.get("MSM_SCORE_BACKFILL_DAYS", "7")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = os.environ.get("MSM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("MSM_FROM_EMAIL", "member-success@localhost")

def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


# HTTPS. A laptop install serves plain HTTP on 127.0.0.1; a production install sets MSM_HTTPS=true
# and gets redirects to HTTPS, secure cookies and HSTS (docs/deployment.md, docs/security.md).
HTTPS = _env_bool("MSM_HTTPS", False)
SECURE_SSL_REDIRECT = _env_bool("MSM_SSL_REDIRECT", HTTPS)
# Behind a TLS-terminating proxy: the header it sets, e.g. "X-Forwarded-Proto: https".
_proxy_header = os.environ.get("MSM_PROXY_SSL_HEADER", "").strip()
if _proxy_header:
    _name, _, _value = _proxy_header.partition(":")
    if not _value.strip():
        raise ImproperlyConfigured(
            f"MSM_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', not {_proxy_header!r}"
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _name.strip().upper().replace("-", "_"), _value.strip())
SECURE_HSTS_SECONDS = _env_int("MSM_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("MSM_HSTS_INCLUDE_SUBDOMAINS", True)
# Joining the browsers' preload list is the domain owner's decision, not the application's,
# so it is off unless asked for and Django's reminder about it (security.W021) is silenced.
SECURE_HSTS_PRELOAD = _env_bool("MSM_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("MSM_SECURE_COOKIES", HTTPS)
SESSION_COOKIE_SAMESITE = "Lax"
# A working day; closing the browser does not keep a shared computer signed in.
SESSION_COOKIE_AGE = _env_int("MSM_SESSION_SECONDS", 12 * 60 * 60)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Sign-in attempts: after this many failures for one username from one address within the
# window, that pair is refused until the window has passed (accounts/login_limits.py).
LOGIN_FAILURE_LIMIT = _env_int("MSM_LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = _env_int("MSM_LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60)
AUTHENTICATION_BACKENDS = ["membersuccess.accounts.login_limits.RateLimitedModelBackend"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MSM_LOG_LEVEL", "WARNING")},
}
