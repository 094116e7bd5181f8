"""The audit ledger copies a statement's new rows once per statement (issue 23): a transition table read by one
INSERT … SELECT, instead of a function call per row. Same entries, same order, same content; bulk writes (a batch
import, the daily expiry) no longer pay a trigger call for each history row."""

from django.db import migrations


def forwards(apps, schema_editor):
    from creditportal import ledger

    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(ledger.ROWS_SQL, params=None)
    ledger.retrigger(per_statement=True)


def backwards(apps, schema_editor):
    from creditportal import ledger

    if schema_editor.connection.vendor != "postgresql":
        return
    ledger.retrigger(per_statement=False)
    schema_editor.execute(ledger.ROWS_DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("creditportal", "0031_profile_publishes_penalties")]

    operations = [migrations.RunPython(forwards, backwards)]
