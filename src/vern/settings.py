"""Django settings, read from the environment.

VERN_ENV selects the mode: ``production`` (the default when nothing is said would be unsafe, so
production must be asked for explicitly and then requires a secret key), ``demo``, ``development``
or ``test``. Everything a deployment changes comes from environment variables; secrets never have
a default in production.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from vern.env import ConfigurationError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent

VERN_ENV = env_str("VERN_ENV", "development")
if VERN_ENV not in {"production", "demo", "development", "test"}:
    raise ConfigurationError(f"VERN_ENV must be production, demo, development or test, got {VERN_ENV!r}")
PRODUCTION = VERN_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env_str("VERN_SECRET_KEY")
else:
    # Only for local demo and tests: never used when VERN_ENV=production.
    SECRET_KEY = env_str("VERN_SECRET_KEY", "insecure-local-only-" + "x" * 50)

DEBUG = env_bool("VERN_DEBUG", default=VERN_ENV == "development")
ALLOWED_HOSTS = env_list("VERN_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "vern.core",
    "vern.cases",
    "vern.intake",
    "vern.investigations",
    "vern.decisions",
    "vern.measures",
    "vern.chronology",
    "vern.worklists",
    "vern.register",
    "vern.reports",
    "vern.referrals",
    "vern.synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "vern.core.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "vern.urls"
WSGI_APPLICATION = "vern.wsgi.application"

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
                "vern.core.context_processors.navigation",
            ],
            # Vern's filters (|day, |get_item) in every template without a {% load %}.
            "builtins": ["vern.core.templatetags.vern"],
        },
    },
]

_default_sqlite = REPO_DIR / "var" / "vern.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_default_sqlite}"),
        conn_max_age=env_int("VERN_DB_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database: WAL lets the worklists read while a report is being written.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    (_default_sqlite.parent).mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "worklists:mine"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions: short idle expiry for case data; a disabled user's sessions end (see core.middleware).
SESSION_COOKIE_AGE = env_int("VERN_SESSION_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lockout after repeated failed logins (per user).
VERN_LOCKOUT_FAILURES = env_int("VERN_LOCKOUT_FAILURES", default=5)
VERN_LOCKOUT_MINUTES = env_int("VERN_LOCKOUT_MINUTES", default=15)
# Digital reports of concern: receipts are written here for the KS Fiks IO client to send, and the
# public form allows this many reports an hour from one address.
VERN_RECEIPT_OUTBOX = env_str("VERN_RECEIPT_OUTBOX", default=str(REPO_DIR / "var" / "outbox" / "receipts"))
VERN_FORM_REPORTS_PER_HOUR = env_int("VERN_FORM_REPORTS_PER_HOUR", default=5)
# Deliveries to the national child welfare register (register.transport.OutboxFolder).
VERN_REGISTER_OUTBOX = env_str("VERN_REGISTER_OUTBOX", default=str(REPO_DIR / "var" / "outbox" / "register"))
# Where a delivery a leader makes on the unit's register page is written (one folder per delivery,
# as `vern export_register --out` writes it); the documents are also kept in the database.
VERN_REGISTER_DELIVERIES = env_str(
    "VERN_REGISTER_DELIVERIES", default=str(REPO_DIR / "var" / "register" / "deliveries")
)
# Processes that build (export) or read and map (import) register documents beside the one using the
# database.
VERN_REGISTER_WORKERS = env_int("VERN_REGISTER_WORKERS", default=os.cpu_count() or 1)
# Referral messages between this system and units in other systems (referrals.exchange): one inbox
# folder per organisation number under this folder, shared with the other systems.
VERN_EXCHANGE_FOLDER = env_str("VERN_EXCHANGE_FOLDER", default=str(REPO_DIR / "var" / "exchange"))

LANGUAGE_CODE = "nb"
# Bokmål whatever the browser asks for: an English Windows must not give a caseworker an English
# interface. The msgids are English only so that code and translations stay apart.
LANGUAGES = [("nb", "Norsk bokmål")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("VERN_STATIC_ROOT", str(REPO_DIR / "build" / "static")))
_node = REPO_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/designsystemet-css", _node / "@digdir" / "designsystemet-css" / "dist"),
    ("vendor/designsystemet-theme", _node / "@digdir" / "designsystemet-theme"),
    ("vendor/htmx", _node / "htmx.org" / "dist"),
    ("vendor/axe-core", _node / "axe-core"),
]
STATICFILES_DIRS = [(prefix, path) for prefix, path in STATICFILES_DIRS if path.exists()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("VERN_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("VERN_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env_list("VERN_CSRF_TRUSTED_ORIGINS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_str("VERN_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING"),
    },
}

FORM_RENDERER = "vern.core.forms_renderer.DesignsystemetRenderer"

# Every request is one transaction: a read of case data and its audit row commit together.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
