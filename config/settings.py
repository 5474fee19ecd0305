"""The single, environment-driven settings module.

Zero configuration gives a development site on SQLite (``db.sqlite3`` beside manage.py).
``DATABASE_URL=postgres://user@host:port/name`` switches to PostgreSQL.
``NOK_ENV=production`` turns DEBUG off and refuses to boot with the default secret key.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Lets Django's generic classes (ModelAdmin[Model], ModelForm[Model], QuerySet[Model]) be
# subscripted at run time, as django-stubs types them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DEFAULT_SECRET_KEY = "nok-development-secret-key-not-for-production"


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Translate ``postgres://user:password@host:port/name`` into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "postgres",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("NOK_DB_CONN_MAX_AGE", 0),
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path) or BASE_DIR / "db.sqlite3"}
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (postgres:// or sqlite://)")


NOK_ENV = env_str("NOK_ENV", "development")
if NOK_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"NOK_ENV must be development, test or production, got {NOK_ENV!r}")
PRODUCTION = NOK_ENV == "production"

SECRET_KEY = env_str("NOK_SECRET_KEY", DEFAULT_SECRET_KEY)
if PRODUCTION and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured("NOK_ENV=production needs NOK_SECRET_KEY set to a private value")

DEBUG = env_bool("NOK_DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("NOK_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("NOK_CSRF_TRUSTED_ORIGINS", "")

# Salt for hashing survey clients (never store raw IP addresses).
SURVEY_SALT = env_str("NOK_SURVEY_SALT", SECRET_KEY)
# Reverse proxies whose X-Forwarded-For is trusted when hashing survey clients (comma list of
# IP addresses or networks, e.g. 127.0.0.1,10.0.0.0/8). Empty: REMOTE_ADDR is used as is.
NOK_TRUSTED_PROXIES = env_list("NOK_TRUSTED_PROXIES", "")
# The public address printed on posters and QR codes.
SITE_URL = env_str("NOK_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "nok.core",
    "nok.organizations",
    "nok.methodology",
    "nok.assessments",
    "nok.surveys",
    "nok.reports",
    "nok.plans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before the session is looked up: a NUL reaches neither a view nor the database.
    "nok.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "nok.core.context_processors.role",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("NOK_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Write transactions take the lock at BEGIN, so overlapping requests wait (up to
            # 20 s) instead of failing with "database is locked" halfway through.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "ru"
# The interface is Russian only: a browser asking for English still gets Russian texts and
# number formats (88,69, not 88.69).
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = env_str("NOK_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("NOK_MEDIA_ROOT", str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("NOK_LOG_LEVEL", "WARNING")},
}
