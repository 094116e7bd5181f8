"""Issue 21 (PIPL art. 51): natural persons' identity numbers encrypted at rest, a keyed digest for every subject's
identifier, the history's numbers masked (creditportal.identity)."""

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from subjects.services.identity import seal_clear_rows

    seal_clear_rows(
        apps.get_model("subjects", "CreditSubject"),
        apps.get_model("subjects", "HistoricalCreditSubject"),
        apps.get_model("creditportal", "AuditEvent"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("creditportal", "0027_access_log_page_order"),
        ("subjects", "0012_public_staff_employer"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="creditsubject",
            name="subject_unique_identifier",
        ),
        migrations.AddField(
            model_name="creditsubject",
            name="id_digest",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="identifier digest"),
        ),
        migrations.AddField(
            model_name="creditsubject",
            name="id_sealed",
            field=models.TextField(blank=True, default="", editable=False, verbose_name="identifier (encrypted)"),
        ),
        migrations.AddField(
            model_name="historicalcreditsubject",
            name="id_digest",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="identifier digest"),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="creditsubject",
            constraint=models.UniqueConstraint(
                fields=("id_digest", "id_type"),
                name="subject_unique_identifier",
                violation_error_message="A subject with this identifier is already registered.",
            ),
        ),
    ]
