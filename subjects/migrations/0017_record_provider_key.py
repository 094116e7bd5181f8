"""A credit record's provider key (issue 23): batch imports are idempotent by it. The unique partial index is built
concurrently (no write lock on a table of millions of records); every existing record has no key, so it starts empty."""

from django.conf import settings
from django.db import migrations, models


def _create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS record_unique_provider_key "
            "ON subjects_creditrecord (department_id, provider_key) WHERE NOT (provider_key = '')"
        )
    else:  # the quick start's SQLite: a plain partial unique index
        schema_editor.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS record_unique_provider_key "
            "ON subjects_creditrecord (department_id, provider_key) WHERE NOT (provider_key = '')"
        )


def _drop_index(apps, schema_editor):
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP INDEX{concurrently} IF EXISTS record_unique_provider_key")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("catalog", "0011_information_classes"),
        ("creditportal", "0031_profile_publishes_penalties"),
        ("subjects", "0016_published_penalties"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="creditrecord",
            name="provider_key",
            field=models.CharField(blank=True, default="", max_length=100, verbose_name="provider's record key"),
        ),
        migrations.AddField(
            model_name="historicalcreditrecord",
            name="provider_key",
            field=models.CharField(blank=True, default="", max_length=100, verbose_name="provider's record key"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddConstraint(
                    model_name="creditrecord",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("provider_key", ""), _negated=True),
                        fields=("department", "provider_key"),
                        name="record_unique_provider_key",
                        violation_error_message="This department already holds a record with this provider's key.",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(_create_index, _drop_index),
            ],
        ),
    ]
