"""The casework lists' index of credit records (issue 23): a department's records newest first, the archived left out
(``CreditRecord.hidden_from_casework``), so a deep page of the record list walks only the rows it may show. Built
concurrently on PostgreSQL (no write lock on a table of millions of records)."""

from django.db import migrations, models

from creditportal.db_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("subjects", "0017_record_provider_key"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="creditrecord",
            index=models.Index(
                condition=models.Q(("status", "archived"), _negated=True),
                fields=["department", "-id"],
                name="record_dept_casework_idx",
            ),
        ),
    ]
