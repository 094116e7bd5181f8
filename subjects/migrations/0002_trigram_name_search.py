"""On PostgreSQL, a trigram index serves "name contains" searches over a million subjects.

Django's icontains compiles to UPPER("name"::text) LIKE UPPER(%s); the index is on the same expression.
Other databases (the SQLite quick start) skip it.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS subject_name_trgm_idx ON subjects_creditsubject "
    'USING gin (UPPER("name"::text) gin_trgm_ops)',
]
DROP = ["DROP INDEX IF EXISTS subject_name_trgm_idx"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("subjects", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
