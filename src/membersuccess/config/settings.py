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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
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

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

EMAIL_BACKEND = os.environ.get("MSM_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("MSM_FROM_EMAIL", "member-success@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("MSM_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MSM_LOG_LEVEL", "WARNING")},
}
