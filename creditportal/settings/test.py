"""pytest profile: PostgreSQL (DATABASE_URL, else the local server), eager Celery, fast hashing."""

import os
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/creditportal")

from .base import *  # noqa: E402,F401,F403
from .base import DATABASES, env  # noqa: E402

SECRET_KEY = "test-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = ""
DATABASES["default"]["CONN_MAX_AGE"] = 0  # tests share and reset one connection per test (pytest-django)
# A second alias on the same server stands for the read replica (creditportal.db_router; tests/test_db_router.py):
# in tests it mirrors the test database, so what the primary wrote the "replica" reads at once.
DATABASES["replica"] = {**DATABASES["default"], "ATOMIC_REQUESTS": False, "TEST": {"MIRROR": "default"}}
# Its reads are off except in tests/test_db_router.py: a mirror is another connection, which cannot see the rows a
# test writes inside its own transaction.
REPLICA_READS = False
CELERY_TASK_ALWAYS_EAGER = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
AXES_VERBOSE = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
# The suite's stories move the clock days on between the requests of one signed-in client (the statutory clocks):
# only creditportal/tests/test_session_expiry.py keeps the idle limit.
PORTAL_IDLE_MINUTES = 100 * 365 * 24 * 60
# Each test process signs with its own demo root and department certificates, made on first use (creditportal.signing).
SIGNING_DIR = tempfile.mkdtemp(prefix="creditportal-signing-")
SIGNING_DEMO_CA = True
