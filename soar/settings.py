"""Settings for Playbook Studio, all taken from the environment (see .env.example).

Embedded default: SQLite file + in-memory channel layer + worker threads in the server.
Scale-out: DATABASE_URL (PostgreSQL), REDIS_URL and any number of `manage.py db_worker`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from soar.env import envbool, envint, envlist, envstr, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("SOAR_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "pytest" in sys.modules or envbool("SOAR_TESTING", False)

DEBUG = envbool("DEBUG", False)
SECRET_KEY = secret_key(VAR_DIR / "secret_key", debug=DEBUG)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # daphne must precede staticfiles so `runserver` is the ASGI server (its check enforces it).
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    # The engine precedes django_tasks_db so its `db_worker` (same options, the engine's
    # claim and finish path) is the one manage.py runs.
    "engine.config.EngineConfig",
    "django_tasks_db",
    "editor.apps.EditorConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "soar.middleware.SoarLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "soar.urls"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
            ],
        },
    },
]

WSGI_APPLICATION = "soar.wsgi.application"
ASGI_APPLICATION = "soar.asgi.application"


# --- Database -------------------------------------------------------------------------
def _database() -> dict[str, Any]:
    default_sqlite = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    url = envstr("DATABASE_URL", "") or default_sqlite
    try:
        db: dict[str, Any] = dict(dj_database_url.parse(url))
    except Exception as exc:  # dj-database-url raises several types for a bad URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    engine = db.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        db["ENGINE"] = "soar.sqlite3"  # Django's, with cheaper savepoints (see its docstring)
        # IMMEDIATE takes the write lock at BEGIN so concurrent writers queue instead of
        # failing half-way with "database is locked"; WAL lets readers run during a write.
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Connections are kept per thread: opening one (PRAGMAs, WAL) costs more than the
        # few queries a playbook step makes.
        db["CONN_MAX_AGE"] = None
        db["CONN_HEALTH_CHECKS"] = True
        # A file (not :memory:) so worker and server processes can share the test database;
        # named per test process so concurrent test runs never share one.
        db["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    elif engine == "django.db.backends.postgresql":
        if envbool("DB_POOL", True) and not TESTING:
            db["OPTIONS"] = {"pool": {"min_size": 1, "max_size": envint("DB_POOL_MAX", 8, minimum=1)}}
            db["CONN_MAX_AGE"] = 0
        db["TEST"] = {"NAME": f"test_{db.get('NAME') or 'soar'}"}
    else:
        raise ImproperlyConfigured(f"DATABASE_URL engine {engine!r} is not supported (use sqlite or postgres)")
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channels -------------------------------------------------------------------------
REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"REDIS_URL={REDIS_URL!r} must start with redis://, rediss:// or unix://")
    # A consumer waits for its next message with BZPOPMIN, which Redis answers after
    # RedisChannelLayer.brpop_timeout (5 s) when nothing came. redis-py 8 gives every read a
    # 5 s socket timeout by default, so that empty answer raced the client's timeout and an
    # idle websocket died with 1011 ("Timeout reading from ..."). The read timeout must
    # outlast the blocking wait; it still notices a Redis that stopped answering.
    # Options in REDIS_URL's query string (?socket_timeout=...) take precedence.
    REDIS_SOCKET_TIMEOUT_S = 15
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": REDIS_SOCKET_TIMEOUT_S,
                                  "socket_connect_timeout": 5}],
                       "capacity": 1000, "expiry": 30},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Tasks ----------------------------------------------------------------------------
TASK_QUEUES = ["default", "callbacks", "actions"]
SOAR_TASK_BACKEND = envstr("SOAR_TASK_BACKEND", "db").strip().lower() or "db"
if SOAR_TASK_BACKEND not in ("db", "rq"):
    raise ImproperlyConfigured(f"SOAR_TASK_BACKEND={SOAR_TASK_BACKEND!r} must be db (django-tasks-db) or rq (Redis)")


def _rq_url() -> str:
    """SOAR_RQ_URL, else REDIS_URL's server with database 1: the channel layer floods its
    database with short-lived keys, and a `FLUSHDB` of either must not touch the other."""
    url = envstr("SOAR_RQ_URL", "")
    if url:
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured(f"SOAR_RQ_URL={url!r} must start with redis://, rediss:// or unix://")
        return url
    if not REDIS_URL:
        raise ImproperlyConfigured("SOAR_TASK_BACKEND=rq needs a Redis server: set SOAR_RQ_URL or REDIS_URL")
    parts = urlsplit(REDIS_URL)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "db"]
    if parts.scheme == "unix":  # the socket's path is the URL's path; the database goes in the query
        return f"unix://{parts.netloc}{parts.path}?{urlencode([*query, ('db', '1')])}"
    return urlunsplit(parts._replace(path="/1", query=urlencode(query)))


if SOAR_TASK_BACKEND == "rq":
    SOAR_RQ_URL = _rq_url()
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
    # No rq time limit (-1): the engine enforces its own (a block over its limit kills its
    # runner; a dead worker's run is taken over when its lease expires). rq's default of
    # 180 s would kill "advance run R" half-way through a long connector call, and the sweep
    # would only hand the run to another worker to be killed again.
    RQ_QUEUES = {name: {"URL": SOAR_RQ_URL, "DEFAULT_TIMEOUT": -1} for name in TASK_QUEUES}
    # django-tasks-rq needs django_rq installed, not its admin dashboard: that adds ~25 admin
    # routes (unbounded <int:…> ids, token-authenticated stats views) the product does not offer.
    RQ_SHOW_ADMIN_LINK = False
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
# With rq the workers are `manage.py engine_rqworker` processes; the server runs none of
# its own unless SOAR_EMBEDDED_WORKER=1 asks for them.
SOAR_EMBEDDED_WORKER = envbool("SOAR_EMBEDDED_WORKER", SOAR_TASK_BACKEND == "db")
SOAR_WORKER_THREADS = envint("SOAR_WORKER_THREADS", 4, minimum=1, maximum=64)
# Long-lived threads that run requests' sync code (soar.request_threads), each keeping its
# database connection: a request that waits (a lock, a slow query) holds one of them.
SOAR_REQUEST_THREADS = envint("SOAR_REQUEST_THREADS", 8, minimum=1, maximum=256)
SOAR_BLOCK_TIMEOUT_S = envint("SOAR_BLOCK_TIMEOUT_S", 300, minimum=1)
# How long a worker holds a run (or a connector action) without renewing before another
# worker may take it over (engine.execution.lease): the time to notice a dead worker.
SOAR_LEASE_S = envint("SOAR_LEASE_S", 30, minimum=1)
SOAR_RUNNERS = envint("SOAR_RUNNERS", os.cpu_count() or 1, minimum=1, maximum=256)  # runner processes (engine.runner)
SOAR_RUNNER_MEMORY_MB = envint("SOAR_RUNNER_MEMORY_MB", 512, minimum=64)  # address-space limit of each runner

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing cost is irrelevant to what the tests check and dominates fixture set-up.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- REST -----------------------------------------------------------------------------
SOAR_MAX_BODY_BYTES = envint("SOAR_MAX_BODY_BYTES", 10 * 1024 * 1024, minimum=1024)
SOAR_MAX_APP_UPLOAD_BYTES = envint("SOAR_MAX_APP_UPLOAD_BYTES", 100 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = SOAR_MAX_BODY_BYTES
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "soar.rest.auth.PhAuthTokenAuthentication",
        "soar.rest.auth.BasicTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["soar.rest.permissions.RolePermission"],
    "DEFAULT_PARSER_CLASSES": ["soar.rest.parsers.StrictJSONParser"],
    # A body whose Content-Type is not JSON (the docs' `curl -d`) is read as JSON, as SOAR does.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "soar.rest.parsers.SoarContentNegotiation",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "soar.rest.errors.soar_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "soar.rest.schema.SoarAutoSchema",
    "UNAUTHENTICATED_USER": None,
    # `?format=` is ours (the export endpoint's json|py|tgz), not DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS: dict[str, Any] = {
    "TITLE": "Playbook Studio API",
    "DESCRIPTION": "SOAR-compatible REST API (/rest/) and editor API (/api/).",
    "VERSION": "0.1.0",
    # The <id:…> path converter (soar.ids): a stored id, at most soar.ids.DB_INT_MAX.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}},
}

# --- i18n / static --------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The browser tests collect into a folder of their own (tests/e2e/conftest.py).
STATIC_ROOT = Path(envstr("SOAR_STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Development and the test runner serve static files straight from the source folders;
# `make run` serves what `collectstatic` wrote, under the manifest. The browser tests set
# SOAR_STATIC_FROM_SOURCE=0 so they load the front end exactly as `make run` serves it.
STATIC_FROM_SOURCE = envbool("SOAR_STATIC_FROM_SOURCE", DEBUG or TESTING)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if STATIC_FROM_SOURCE
            else "soar.staticstorage.ViteManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = STATIC_FROM_SOURCE
# Files browsers and crawlers ask for at the site's root (/favicon.ico), served as they are.
WHITENOISE_ROOT = BASE_DIR / "soar" / "site_root"
# Cached forever by browsers: Vite's assets (named by content, and kept so by the storage
# above) and the names Django's manifest gave (`name.<12 hex>.ext`), as whitenoise's default.
WHITENOISE_IMMUTABLE_FILE_TEST = rf"^/{STATIC_URL}editor/assets/|\.[0-9a-f]{{12}}\.[A-Za-z0-9]+$"

SOAR_VAULT_DIR = VAR_DIR / "vault"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
SPECTACULAR_SETTINGS.update({
    # Swagger UI is served from our own static files: the product must work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["soar.rest.permissions.RolePermission"],
})
