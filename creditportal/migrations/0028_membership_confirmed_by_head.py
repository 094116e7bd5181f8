"""Issue 21 (R-SEC-6): a department role given in the administration counts once the department's head confirmed it.
The roles held before count as they did: confirmed when this migration ran (by nobody: they predate the rule)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def confirm_existing(apps, schema_editor):
    apps.get_model("creditportal", "Membership").objects.filter(confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("creditportal", "0027_access_log_page_order"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="membership",
            options={
                "permissions": [("confirm_membership", "Can confirm a department role given in the administration")],
                "verbose_name": "membership",
                "verbose_name_plural": "memberships",
            },
        ),
        migrations.AddField(
            model_name="historicalmembership",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="confirmed at"),
        ),
        migrations.AddField(
            model_name="historicalmembership",
            name="confirmed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="confirmed by",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="confirmed at"),
        ),
        migrations.AddField(
            model_name="membership",
            name="confirmed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="confirmed by",
            ),
        ),
        migrations.RunPython(confirm_existing, migrations.RunPython.noop),
    ]
