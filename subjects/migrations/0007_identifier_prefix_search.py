"""The identifier search is a prefix search (issue 16): a pattern index on the identifier, built without locking
the subjects table against writes (a million rows)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    """Concurrently on PostgreSQL; a plain index on the quick start's SQLite, which has no such option (the pattern
    operator class is PostgreSQL's too and is left out there)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return migrations.AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("subjects", "0006_history_reason_as_text"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="creditsubject",
            index=models.Index(fields=["id_number"], name="subject_id_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ),
    ]
