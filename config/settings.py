"""The single, environment-driven settings module.

Zero configuration gives a development site on SQLite (``db.sqlite3`` beside manage.py).
``DATABASE_URL=postgres://user@host:port/name`` switches to PostgreSQL.
``NOK_ENV=production`` turns DEBUG off (``NOK_DEBUG`` cannot turn it back on), refuses to boot
with the default secret key, and sends every cookie Secure, HSTS, the HTTPS redirect and the
Content-Security-Policy.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

import django_stubs_ext
from csp.constants import NONCE, NONE, SELF
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
            # A kept connection (the server keeps them, deploy/gunicorn.conf.py) is checked
            # before a request's first query: after a PostgreSQL restart it is replaced at
            # once instead of failing that request.
            "CONN_HEALTH_CHECKS": True,
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

# Production never runs with DEBUG (it would show settings and code to anyone on an error
# page): NOK_DEBUG is read only outside production.
DEBUG = False if PRODUCTION else env_bool("NOK_DEBUG", True)
ALLOWED_HOSTS = env_list("NOK_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")

# Salt for hashing survey clients (never store raw IP addresses).
SURVEY_SALT = env_str("NOK_SURVEY_SALT", SECRET_KEY)
# Reverse proxies whose X-Forwarded-For is trusted when hashing survey clients (comma list of
# IP addresses or networks, e.g. 127.0.0.1,10.0.0.0/8). Empty: REMOTE_ADDR is used as is.
NOK_TRUSTED_PROXIES = env_list("NOK_TRUSTED_PROXIES", "")
# The public address printed on posters and QR codes.
SITE_URL = env_str("NOK_SITE_URL", "http://127.0.0.1:8000")


def site_origin(url: str) -> str:
    """``https://nok.example.ru/some/path`` -> ``https://nok.example.ru`` (scheme, host, port)."""
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ImproperlyConfigured(f"NOK_SITE_URL must be an http(s) address, got {url!r}")
    return f"{parsed.scheme}://{parsed.netloc}"


# A form posted through an HTTPS proxy carries Origin: https://<site>; Django compares it with
# the scheme it believes the request has, so the site's own origin is always trusted, and more
# origins can be added (NOK_CSRF_TRUSTED_ORIGINS, comma list).
CSRF_TRUSTED_ORIGINS = [site_origin(SITE_URL), *env_list("NOK_CSRF_TRUSTED_ORIGINS", "")]
# Behind a reverse proxy that terminates HTTPS (any NOK_TRUSTED_PROXIES set), its
# X-Forwarded-Proto says whether the visitor used HTTPS. The proxy must overwrite the header
# (nginx: proxy_set_header X-Forwarded-Proto $scheme), never pass the visitor's own through.
if NOK_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "nok.core",
    "nok.organizations",
    "nok.methodology",
    "nok.assessments",
    "nok.surveys",
    "nok.fieldwork",
    "nok.scores",
    "nok.plans",
    "nok.reports",
    "nok.dashboard",
    "nok.demo",
    "nok.siteaudit",
]

MIDDLEWARE = [
    # Refuses an oversized body from its Content-Length before anything reads it.
    "nok.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Secure on every cookie in production, whoever sets it.
    "nok.core.middleware.SecureCookiesMiddleware",
    # The database unreachable: a Russian «try again in a minute» page (503), not a 500.
    "nok.core.middleware.DatabaseOutageMiddleware",
    # Before the session is looked up: a NUL reaches neither a view nor the database.
    "nok.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns axes' refusal of a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
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
                "nok.organizations.context_processors.role",
                "csp.context_processors.nonce",
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

AUTHENTICATION_BACKENDS = [
    # First: counts failed logins (staff login and /admin/ alike) and refuses locked-out ones.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Brute force: after AXES_FAILURE_LIMIT wrong passwords for one user name from one address
# that pair is locked out for NOK_LOGIN_LOCKOUT_MINUTES (a correct password included), with a
# Russian page (429) and an entry in the audit journal. The address is found as for survey
# respondents (X-Forwarded-For only from NOK_TRUSTED_PROXIES).
AXES_FAILURE_LIMIT = env_int("NOK_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("NOK_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "nok.surveys.clients.request_client_address"
AXES_LOCKOUT_CALLABLE = "nok.core.views.login_locked_out"
AXES_USERNAME_CALLABLE = "nok.core.login.attempted_username"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "ru"
# The interface is Russian only: a browser asking for English still gets Russian texts and
# number formats (88,69, not 88.69).
LANGUAGES = [("ru", "Русский")]
# The Russian catalogue holds the plural forms (1 анкета, 2 анкеты, 5 анкет) of texts with a
# number: the texts themselves are written in Russian (``ngettext``/``blocktranslate count``).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("NOK_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("NOK_MEDIA_ROOT", str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The rating and the regional report of a campaign with more organizations than this are built
# in the background (a document job) instead of in the request: at 5,000 organizations one
# takes tens of seconds and a few hundred MB (bench/bench_documents.py).
NOK_DOCUMENTS_DIRECT_LIMIT = env_int("NOK_DOCUMENTS_DIRECT_LIMIT", 300)

# Website audit («Проверить сайт»): addresses of private, loopback and link-local networks are
# refused unless allowed (tests serve their sites on 127.0.0.1); pause between requests, seconds;
# pages read per site.
NOK_SITE_AUDIT_ALLOW_PRIVATE = env_bool("NOK_SITE_AUDIT_ALLOW_PRIVATE", False)
NOK_SITE_AUDIT_DELAY = env_int("NOK_SITE_AUDIT_DELAY_MS", 1000) / 1000
NOK_SITE_AUDIT_MAX_PAGES = env_int("NOK_SITE_AUDIT_MAX_PAGES", 60)
# Extra root certificates (PEM) the audited sites may need, e.g. the Russian Trusted Root CA.
NOK_SITE_AUDIT_CA_FILE = env_str("NOK_SITE_AUDIT_CA_FILE", "")
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# The largest request body accepted at all (imports are up to 10 MB; evidence photos and
# documents up to this): a longer Content-Length is refused with 413 before the body is read.
# The reverse proxy should refuse them even earlier (nginx: client_max_body_size 25m).
NOK_MAX_REQUEST_BYTES = env_int("NOK_MAX_REQUEST_MB", 25) * 1024 * 1024
# A form without files (the survey, every staff form) needs far less: Django refuses more.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail (the deadline reminders of improvement plans, manage.py plan_reminders): printed to the
# console by default, nothing is sent. To send: NOK_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
# and the server's NOK_EMAIL_HOST, NOK_EMAIL_PORT, NOK_EMAIL_USER, NOK_EMAIL_PASSWORD, NOK_EMAIL_USE_TLS.
EMAIL_BACKEND = env_str("NOK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("NOK_EMAIL_FROM", "nok@localhost")
EMAIL_HOST = env_str("NOK_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("NOK_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("NOK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("NOK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("NOK_EMAIL_USE_TLS", False)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# Every other cookie (survey drafts, display preferences) is made Secure in production by
# nok.core.middleware.SecureCookiesMiddleware.
NOK_SECURE_COOKIES = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("NOK_SSL_REDIRECT", True)
    # /healthz is probed over plain HTTP by the proxy or the service manager on the host.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("NOK_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("NOK_HSTS_INCLUDE_SUBDOMAINS", True)
    # Only allows submitting the site to the browsers' preload list; nothing is submitted.
    SECURE_HSTS_PRELOAD = env_bool("NOK_HSTS_PRELOAD", True)

# Content-Security-Policy: only our own scripts, styles, images and fonts; no inline script
# or style (templates use static files; a <script> that must be inline takes
# nonce="{{ request.csp_nonce }}"). Sent in every environment so development shows a
# violation as early as production would.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Background work (django-tasks with its database backend: the queue is a table, so it works
# on SQLite and PostgreSQL with nothing else to run). `manage.py worker` runs the tasks; tests
# keep the same backend and run the queue with the `run_tasks` fixture.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    },
}
# The worker writes a heartbeat this often; /healthz calls it alive while the last one is
# younger than NOK_WORKER_STALE_SECONDS.
NOK_WORKER_HEARTBEAT_SECONDS = env_int("NOK_WORKER_HEARTBEAT_SECONDS", 10)
NOK_WORKER_STALE_SECONDS = env_int("NOK_WORKER_STALE_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # An exception's message may quote what a respondent typed: only its type is written.
    "filters": {"hide_exception_messages": {"()": "nok.core.logging.HideExceptionMessages"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "filters": ["hide_exception_messages"]}},
    "root": {"handlers": ["console"], "level": env_str("NOK_LOG_LEVEL", "WARNING")},
}
