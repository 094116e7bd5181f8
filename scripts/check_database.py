"""Stop early, with a clear message, when the PostgreSQL that the tests need does not answer."""

import os
import sys

import psycopg

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditportal.settings.test")

from django.conf import settings  # noqa: E402

database = settings.DATABASES["default"]
if database["ENGINE"] != "django.db.backends.postgresql":
    sys.exit("creditportal: the tests run on PostgreSQL; set DATABASE_URL=postgres://user@host:port/name")
try:
    psycopg.connect(
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=5,
    ).close()
except psycopg.OperationalError as error:
    sys.exit(
        f"creditportal: PostgreSQL does not answer at {database['HOST'] or 'localhost'}:{database['PORT'] or 5432} "
        f"({error}).\n"
        "Start it (Debian: pg_ctlcluster --skip-systemctl-redirect 15 main start, or systemctl start postgresql)\n"
        "or point the tests at one: DATABASE_URL=postgres://user:password@host:5432/creditportal make test"
    )
