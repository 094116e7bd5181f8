"""The identifier search is a prefix search (issue 16): a pattern index on the identifier, built without locking
the subjects table against writes (a million rows)."""

from django.db import migrations, models

from creditportal.db_operations import AddIndexConcurrentlyOnPostgres


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
