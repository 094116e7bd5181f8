"""Issue 16: the proof keeps the name it was handed in under; the method is a restoration method, "refused" reads
"not accepted" (its own label beside "not granted"); a revoked basis is a row (R-RES-6), so a revoked record's
page says which document revoked it, on what ground and when. Revocations registered before this migration are
read back from their audit events (``restoration.revocation.received`` / ``.completed``)."""

import datetime

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def revocations_from_events(apps, schema_editor):
    audit_event = apps.get_model("creditportal", "AuditEvent")
    content_type = apps.get_model("contenttypes", "ContentType")
    record_model = apps.get_model("subjects", "CreditRecord")
    revocation_model = apps.get_model("restoration", "BasisRevocation")
    kind = content_type.objects.filter(app_label="subjects", model="creditrecord").first()
    if kind is None:
        return
    events = audit_event.objects.filter(content_type=kind, action__startswith="restoration.revocation.").order_by(
        "at", "pk"
    )
    for event in events:
        record = record_model.objects.filter(pk=int(event.object_id)).first()
        if record is None:
            continue
        data = event.data or {}
        if event.action == "restoration.revocation.received" and data.get("legal_document"):
            revocation_model.objects.create(
                department_id=record.department_id,
                record=record,
                ground=data.get("ground", "revoked"),
                legal_document=data["legal_document"][:300],
                effective_on=datetime.date.fromisoformat(data["effective_on"]),
                received_on=datetime.date.fromisoformat(data["received_on"]),
            )
        elif event.action == "restoration.revocation.completed":
            open_one = revocation_model.objects.filter(record=record, revoked_at__isnull=True).order_by("-pk").first()
            if open_one is not None:
                open_one.revoked_at, open_one.revoked_by_id = event.at, event.actor_id
                open_one.revocation_reason = event.reason or ""
                open_one.save()


class Migration(migrations.Migration):
    dependencies = [
        ("creditportal", "0013_submit_tokens"),
        ("restoration", "0004_history_reason_as_text"),
        ("subjects", "0007_identifier_prefix_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalrestorationapplication",
            name="evidence_file_name",
            field=models.CharField(
                blank=True,
                help_text="The name the file had when it was handed in: pages and downloads show it, never the stored one.",
                max_length=255,
                verbose_name="evidence file name",
            ),
        ),
        migrations.AddField(
            model_name="restorationapplication",
            name="evidence_file_name",
            field=models.CharField(
                blank=True,
                help_text="The name the file had when it was handed in: pages and downloads show it, never the stored one.",
                max_length=255,
                verbose_name="evidence file name",
            ),
        ),
        migrations.AlterField(
            model_name="historicalrestorationapplication",
            name="method",
            field=models.CharField(
                choices=[
                    ("pledge", "Credit pledge"),
                    ("rectification", "Rectification"),
                    ("training", "Special training"),
                    ("public_interest", "Public-interest activity"),
                    ("obligations_performed", "Obligations performed"),
                    ("settlement_performed", "Enforcement settlement performed"),
                ],
                max_length=32,
                verbose_name="restoration method",
            ),
        ),
        migrations.AlterField(
            model_name="historicalrestorationapplication",
            name="state",
            field=models.CharField(
                choices=[
                    ("received", "Received"),
                    ("accepted", "Accepted"),
                    ("under_review", "Under review"),
                    ("granted", "Granted"),
                    ("not_granted", "Not granted"),
                    ("refused", "Not accepted"),
                    ("withdrawn", "Withdrawn"),
                ],
                db_index=True,
                default="received",
                max_length=32,
                verbose_name="state",
            ),
        ),
        migrations.AlterField(
            model_name="restorationapplication",
            name="method",
            field=models.CharField(
                choices=[
                    ("pledge", "Credit pledge"),
                    ("rectification", "Rectification"),
                    ("training", "Special training"),
                    ("public_interest", "Public-interest activity"),
                    ("obligations_performed", "Obligations performed"),
                    ("settlement_performed", "Enforcement settlement performed"),
                ],
                max_length=32,
                verbose_name="restoration method",
            ),
        ),
        migrations.AlterField(
            model_name="restorationapplication",
            name="state",
            field=models.CharField(
                choices=[
                    ("received", "Received"),
                    ("accepted", "Accepted"),
                    ("under_review", "Under review"),
                    ("granted", "Granted"),
                    ("not_granted", "Not granted"),
                    ("refused", "Not accepted"),
                    ("withdrawn", "Withdrawn"),
                ],
                db_index=True,
                default="received",
                max_length=32,
                verbose_name="state",
            ),
        ),
        migrations.CreateModel(
            name="BasisRevocation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("version", models.PositiveIntegerField(default=0, editable=False, verbose_name="version")),
                (
                    "ground",
                    models.CharField(
                        choices=[
                            ("revoked", "Revoked"),
                            ("illegal", "Found illegal"),
                            ("invalid", "Found invalid"),
                            ("changed", "Changed by an effective legal document"),
                        ],
                        max_length=16,
                        verbose_name="what happened to the basis",
                    ),
                ),
                ("legal_document", models.CharField(max_length=300, verbose_name="effective legal document")),
                ("effective_on", models.DateField(verbose_name="took effect on")),
                ("received_on", models.DateField(verbose_name="received on")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="record revoked at")),
                ("revocation_reason", models.TextField(blank=True, verbose_name="reason for the revocation")),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="creditportal.department",
                        verbose_name="department",
                    ),
                ),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="basis_revocations",
                        to="subjects.creditrecord",
                        verbose_name="credit record",
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="revoked by",
                    ),
                ),
            ],
            options={
                "verbose_name": "revoked basis",
                "verbose_name_plural": "revoked bases",
                "ordering": ["-received_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalBasisRevocation",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created at")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="updated at")),
                ("version", models.PositiveIntegerField(default=0, editable=False, verbose_name="version")),
                (
                    "ground",
                    models.CharField(
                        choices=[
                            ("revoked", "Revoked"),
                            ("illegal", "Found illegal"),
                            ("invalid", "Found invalid"),
                            ("changed", "Changed by an effective legal document"),
                        ],
                        max_length=16,
                        verbose_name="what happened to the basis",
                    ),
                ),
                ("legal_document", models.CharField(max_length=300, verbose_name="effective legal document")),
                ("effective_on", models.DateField(verbose_name="took effect on")),
                ("received_on", models.DateField(verbose_name="received on")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="record revoked at")),
                ("revocation_reason", models.TextField(blank=True, verbose_name="reason for the revocation")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "department",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="creditportal.department",
                        verbose_name="department",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "record",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="subjects.creditrecord",
                        verbose_name="credit record",
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="revoked by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical revoked basis",
                "verbose_name_plural": "historical revoked bases",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(revocations_from_events, migrations.RunPython.noop),
    ]
