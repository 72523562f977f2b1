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

from fangkong.lib.env import ConfigError, env_bool, env_clock, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FANGKONG_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# Demo mode (`make demo`, fangkong/demo/settings.py): served exactly as production is — DEBUG off, the
# error pages, collected static files — but with a generated secret key, localhost hosts, plain-HTTP
# cookies and the demo district allowed. Production is neither DEBUG nor DEMO.
DEMO = env_bool("DEMO", False)
PRODUCTION = not DEBUG and not DEMO

# Django's own generated keys start so; a key a person typed is usually short or repetitive.
_WEAK_KEY_PREFIXES = ("django-insecure", "changeme", "change-me", "secret")


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if PRODUCTION and (len(key) < 50 or len(set(key)) < 10 or key.lower().startswith(_WEAK_KEY_PREFIXES)):
            raise ConfigError(
                "SECRET_KEY is too weak for production: use at least 50 random characters, e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`"
            )
        return key
    if PRODUCTION:
        raise ConfigError("SECRET_KEY must be set when DEBUG is off (production mode)")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"]
)
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
    "fangkong.supervision",
    "fangkong.venues",
    "fangkong.publicity",
    "fangkong.checkpoints",
    "fangkong.clinics",
    "fangkong.coldchain",
    "fangkong.demo",
    "fangkong.vaccination",
    "fangkong.supplies",
    "fangkong.control",
    "fangkong.testing",
    "fangkong.notify",
    "fangkong.interop",
    "fangkong.fieldwork",
    "fangkong.retention",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fangkong.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fangkong.sessions.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fangkong.audit.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "fangkong.accounts.middleware.PasswordChangeRequiredMiddleware",
    "fangkong.fieldwork.middleware.ClearSiteDataOnLogout",  # issue 17: a logout clears the phone's field cache
    "fangkong.dbrouter.ReplicaReadMiddleware",  # issue 16: lists and dashboards read the replica (docs/scaling.md)
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
    # A database that accepts connections but never answers must not freeze the site: connecting gives
    # up after DB_CONNECT_TIMEOUT seconds, and a web request's statement after DB_STATEMENT_TIMEOUT
    # (the job consumers import a million rows in one statement per chunk: no statement timeout there).
    # Page queries are short; JIT compiled some of them for longer than they ran (0.37 s on /screening/).
    _pg_options = ["-c jit=off"]
    _db.setdefault("OPTIONS", {})["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 5, minimum=1)
    if env_str("FANGKONG_PROCESS") == "web":
        _statement_ms = env_int("DB_STATEMENT_TIMEOUT", 30, minimum=0) * 1000
        _pg_options.append(f"-c statement_timeout={_statement_ms}")
    _db["OPTIONS"]["options"] = " ".join(_pg_options)
DATABASES = {"default": _db}

# --- Read replica (issue 16, docs/scaling.md) --------------------------------------------------------
# DATABASE_REPLICA_URL names a PostgreSQL streaming replica of the primary: GET/HEAD requests of the views in
# REPLICA_READ_VIEWS (a view name, or "namespace:*") read from it through fangkong.dbrouter, unless the user
# wrote in the last REPLICA_STICKY_SECONDS. Writes, jobs and every other view use the primary. Unset: one
# database, as before.
_replica_url = env_str("DATABASE_REPLICA_URL")
if _replica_url:
    _replica: dict[str, Any] = dict(
        dj_database_url.parse(_replica_url, conn_max_age=600, conn_health_checks=True)
    )
    if _replica["ENGINE"] != "django.db.backends.postgresql" or _db["ENGINE"] != _replica["ENGINE"]:
        raise ConfigError("DATABASE_REPLICA_URL needs PostgreSQL for both DATABASE_URL and the replica")
    _replica["OPTIONS"] = dict(_db["OPTIONS"])
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["fangkong.dbrouter.PrimaryReplicaRouter"]
REPLICA_READ_VIEWS = env_list(
    "REPLICA_READ_VIEWS",
    [
        "dashboard",
        "today_section",
        "people:list",
        "screening:returnees",
        "control:orders",
        "control:follow_ups",
        "checkpoints:list",
        "reporting:completeness",
        "vaccination:coverage",
    ],
)
REPLICA_STICKY_SECONDS = env_int("REPLICA_STICKY_SECONDS", 30, minimum=1)
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
# Password spraying (one password tried across many usernames) is not caught per username: failed logins
# from one address, whatever the username, are limited too (accounts.throttle).
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
LOGIN_ADDRESS_WINDOW_MINUTES = env_int("LOGIN_ADDRESS_WINDOW_MINUTES", 15, minimum=1)
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)  # an API token expires this long after it is made

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
# Production and demo serve collected, compressed files with hashed names (cached for a year by
# whitenoise); DEBUG serves them from the apps' folders as they change.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if DEBUG
        else "fangkong.staticfiles.ProductionStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

# --- Security --------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A session ends after this many hours without a request (a shared office computer is left logged in);
# fangkong.sessions pushes the expiry forward at most every 15 minutes, so reading a page writes nothing.
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 10, minimum=1) * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
# /healthz answers over plain HTTP for the load balancer's probe on the private side.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if TRUSTED_PROXY_COUNT:
    # The TLS proxy says whether the client came over HTTPS (docs/operations.md sets the header).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The Content-Security-Policy (fangkong/csp.py): every script and style is a vendored or own file.
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
# The API docs (Swagger UI) are for developers: behind login in production.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", not PRODUCTION)

# --- Background jobs -------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
HUEY: dict[str, Any]
# Redis that hangs must not hang a page or a consumer: give up on a connection or a reply after 5 s.
_REDIS_TIMEOUTS = {"socket_connect_timeout": 5, "socket_timeout": 5, "retry_on_timeout": False}
if REDIS_URL:
    from redis import ConnectionPool

    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "fangkong",
        "connection_pool": ConnectionPool.from_url(REDIS_URL, **_REDIS_TIMEOUTS),
        "immediate": env_bool("HUEY_IMMEDIATE", False),
    }
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
    CACHES = {
        "default": {
            "BACKEND": "fangkong.cache.ResilientRedisCache",  # degrades when Redis is down
            "LOCATION": REDIS_URL,
            "OPTIONS": _REDIS_TIMEOUTS,
        }
    }
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

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"broker_backoff": {"()": "fangkong.joblog.BrokerBackoffFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "matplotlib": {"level": "WARNING"},
        # The huey consumer installs its own handler; propagating too would print every line twice.
        "huey": {"level": "INFO", "propagate": False},
        # A traceback a second while Redis is down becomes one line per retry (fangkong/joblog.py).
        "huey.consumer.Scheduler": {"filters": ["broker_backoff"]},
        "huey.consumer.Worker": {"filters": ["broker_backoff"]},
    },
}

# A duty check-in this many minutes after the shift starts is recorded as late.
DUTY_LATE_CHECKIN_MINUTES = env_int("DUTY_LATE_CHECKIN_MINUTES", 30, minimum=1)

# An urgent report (专题报送) not acknowledged within this many minutes escalates.
URGENT_ESCALATION_MINUTES = env_int("URGENT_ESCALATION_MINUTES", 15, minimum=1)

# The daily briefing is generated automatically at this Beijing time (HH:MM).
BRIEFING_TIME = env_clock("BRIEFING_TIME", "17:00")

# --- Data lifecycle (个人信息保护法; fangkong/retention, docs/retention.md) ---------------------------------
# Days each kind of personal record is kept, counted from the record's own date (a crossing's time, a report's
# registration, a push list's import, a follow-up's day); then its personal fields are blanked (the record and every
# count stay) or, for rows that are nothing but personal data, the row is deleted. When the command office closes an
# outbreak, every record up to its end is due AFTER_OUTBREAK_DAYS after that end, whichever comes first. Each app
# registers its kinds (`retention.registry`); a kind without a period here, or a period without a kind, fails start-up.
RETENTION: dict[str, Any] = {
    "DAYS": {
        "checkpoints.crossings": env_int("RETENTION_CROSSINGS_DAYS", 28, minimum=1),
        "screening.returnee_reports": env_int("RETENTION_RETURNEE_REPORTS_DAYS", 180, minimum=1),
        "pushlists.items": env_int("RETENTION_PUSH_ITEMS_DAYS", 90, minimum=1),
        "pushlists.error_rows": env_int("RETENTION_PUSH_ERROR_ROWS_DAYS", 30, minimum=1),
        "control.follow_ups": env_int("RETENTION_FOLLOW_UPS_DAYS", 180, minimum=1),
        "control.orders": env_int("RETENTION_ORDERS_DAYS", 180, minimum=1),
        "testing.samples": env_int("RETENTION_SAMPLES_DAYS", 90, minimum=1),
    },
    "AFTER_OUTBREAK_DAYS": env_int("RETENTION_AFTER_OUTBREAK_DAYS", 30, minimum=0),
    # Rows per short transaction (SQLite serialises writers).
    "CHUNK": env_int("RETENTION_CHUNK", 2000, minimum=1),
}

# --- Operations (uploads, retention, serving) --------------------------------------------------------
# Uploaded workbooks are read in a child process limited to this much memory and CPU time (lib.spreadsheets).
SPREADSHEET_MEMORY_MB = env_int("SPREADSHEET_MEMORY_MB", 2048, minimum=256)
SPREADSHEET_CPU_SECONDS = env_int("SPREADSHEET_CPU_SECONDS", 900, minimum=10)
# Uploaded push lists hold full ID numbers: the stored file is deleted this many days after the import
# (a re-run needs a failed import's file until then).
PUSHLIST_KEEP_IMPORTED_DAYS = env_int("PUSHLIST_KEEP_IMPORTED_DAYS", 1, minimum=0)
PUSHLIST_KEEP_FAILED_DAYS = env_int("PUSHLIST_KEEP_FAILED_DAYS", 7, minimum=0)
# /healthz reports the job consumer stale when its last heartbeat (every minute) is older than this.
CONSUMER_HEARTBEAT_STALE_SECONDS = env_int("CONSUMER_HEARTBEAT_STALE_SECONDS", 180, minimum=60)
CSRF_FAILURE_VIEW = "fangkong.errors.csrf_failure"

# Demo and sizes.
PEOPLE_PAGE_SIZE = env_int("PEOPLE_PAGE_SIZE", 50, minimum=1)

# SMS (notify): the backend (console, file, locmem, aliyun, tencent or a dotted path), the gateways' keys and
# endpoints (overridable: a fake gateway in the tests), the receipt callback's shared secret, the daily cap.
SMS_BACKEND = env_str("SMS_BACKEND", "file")
SMS_FILE_PATH = VAR_DIR / "sms" / "outbox.jsonl"
SMS_RECEIPT_SECRET = env_str("SMS_RECEIPT_SECRET", "")
SMS_DAILY_CAP_PER_NUMBER = env_int("SMS_DAILY_CAP_PER_NUMBER", 10, minimum=1)
SMS_ALIYUN_ACCESS_KEY_ID = env_str("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = env_str("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_ENDPOINT = env_str("SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com")
SMS_ALIYUN_PROTOCOL = env_str("SMS_ALIYUN_PROTOCOL", "https")
SMS_TENCENT_SECRET_ID = env_str("SMS_TENCENT_SECRET_ID", "")
SMS_TENCENT_SECRET_KEY = env_str("SMS_TENCENT_SECRET_KEY", "")
SMS_TENCENT_APP_ID = env_str("SMS_TENCENT_APP_ID", "")
SMS_TENCENT_REGION = env_str("SMS_TENCENT_REGION", "ap-guangzhou")
SMS_TENCENT_ENDPOINT = env_str("SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com")
SMS_TENCENT_PROTOCOL = env_str("SMS_TENCENT_PROTOCOL", "https")
