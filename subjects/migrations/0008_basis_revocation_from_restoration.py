"""Issue 17: a revoked basis (R-RES-6) belongs with the record it revokes, so ``BasisRevocation`` moved from the
restoration app to this one. Its rows and their history stay where they are (``restoration_basisrevocation`` and
``restoration_historicalbasisrevocation``): this migration only tells Django's state that the model is now
``subjects.BasisRevocation`` (restoration 0006 removes it from restoration's state), and renames its content types
where they exist so the rights granted on them and anything pointing at them follow the model."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ("basisrevocation", "historicalbasisrevocation")


def _move_content_types(apps, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label=target, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_to_subjects(apps, schema_editor):
    _move_content_types(apps, "restoration", "subjects")


def content_types_to_restoration(apps, schema_editor):
    _move_content_types(apps, "subjects", "restoration")


class Migration(migrations.Migration):
    dependencies = [
        ("creditportal", "0013_submit_tokens"),
        ("subjects", "0007_identifier_prefix_search"),
        # the tables exist: restoration created them
        ("restoration", "0005_proof_name_revoked_bases_and_labels"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BasisRevocation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
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
                        "db_table": "restoration_basisrevocation",
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
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
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
                        "db_table": "restoration_historicalbasisrevocation",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_subjects, content_types_to_restoration),
    ]
