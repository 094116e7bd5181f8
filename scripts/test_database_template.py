"""The migrated test database ``make test`` clones for each test process (conftest.py, ``TEST_DATABASE_TEMPLATE``).

The migrations run once here, into ``test_<name>_template`` (``<name>``: DATABASE_URL's database), instead of once
per xdist worker in the first pass and again in the second: every pass then creates its databases with PostgreSQL's
``CREATE DATABASE … TEMPLATE``, a file copy of a second or two. The template is made afresh on every run (dropped
first), so it is never older than the migrations, the feed's SQL (feed/sql.py) or the data they load.

    DJANGO_SETTINGS_MODULE=creditportal.settings.test .venv/bin/python scripts/test_database_template.py
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditportal.settings.test")

import django  # noqa: E402


def template_name(database_name: str) -> str:
    return f"test_{database_name}_template"


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    connection = connections["default"]
    template = template_name(connection.settings_dict["NAME"])
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{template}"')
    connection.close()
    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = template
    # As Django's test runner migrates a test database (django.db.backends.base.creation.create_test_db).
    call_command("migrate", verbosity=0, interactive=False, database="default", run_syncdb=True)
    call_command("createcachetable", database="default")
    connections.close_all()  # a template with a connection open cannot be cloned
    print(f"test database template {template}: migrated")


if __name__ == "__main__":
    main()
