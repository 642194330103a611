"""Settings for Alongside, read from the environment only.

Every variable is listed in the README. Defaults are safe for one person trying the platform on
their own machine: SQLite in `var/`, mail written to files in `var/mail/`, secrets generated into
`var/` on first run. Production sets `HTTPS=1`, `SECRET_KEY`, `ALLOWED_HOSTS` and usually
`DATABASE_URL`; then `manage.py check --deploy --fail-level WARNING` passes.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_from_var(filename: str) -> str:
    """Read a generated secret from var/, creating it (mode 0600) on first run."""
    path = VAR_DIR / filename
    if not path.exists():
        # O_EXCL: two processes starting at once (web and worker) must not write two keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


TESTING = "pytest" in sys.modules or env_bool("TESTING")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or _secret_from_var("secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
HTTPS = env_bool("HTTPS", False)
# The address people reach the site at; used to build links in emails sent by the worker.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The admin site requires staff, allauth's sign-in and a second factor used in the session.
    "alongside.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "alongside.lib",
    "alongside.accounts",
    "alongside.movement",
    "alongside.public",
    "alongside.volunteers",
    "alongside.field",
    "alongside.decisions",
    "alongside.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "alongside.lib.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: the zone a person chose on their account page comes first.
    "alongside.lib.timezones.TimeZoneMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: it tells a person signed out for being idle why that happened.
    "alongside.accounts.middleware.PrivilegedSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "alongside.urls"
WSGI_APPLICATION = "alongside.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "alongside" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite in var/ for one group; PostgreSQL through DATABASE_URL at scale.
_default_sqlite = f"sqlite:///{VAR_DIR / 'alongside.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a writer takes the lock when its transaction starts, so two requests racing
        # for the last place serialise instead of failing half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA secure_delete=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    # Tests use a file, not memory: capacity and audit-chain tests race real connections, and
    # an in-memory database cannot make them wait for each other (pytest-xdist adds a suffix
    # per worker; the pid keeps two runs in one checkout apart).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): email is the login; verification is mandatory.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
# Never say whether an account exists: reset and sign-up answer the same either way.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Alongside] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_ADAPTER = "alongside.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "alongside.accounts.forms.SignupForm"}
# Tell people when their password or second factor changes (first name and a link only).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "10/m/ip,3/5m/key",
}
MFA_ADAPTER = "alongside.accounts.adapter.MFAAdapter"
MFA_FORMS = {
    "authenticate": "alongside.accounts.forms.AuthenticateForm",
    "reauthenticate": "alongside.accounts.forms.ReauthenticateForm",
    "activate_totp": "alongside.accounts.forms.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Alongside"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or TESTING
USERSESSIONS_TRACK_ACTIVITY = True

# Sessions: two weeks for everyone, 30 minutes idle for people who can see others' data
# (PrivilegedSessionMiddleware shortens theirs).
SESSION_COOKIE_AGE = 14 * 24 * 3600
PRIVILEGED_SESSION_IDLE_SECONDS = 30 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "alongside.public.views.csrf_failure"

# Security headers (SecurityMiddleware, CSP middleware, our SecurityHeadersMiddleware).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front append to X-Forwarded-For: sign-in throttling and the contact
# form's rate limit must count visitors, not the proxy's own address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT", "1" if env_bool("BEHIND_PROXY") else "0")
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Request limits: an oversized body is refused with 400, never read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
FILE_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024

# Internationalisation: URLs carry the language (/en/, /ar/).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "alongside" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# The clock field work is scheduled on (invitations, reminders, "today" on the live board).
FIELD_TIME_ZONE = os.environ.get("FIELD_TIME_ZONE", "Asia/Hebron")
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "alongside" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Cache: shared by every app server (rate limits live here). The database by default, so that
# one group needs no extra server; Redis when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "alongside_cache",
        }
    }

# Background work: Django's Tasks API with the database backend; the worker is
# `manage.py db_worker`. Tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# Periodic work, enqueued by `manage.py run_scheduler` once per period: name → (task, seconds).
PERIODIC_TASKS: dict[str, tuple[str, int]] = {
    "volunteers.purge": ("alongside.volunteers.tasks.purge_expired_applications_daily", 24 * 3600),
    # Hourly, so that a worker that was down catches up the same day; each reminder is sent once.
    "volunteers.training_reminders": (
        "alongside.volunteers.tasks.remind_training_registrants",
        3600,
    ),
    "volunteers.overdue_reminders": (
        "alongside.volunteers.tasks.remind_owners_of_overdue_steps",
        3600,
    ),
    # Field work: recurring invitations are laid out as shifts some weeks ahead, daily.
    "field.extend_shifts": ("alongside.field.tasks.invitations.extend_recurring_shifts", 24 * 3600),
    # Waiting-list offers expire to the minute; reminders go out the evening and the hour before.
    "field.offers": ("alongside.field.tasks.signups.pass_on_expired_offers", 60),
    "field.reminders": ("alongside.field.tasks.signups.send_shift_reminders", 300),
    # Safety: a missed check-in is raised, and an unacknowledged alert goes further, each minute.
    "field.checkins": ("alongside.field.tasks.checkins.escalate_checkins", 60),
    # Decisions: stages move on and tests close to the minute.
    "decisions.advance": ("alongside.decisions.tasks.advance_proposals", 60),
}

# Email: files in var/mail by default, SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Alongside <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# Encryption keys for identifying fields (alongside.lib.crypto): ENCRYPTION_KEYS in the
# environment, else var/encryption_keys.json generated on first run.
ENCRYPTION_KEYS_FILE = VAR_DIR / "encryption_keys.json"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry paths only; paths never carry personal data (DESIGN invariant 2).
        "django.request": {"level": "WARNING"},
    },
}
