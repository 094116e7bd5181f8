"""The audit ledger (issue 21): a hash-chained, append-only copy of every audit event and history row, written by
PostgreSQL and chained by its sealer (``creditportal.ledger``). The table and its functions are made here in SQL; each audited
table's trigger is attached after every migrate (``ledger.attach``), history tables added later included. On
another database (the quick start's SQLite) there is no ledger."""

from django.db import migrations, models


def create(apps, schema_editor):
    from creditportal.ledger import CREATE_SQL

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL, params=None)


def drop(apps, schema_editor):
    from creditportal.ledger import DROP_SQL

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("creditportal", "0023_admin_separation")]

    operations = [
        migrations.CreateModel(
            name="LedgerEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
                ("source", models.CharField(max_length=100, verbose_name="table")),
                ("source_id", models.CharField(max_length=64, verbose_name="row")),
                ("content", models.TextField(verbose_name="content")),
                ("seq", models.BigIntegerField(null=True, unique=True, verbose_name="place in the chain")),
                ("prev_hash", models.CharField(max_length=64, null=True, verbose_name="hash of the entry before")),
                ("hash", models.CharField(max_length=64, null=True, unique=True, verbose_name="hash")),
                ("sealed_at", models.DateTimeField(null=True, verbose_name="sealed at")),
            ],
            options={
                "verbose_name": "audit ledger entry",
                "verbose_name_plural": "audit ledger",
                "db_table": "creditportal_ledgerentry",
                "ordering": ["id"],
                "managed": False,
            },
        ),
        migrations.RunPython(create, drop),
    ]
