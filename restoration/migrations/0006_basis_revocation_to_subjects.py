"""Issue 17: ``BasisRevocation`` (R-RES-6) is the subjects app's now (subjects 0008). Its tables are not touched:
the model leaves restoration's state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("restoration", "0005_proof_name_revoked_bases_and_labels"),
        ("subjects", "0008_basis_revocation_from_restoration"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalBasisRevocation"),
                migrations.DeleteModel(name="BasisRevocation"),
            ],
            database_operations=[],
        ),
    ]
