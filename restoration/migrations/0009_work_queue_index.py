"""The restoration work queue read in its own order, the promised date first (issue 23: "My work" joined every
application of a state to its subject, then sorted, to show 50). Built concurrently on PostgreSQL."""

from django.db import migrations, models

from creditportal.db_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("restoration", "0008_published_commitments"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="restorationapplication",
            index=models.Index(
                fields=["department", "state", "promised_by", "received_at", "id"], name="restoration_promised_idx"
            ),
        ),
    ]
