"""Issue 22: the publication ledger of the list (designations.models.Publication). The designations on the list when
it is created are published from the day they were listed (their served time, else their first day on the list);
on PostgreSQL a trigram index serves "name contains" on the public list."""

import django.db.models.deletion
from django.db import migrations, models

TRIGRAM = (
    "CREATE INDEX IF NOT EXISTS publication_name_trgm_idx ON designations_publication "
    'USING gin (UPPER("subject_name"::text) gin_trgm_ops)'
)


def publish_the_listed(apps, schema_editor):
    import datetime

    from django.utils import timezone

    designation_model = apps.get_model("designations", "Designation")
    publication_model = apps.get_model("designations", "Publication")
    listed = designation_model.objects.filter(state="listed").select_related("subject", "standard", "department")
    rows = []
    for designation in listed.order_by("pk"):
        subject = designation.subject
        since = designation.served_at or timezone.make_aware(
            datetime.datetime.combine(designation.listed_from, datetime.time())
        )
        rows.append(
            publication_model(
                designation=designation,
                department=designation.department,
                published_at=since,
                subject_name=subject.name,
                subject_is_person=subject.kind == "natural_person",
                identifier=subject.id_number,  # as shown since subjects 0013: a person's masked
                department_name=designation.department.name,
                standard_title=designation.standard.title,
                sector=designation.standard.sector,
                decision_number=designation.decision_number,
                listed_from=designation.listed_from,
                listed_until=designation.listed_until,
                measures="；".join(designation.measures.order_by("pk").values_list("text", flat=True)),
            )
        )
    publication_model.objects.bulk_create(rows, batch_size=1000)


def trigram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(TRIGRAM)


class Migration(migrations.Migration):
    dependencies = [
        ("creditportal", "0028_membership_confirmed_by_head"),
        ("designations", "0010_removal_reasons_of_an_ended_basis"),
        ("subjects", "0013_identity_sealed"),
    ]

    operations = [
        migrations.CreateModel(
            name="Publication",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("published_at", models.DateTimeField(verbose_name="published at")),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="withdrawn at")),
                (
                    "withdrawal_cause",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("expiry", "Listing period expired"),
                            ("restoration", "Credit restored"),
                            ("objection_adopted", "Objection adopted"),
                            ("revocation", "Basis revoked"),
                            ("basis_expired", "Disclosure period of the information relied on ended"),
                            ("basis_corrected", "Information relied on corrected"),
                        ],
                        max_length=32,
                        verbose_name="withdrawn because",
                    ),
                ),
                ("subject_name", models.CharField(max_length=200, verbose_name="name")),
                ("subject_is_person", models.BooleanField(default=False, verbose_name="natural person")),
                ("identifier", models.CharField(max_length=32, verbose_name="identifier")),
                ("department_name", models.CharField(max_length=200, verbose_name="deciding department")),
                ("standard_title", models.CharField(max_length=200, verbose_name="designation standard")),
                ("sector", models.CharField(max_length=100, verbose_name="sector")),
                ("decision_number", models.CharField(blank=True, max_length=64, verbose_name="decision number")),
                ("listed_from", models.DateField(verbose_name="listed from")),
                ("listed_until", models.DateField(blank=True, null=True, verbose_name="listed until")),
                ("measures", models.TextField(blank=True, verbose_name="measures")),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="creditportal.department",
                        verbose_name="deciding department",
                    ),
                ),
                (
                    "designation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="publications",
                        to="designations.designation",
                        verbose_name="designation",
                    ),
                ),
            ],
            options={
                "verbose_name": "publication on the list",
                "verbose_name_plural": "publications on the list",
                "ordering": ["-published_at", "-id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("withdrawn_at__isnull", True)),
                        fields=["-published_at", "-id"],
                        name="publication_open_idx",
                    ),
                    models.Index(fields=["published_at", "withdrawn_at"], name="publication_period_idx"),
                    models.Index(
                        fields=["identifier"], name="publication_identifier_idx", opclasses=["varchar_pattern_ops"]
                    ),
                    models.Index(fields=["department", "-published_at"], name="publication_dept_idx"),
                    models.Index(fields=["sector", "-published_at"], name="publication_sector_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("withdrawn_at__isnull", True)),
                        fields=("designation",),
                        name="publication_one_open_per_designation",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("withdrawn_at__isnull", True),
                            ("withdrawn_at__gte", models.F("published_at")),
                            _connector="OR",
                        ),
                        name="publication_withdrawn_after_published",
                    ),
                ],
            },
        ),
        migrations.RunPython(publish_the_listed, migrations.RunPython.noop),
        migrations.RunPython(trigram, migrations.RunPython.noop),
    ]
