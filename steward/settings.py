"""Steward settings: everything comes from STEWARD_* environment variables.

Defaults give a working embedded install on a laptop: SQLite (WAL) and a
file-based task queue in the data folder. A postgres:// database URL and a
Redis URL switch to the scaled setup.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import redis

BASE_DIR = Path(__file__).resolve().parent


def env(name, default=None):
    """Read STEWARD_<name>, or the contents of the file named by STEWARD_<name>_FILE."""
    key = f"STEWARD_{name}"
    file_path = os.environ.get(f"{key}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(key, default)


def envbool(name, default=False):
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    value = env(name)
    return int(value) if value not in (None, "") else default


def envlist(name, default=""):
    return [item.strip() for item in (env(name) or default).split(",") if item.strip()]


DATA_DIR = Path(env("DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key():
    """Use the configured key, else one generated once and kept in the data folder."""
    configured = env("SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "huey.contrib.djhuey",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "steward.core",
    "steward.accounts",
    "steward.clients",
    "steward.desk",
    "steward.work",
    "steward.projects",
    "steward.reports",
    "steward.mail",
    "steward.portal",
    "steward.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "steward.urls"
WSGI_APPLICATION = "steward.wsgi.application"

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
                "steward.work.context_processors.running_timer",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'steward.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
    # BEGIN so concurrent writers wait (busy_timeout) instead of failing mid-transaction.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # A stopped server must make requests (and /healthz) fail fast, not hang.
    _db.setdefault("OPTIONS", {}).setdefault("connect_timeout", envint("DB_CONNECT_TIMEOUT", 5))
    _db["CONN_HEALTH_CHECKS"] = True
_db["TEST"] = {"NAME": env("TEST_DATABASE_NAME")} if env("TEST_DATABASE_NAME") else {}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Task queue ---------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
# A stopped or hung Redis must fail requests and /healthz within seconds, not hang them.
# The read timeout stays above huey's 1 s blocking pop, which the worker waits on.
REDIS_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 3}
_huey_common = {
    "name": "steward",
    "immediate": envbool("TASKS_IMMEDIATE", False),
    # SQLite is polled: max_delay bounds how long a new task waits on an idle worker.
    "consumer": {"workers": envint("WORKER_THREADS", 2), "worker_type": "thread", "periodic": True, "max_delay": 1.0},
}
if REDIS_URL:
    HUEY = {
        **_huey_common,
        "huey_class": "huey.RedisHuey",
        "connection_pool": redis.ConnectionPool.from_url(REDIS_URL, **REDIS_TIMEOUTS),
    }
else:
    HUEY = {
        **_huey_common,
        "huey_class": "huey.SqliteHuey",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
    }

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_TIMEOUTS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_DIR", str(DATA_DIR / "files"))).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_MB", 25) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Desk ---------------------------------------------------------------------
# A phone system's call joins the caller's open ticket if it was touched this recently.
CALLS_REUSE_WINDOW_MINUTES = envint("CALLS_REUSE_WINDOW_MINUTES", 120)
# Short code of the client that collects calls and mail from unknown senders (created on first use).
CATCHALL_CLIENT = env("CATCHALL_CLIENT", "CATCHALL")

# --- Email --------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 15)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Steward <steward@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Inbound mail: the largest raw message any channel takes (a 50 MB attachment must still arrive, to be
# refused as an attachment with a note while the rest of the message is imported).
MAIL_MAX_MESSAGE_BYTES = envint("MAIL_MAX_MESSAGE_MB", 100) * 1024 * 1024
# A worker's claim on a message older than this is a dead worker's: another worker takes it again.
MAIL_CLAIM_TIMEOUT_SECONDS = envint("MAIL_CLAIM_TIMEOUT_SECONDS", 600)
# A worker processes up to this many stored messages in one transaction.
MAIL_BATCH_SIZE = envint("MAIL_BATCH_SIZE", 100)
# Attempts at a message (failed, or the worker stopped in it) before it is left to a human.
MAIL_MAX_ATTEMPTS = envint("MAIL_MAX_ATTEMPTS", 3)
# More messages than this from one sender within the window are stored but not processed (mail loops).
MAIL_RATE_LIMIT = envint("MAIL_RATE_LIMIT", 20)
MAIL_RATE_WINDOW_SECONDS = envint("MAIL_RATE_WINDOW_SECONDS", 600)

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG and SITE_URL.startswith("https://"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Served over https (the production setup): redirect plain http and ask browsers to stay on https.
_https = SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = envbool("SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 30 * 24 * 3600 if _https else 0)
# Steward usually lives on one host of the provider's domain: HSTS for every sibling host, or the
# browsers' preload list, is the domain owner's decision, so both are opt-in and not deploy warnings.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

AUTHENTICATION_BACKENDS = ["steward.accounts.backends.StewardBackend"]
