"""Settings shared by every profile, read from the environment with django-environ.

Environment variables (see README "Configuration"):
DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, CREDIT_JURISDICTION, TIME_ZONE.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CREDIT_JURISDICTION=(str, "HN"),
    TIME_ZONE=(str, "Asia/Shanghai"),
    CELERY_BROKER_URL=(str, ""),
)

DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")

# The rule profile of RULES.md (HN, HL, HB or XJ); its values live in JurisdictionProfile rows.
CREDIT_JURISDICTION = env("CREDIT_JURISDICTION").upper()
if CREDIT_JURISDICTION not in {"HN", "HL", "HB", "XJ"}:
    raise environ.ImproperlyConfigured("CREDIT_JURISDICTION must be one of HN, HL, HB, XJ.")

#: This project's own apps, lowest first (each may import only those above it: tests/test_architecture.py). The
#: tests that walk every model, admin page or action code read this list.
PROJECT_APPS = [
    "creditportal",
    "catalog",
    "subjects",
    "designations",
    "objections",
    "restoration",
    # The subject's own portal (issue 22): above every case app.
    "portal",
    # Data exchange (issue 23): the change feed, batch imports and the JSON API, in that order, above the portal.
    "feed",
    "exchange",
    "api",
]

INSTALLED_APPS = [
    "creditportal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_prometheus",
    "django_filters",
    "django_bootstrap5",
    "guardian",
    "simple_history",
    "axes",
    # The second factor (issue 21): time-based codes from an app, and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Security keys and passkeys (WebAuthn) as the second factor too (creditportal.webauthn).
    "django_otp_webauthn",
    # The JSON API (issue 23, api/): Django REST framework, its OpenAPI 3 schema, and Swagger UI's files served here.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    *PROJECT_APPS,
    # Demo data only (manage.py seed_demo): depends on every app above, none depends on it.
    "demo",
]

MIDDLEWARE = [
    # Prometheus (django-prometheus): request latency and counts, measured around everything else.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # First: every request has an id (the proxy's X-Request-ID or a new one) on each log line and in its tasks.
    "creditportal.middleware.RequestIdMiddleware",
    # Issue 23: the jurisdiction profile read once per request, however many articles the page cites.
    "creditportal.middleware.ProfileMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Issue 21: a Content Security Policy (django-csp; CONTENT_SECURITY_POLICY below) on every response.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chinese first: zh-hans unless the user chose English with the language switch (never Accept-Language).
    "creditportal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Issue 21: a session idle for PORTAL_IDLE_MINUTES ends (SESSION_COOKIE_AGE ends any sign-in).
    "creditportal.middleware.IdleSessionMiddleware",
    # Issue 21: supervisors, heads and administrators sign in with a second factor before anything else.
    "creditportal.middleware.SecondFactorRequiredMiddleware",
    # Issue 21: a password the security administrator set is changed by its user before anything else.
    "creditportal.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Prometheus' inner half (it reads the view's name for the latency by view), before django-axes.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "creditportal.urls"

# Forms cite the deployment's articles in labels, help texts and errors, never rule ids (creditportal.renderers).
BOOTSTRAP5 = {
    "form_renderers": {"default": "creditportal.renderers.CitingFormRenderer"},
    "field_renderers": {"default": "creditportal.renderers.CitingFieldRenderer"},
}
WSGI_APPLICATION = "creditportal.wsgi.application"
ASGI_APPLICATION = "creditportal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "creditportal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'creditportal.sqlite3'}"),
}
# Every request runs in one transaction, so a change and its simple-history row commit together
# (simple-history writes on post_save, outside the model's own save()).
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Connections are kept between requests, and checked before each request reuses one: a connection the database
# dropped (a restart, pg_terminate_backend, a proxy's idle timeout) is replaced instead of failing the request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica (issue 12, docs/deployment.md): exports, reports and the public pages may read from it
# (creditportal.db_router); everything else, and every write, uses the primary.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
DATABASE_ROUTERS = ["creditportal.db_router.PrimaryReplicaRouter"]
# Behind PgBouncer in transaction pooling mode: no server-side cursors (a cursor would outlive the transaction
# on the server connection PgBouncer lent) and no prepared statements (psycopg prepares a query run 5 times).
if env.bool("DATABASE_PGBOUNCER", default=False):
    for _alias in DATABASES.values():
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
        _alias.setdefault("OPTIONS", {})["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "creditportal.User"
AUTHENTICATION_BACKENDS = [
    # Lockout after repeated failures (django-axes) must come first.
    "axes.backends.AxesStandaloneBackend",
    # Model permissions come from the user's roles (creditportal.roles), per department.
    "creditportal.permissions.RoleBackend",
    # Object permissions: the exceptions, cases shared outside their department.
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # issue 21: how hard it is to guess (zxcvbn), not only how long
    {"NAME": "creditportal.passwords.GuessabilityValidator"},
]
PORTAL_PASSWORD_MIN_SCORE = env.int("PORTAL_PASSWORD_MIN_SCORE", default=3)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account and IP pair after 5 failures for one hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Issue 21: the lockout is keyed on the client's address, read behind the proxies listed here (deploy/nginx.conf's
# addresses, as the app servers see them) from X-Forwarded-For: creditportal.middleware.client_address.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "creditportal.middleware.client_address"

# Issue 21 (GB/T 22239-2019 8.1.4.1 d): the department roles that sign in with a second factor, besides every
# administrator (creditportal.second_factor). The issuer is the name an authenticator app shows.
PORTAL_SECOND_FACTOR_ROLES = env.list("PORTAL_SECOND_FACTOR_ROLES", default=["supervisor", "head"])
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="creditportal")

# django-guardian: object permissions only for the exceptions (a case shared outside its department).
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# The product's language is Chinese whatever the browser asks for; English is a choice in the top bar, kept in
# the language cookie for a year (creditportal.middleware). Unit tests switch to English (conftest.py).
LANGUAGE_CODE = "zh-hans"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development and tests WhiteNoise serves straight from the finders; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Issued documents and uploads: the local filesystem (MEDIA_ROOT) by default; STORAGE_BACKEND=s3 puts them in an
# S3-compatible object store through django-storages (AWS S3, MinIO, Ceph, a cloud's OSS; install boto3), so that
# every app server and worker sees the same files. Credentials come from boto3's own environment variables
# (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or the machine's role. docs/deployment.md.
STORAGE_BACKEND = env("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND == "s3":
    _media_storage: dict = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "location": env("AWS_S3_LOCATION", default="media"),
            "default_acl": None,  # private objects: documents are served only through the scoped views
            "querystring_auth": True,
            "file_overwrite": False,  # an issued document is never replaced
        },
    }
elif STORAGE_BACKEND == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise environ.ImproperlyConfigured("STORAGE_BACKEND must be filesystem or s3.")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Evidence, statements, minutes, proofs of service (creditportal.uploads): the largest file accepted, in MB.
PORTAL_UPLOAD_MAX_MB = env.int("PORTAL_UPLOAD_MAX_MB", default=20)
# Issue 21: the longest free text a form takes (facts, reasons, grounds, minutes): about three printed pages, so that a
# document stays readable and renders in time (a 48,000-character letter took 20 s). An operations choice.
PORTAL_TEXT_MAX_CHARS = env.int("PORTAL_TEXT_MAX_CHARS", default=5000)
# Issue 21: a second-factor reset asked by one security administrator is confirmed by another within this many hours,
# or asked again (a forgotten request is not confirmed months later). An operations choice.
PORTAL_SECOND_FACTOR_RESET_HOURS = env.int("PORTAL_SECOND_FACTOR_RESET_HOURS", default=72)
# The subject portal's sign-in (issue 22): a one-time code mailed to the address the subject signed for, valid this
# many minutes, this many wrong tries, at most this many codes an hour for one subject.
PORTAL_SIGNIN_CODE_MINUTES = env.int("PORTAL_SIGNIN_CODE_MINUTES", default=10)
PORTAL_SIGNIN_TRIES = env.int("PORTAL_SIGNIN_TRIES", default=5)
PORTAL_SIGNIN_CODES_PER_HOUR = env.int("PORTAL_SIGNIN_CODES_PER_HOUR", default=5)
# ... and at most this many codes an hour to one address, whoever they are for (several people may share one).
PORTAL_SIGNIN_CODES_PER_ADDRESS = env.int("PORTAL_SIGNIN_CODES_PER_ADDRESS", default=10)
# Issued documents carry their department's PAdES signature (issue 22, creditportal.signing): the signer (a deployment
# with the national electronic seal names its own), the folder of certificates (trust/*.pem, departments/<code>.pem
# and <code>.key.pem), and whether a department without a certificate gets one from a demo root (demo and tests only).
DOCUMENT_SIGNER = env("DOCUMENT_SIGNER", default="creditportal.signing.PyHankoSigner")
SIGNING_DIR = env.path("SIGNING_DIR", default=str(VAR_DIR / "signing"))
SIGNING_DEMO_CA = env.bool("SIGNING_DEMO_CA", default=False)

# Every change records why (simple-history's change reason): the forms accept reasons of up to 500 characters, so
# the history column is text, never a varchar(100) that answers a long reason with a 500 (issue 16).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True


def shared_cache(location: str) -> dict:
    """The shared cache on Redis, optional at runtime (issue 16, creditportal.cache): when Redis does not answer
    within a second, a read misses and the page reads the database, a write is dropped, and the process leaves
    Redis alone for CACHE_RETRY_AFTER seconds (30) before asking again."""
    return {
        "BACKEND": "creditportal.cache.FailSoftRedisCache",
        "LOCATION": location,
        "RETRY_AFTER": env.int("CACHE_RETRY_AFTER", default=30),
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A shared cache (Redis) when CACHE_URL is set: the production profile's default (its broker's Redis). Worker
# heartbeats go through it to /healthz (creditportal.health), which a per-process cache cannot carry.
if env("CACHE_URL", default=""):
    CACHES = {"default": shared_cache(env("CACHE_URL"))}
# How often a Celery worker says it is alive, per queue it consumes; /healthz calls a queue's workers silent after
# three missed beats.
PORTAL_WORKER_HEARTBEAT_SECONDS = env.int("PORTAL_WORKER_HEARTBEAT_SECONDS", default=30)

# Celery: with no broker configured, tasks run eagerly in-process (quick start, tests).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a worker killed mid-task: the message goes back to the queue
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than the longest task (a PDF renders in well under a minute), so Redis never hands a running task to a
# second worker; a killed worker's message comes back after it.
# Queues (docs/deployment.md): a worker started without -Q consumes them all (the quick start, a single machine);
# a larger deployment runs workers per queue, so a morning of PDFs never waits behind a large import, and
# sweeps and mail keep their pace whatever the load: celery worker -Q documents / -Q imports / -Q sweeps,mail.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "documents", "imports", "sweeps", "mail")]
CELERY_TASK_ROUTES = {
    "creditportal.document_render": {"queue": "documents"},
    "catalog.import_run": {"queue": "imports"},
    "creditportal.deadline_sweep": {"queue": "sweeps"},
    "creditportal.documents_render_pending": {"queue": "sweeps"},
    "catalog.import_jobs_queue_pending": {"queue": "sweeps"},
    "exchange.record_import_run": {"queue": "imports"},
    "exchange.record_imports_resume": {"queue": "sweeps"},
    "api.receipts_purge": {"queue": "sweeps"},
    "feed.snapshot": {"queue": "sweeps"},
    "feed.prune": {"queue": "sweeps"},
    "feed.package": {"queue": "sweeps"},
    "restoration.records_expire": {"queue": "sweeps"},
    "creditportal.ledger_seal": {"queue": "sweeps"},
    "creditportal.ledger_anchor": {"queue": "sweeps"},
    "creditportal.access_purge": {"queue": "sweeps"},
    # Mail tasks are named <app>.mail_<what> (none is queued yet: reminders are sent by the deadline sweep).
    "*.mail_*": {"queue": "mail"},
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # A broker whose host does not answer, or that accepts and then says nothing, costs an act at most this long
    # (creditportal.celery.publish_at_once); without socket_timeout a hung broker held the act forever. Longer than
    # the one-second BRPOP with which a worker waits for its tasks.
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Exactly one beat schedules, and only while it holds its lock, checked before every schedule (creditportal.celery).
CELERY_BEAT_SCHEDULER = "creditportal.celery:LeaderScheduler"
# Bound a worker's memory: a process that grew past this (KiB) is replaced after its current task.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400_000
# Deadlines are rows swept by beat, never countdown tasks (ARCHITECTURE.md "Deadlines").
CELERY_BEAT_SCHEDULE: dict = {
    "deadline-sweep": {"task": "creditportal.deadline_sweep", "schedule": 15 * 60},
    # The outbox: documents whose rendering was not queued (broker down) or was lost are queued again.
    # How often is an operations choice (PORTAL_OUTBOX_SWEEP_SECONDS, 120).
    "documents-render-pending": {
        "task": "creditportal.documents_render_pending",
        "schedule": env.int("PORTAL_OUTBOX_SWEEP_SECONDS", default=2 * 60),
    },
    # The same outbox for large catalog imports (catalog.jobs): jobs still queued are queued again.
    "catalog-import-jobs-pending": {"task": "catalog.import_jobs_queue_pending", "schedule": 3 * 60},
    # Issue 23: record imports still queued, or running on a worker that stopped reporting, queued again.
    "exchange-record-imports-resume": {"task": "exchange.record_imports_resume", "schedule": 60},
    # Issue 23: the API's used nonces and idempotency receipts past their time, purged every hour.
    "api-receipts-purge": {"task": "api.receipts_purge", "schedule": crontab(minute=15)},
    # Issue 23: the change feed's nightly snapshot (a platform restarts from it), its entries past retention pruned
    # after it, and every hour a file-mode package for platforms that take files (GB/T 39443).
    "feed-snapshot": {"task": "feed.snapshot", "schedule": crontab(hour=2, minute=30)},
    "feed-prune": {"task": "feed.prune", "schedule": crontab(hour=3, minute=0)},
    "feed-package": {"task": "feed.package", "schedule": crontab(minute=5)},
    # R-DIS-3: every night, the information whose disclosure period is over is archived (restoration.disclosure).
    "records-expire": {"task": "restoration.records_expire", "schedule": crontab(hour=0, minute=30)},
    # R-NAT-2, SAMR-45 (issue 22): after the expiry, the published penalties made to agree with what is on display
    # and with the profile (subjects.publication: rows opened for the records that qualify, closed for the others).
    "penalties-sync": {"task": "subjects.penalties_sync", "schedule": crontab(hour=1, minute=30)},
    # Issue 21: the audit ledger's new entries chained every minute, its head anchored outside the database every
    # night (creditportal.ledger).
    "ledger-seal": {"task": "creditportal.ledger_seal", "schedule": 60},
    "ledger-anchor": {"task": "creditportal.ledger_anchor", "schedule": crontab(hour=1, minute=0)},
    # R-SEC-3: the access log kept for the profile's inquiry_record_years, then purged with a signed count.
    "access-purge": {"task": "creditportal.access_purge", "schedule": crontab(hour=2, minute=0)},
    # Issue 22: subjects whose own clock (the statement period) ends soon are reminded by mail, in the morning.
    "subject-deadline-notices": {"task": "subjects.deadline_notices", "schedule": crontab(hour=8, minute=0)},
}
# Issue 21 (GB/T 22239-2019 8.1.4.3 d): in production the sealer and the anchor run as the audit administrator's own
# process (manage.py audit_keeper, deploy/creditportal-audit-keeper.service), not in the shared scheduler.
AUDIT_KEEPER = env.bool("AUDIT_KEEPER", default=False)
if AUDIT_KEEPER:
    del CELERY_BEAT_SCHEDULE["ledger-seal"], CELERY_BEAT_SCHEDULE["ledger-anchor"]
# Working days before a due date that the sweep reminds the people working the case (an operations choice).
DEADLINE_REMINDER_WD = env.int("DEADLINE_REMINDER_WD", default=2)

# Mail: deadline reminders and escalations (creditportal.monitoring). The console in development and the demo;
# production sets EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the server. Tests use locmem.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)  # seconds: a hung mail server must not hold the sweep
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="creditportal@localhost")
# Links in mail start with the portal's address as its users reach it.
EMAIL_LINK_BASE_URL = env("EMAIL_LINK_BASE_URL", default="http://127.0.0.1:8000")

# Lists: rows per page and the deepest page a list offers (no COUNT(*) over millions of rows).
PORTAL_PAGE_SIZE = 25
PORTAL_MAX_PAGES = 200
PORTAL_EXPORT_MAX_ROWS = 100_000
# Catalog imports of more rows than this run as a background job with a progress page (catalog.jobs).
PORTAL_IMPORT_BACKGROUND_ROWS = 300
# Batch imports of credit records (issue 23, exchange.services): the largest file, rows per committed batch, and how
# long a running job's worker may stay silent before another worker takes the job over.
EXCHANGE_IMPORT_MAX_BYTES = env.int("EXCHANGE_IMPORT_MAX_BYTES", default=2 * 1024**3)
EXCHANGE_IMPORT_BATCH = env.int("EXCHANGE_IMPORT_BATCH", default=5000)
EXCHANGE_IMPORT_LEASE_SECONDS = env.int("EXCHANGE_IMPORT_LEASE_SECONDS", default=120)
# The change feed (issue 23, feed): how long its entries are kept; a cursor older than that restarts from a snapshot.
FEED_RETENTION_DAYS = env.int("FEED_RETENTION_DAYS", default=30)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # a sign-in ends after a working day, whatever happens (issue 21)
# ... and after this long without a request (creditportal.middleware.IdleSessionMiddleware).
PORTAL_IDLE_MINUTES = env.int("PORTAL_IDLE_MINUTES", default=30)
# The subject portal's agents (issue 22): an organisation's legal representative authorises one for at most this many
# days from the day it begins (renewed by a new authorisation), never for good. An operations choice.
PORTAL_AGENT_MAX_DAYS = env.int("PORTAL_AGENT_MAX_DAYS", default=365)

# /metrics (Prometheus): answered only to these addresses, and only with "Authorization: Bearer <token>" when a
# token is set (creditportal.health.metrics_allowed; deploy/nginx.conf keeps it inside). With several gunicorn
# workers set PROMETHEUS_MULTIPROC_DIR (an empty directory, emptied at each start) so the figures add up.
PORTAL_METRICS_ALLOWED_IPS = env.list("PORTAL_METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
PORTAL_METRICS_TOKEN = env("PORTAL_METRICS_TOKEN", default="")

# Structured logs (issue 12): one JSON object a line on standard error, with the request id (and the task id in a
# worker) on every line (creditportal.logging). LOG_FORMAT=text gives readable lines (the dev profile's default).
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "creditportal.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(task_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
# The worker logs through LOGGING above (JSON, with the ids), not through Celery's own root handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# The audit ledger's anchors (creditportal.ledger, issue 21): the chain's head, signed with this key, written each
# day to this directory, which the audit administrator keeps outside the database (docs/deployment.md).
AUDIT_ANCHOR_DIR = env("AUDIT_ANCHOR_DIR", default=str(BASE_DIR / "var" / "audit-anchors"))
AUDIT_ANCHOR_KEY = env("AUDIT_ANCHOR_KEY", default="")  # empty: the SECRET_KEY

# Security keys (creditportal.webauthn): the relying party is the host the portal answers on; a key is a second factor,
# never a password.
OTP_WEBAUTHN_RP_ID_CALLABLE = "creditportal.second_factor.relying_party_id"
OTP_WEBAUTHN_RP_NAME_CALLABLE = "creditportal.second_factor.relying_party_name"
OTP_WEBAUTHN_HELPER_CLASS = "creditportal.webauthn.PortalHelper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# The library's check wants a fixed list of origins; ours is each request's own (PortalHelper), from a host
# ALLOWED_HOSTS admitted, so one setting serves the quick start, the test servers and production.
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]

# Natural persons' identity numbers at rest (creditportal.identity, issue 21; PIPL art. 51): the cipher and hash suite,
# the cipher's keys (newest first: the first seals, all open; rotate with manage.py rotate_identity_keys) and the
# digest's key. Empty keys: derived from the SECRET_KEY (development and tests; production refuses to start).
PORTAL_IDENTITY_SUITE = env("PORTAL_IDENTITY_SUITE", default="fernet")
PORTAL_IDENTITY_KEYS = env.list("PORTAL_IDENTITY_KEYS", default=[])
PORTAL_IDENTITY_HASH_KEY = env("PORTAL_IDENTITY_HASH_KEY", default="")

# Issue 21 (hardening): the Content Security Policy of every response (django-csp). Scripts, styles, fonts and
# images come from the portal itself; no inline script anywhere (the templates have none: a script is a static
# file). The few style="" attributes are allowed (style-src-attr); no inline <style> element. data: images are the
# second factor's QR code. Nothing may frame the portal, and forms post only to it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The JSON API for providing units and the national platform (issue 23, api/; docs/architecture.md "Data exchange"):
# machine clients only, every request signed with the unit's credential (api.authentication), never a browser session
# (so no CSRF); Chinese errors (api.exceptions); throttled per credential. Rates and the signature window are operations
# choices.
API_SIGNATURE_WINDOW_SECONDS = env.int("API_SIGNATURE_WINDOW_SECONDS", default=300)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.SignedRequestAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasDepartmentRole"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.CredentialRateThrottle", "api.throttling.CredentialWriteThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_credential": env("API_THROTTLE_RATE", default="600/min"),
        "api_credential_write": env("API_THROTTLE_WRITE_RATE", default="120/min"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "creditportal API",
    # Lazy: the schema and its page speak the request's language (Chinese first), as every page does.
    "DESCRIPTION": _(
        "Credit subjects and credit records for the providing units and the national credit information sharing "
        "platform: signed requests, idempotent writes, batch imports and the change feed."
    ),
    "TAGS": [
        {"name": "subjects", "description": _("Credit subjects")},
        {"name": "records", "description": _("Credit records")},
        {"name": "imports", "description": _("Batch imports of credit records")},
        {"name": "feed", "description": _("Change feed to the national platform")},
    ],
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}
