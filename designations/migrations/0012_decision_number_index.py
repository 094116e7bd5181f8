"""A designation found by its decision number in the user's departments (issue 23: the lookup scanned every
designation of the department). Built concurrently on PostgreSQL."""

from django.db import migrations, models

from creditportal.db_operations import AddIndexConcurrentlyOnPostgres


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("designations", "0011_publication_ledger"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="designation",
            index=models.Index(fields=["department", "decision_number"], name="designation_dept_decision_idx"),
        ),
    ]
