"""Fangkong settings: one module, every knob read from the environment through strict parsers.

Demo mode is DEBUG on: a missing SECRET_KEY is generated once into var/. In production (DEBUG off)
SECRET_KEY is required and start-up fails without it.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

from fangkong.lib.env import ConfigError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FANGKONG_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ConfigError("SECRET_KEY must be set when DEBUG is off (production mode)")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # Listed so /api/v1/docs serves Swagger UI from our static files instead of a CDN (offline networks).
    "ninja",
    "huey.contrib.djhuey",
    "fangkong",
    "fangkong.regions",
    "fangkong.accounts",
    "fangkong.audit",
    "fangkong.people",
    "fangkong.screening",
    "fangkong.pushlists",
    "fangkong.duty",
    "fangkong.reporting",
    "fangkong.briefing",
    "fangkong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fangkong.audit.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fangkong.urls"
WSGI_APPLICATION = "fangkong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fangkong.accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL comes from DATABASE_URL in production and CI.
_default_sqlite = f"sqlite:///{VAR_DIR / 'fangkong.sqlite3'}"
_db: dict[str, Any] = dict(
    dj_database_url.parse(
        env_str("DATABASE_URL") or _default_sqlite, conn_max_age=600, conn_health_checks=True
    )
)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on busy_timeout instead of failing half-way with "database is locked".
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
            "PRAGMA foreign_keys=ON;"
        ),
    }
    _db["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME") or None}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Page queries are short; JIT compiled some of them for longer than they ran (0.37 s on /screening/).
    _db.setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: 5 failures per username+IP lock that pair for 15 minutes; lockouts are audited.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "fangkong.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "fangkong.audit.middleware.client_ip"
# Reverse proxies in front of gunicorn (0: clients connect directly). See audit.middleware.client_ip.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Internationalisation --------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# --- Security --------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Background jobs -------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
HUEY: dict[str, Any]
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "fangkong", "url": REDIS_URL, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "fangkong",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
    }

# Shared by every gunicorn worker (rate limits must count across processes): Redis when configured, else
# files under var/.
CACHES: dict[str, Any]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # The default of 300 entries is fewer than the QR codes of a district's villages: every store would
            # evict a third of them at random and the links page would draw them again on each view.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "matplotlib": {"level": "WARNING"},
        # The huey consumer installs its own handler; propagating too would print every line twice.
        "huey": {"level": "INFO", "propagate": False},
    },
}

# A duty check-in this many minutes after the shift starts is recorded as late.
DUTY_LATE_CHECKIN_MINUTES = env_int("DUTY_LATE_CHECKIN_MINUTES", 30, minimum=1)

# An urgent report (专题报送) not acknowledged within this many minutes escalates.
URGENT_ESCALATION_MINUTES = env_int("URGENT_ESCALATION_MINUTES", 15, minimum=1)

# The daily briefing is generated automatically at this Beijing time (HH:MM).
BRIEFING_TIME = env_str("BRIEFING_TIME", "17:00")

# Demo and sizes.
PEOPLE_PAGE_SIZE = env_int("PEOPLE_PAGE_SIZE", 50, minimum=1)
