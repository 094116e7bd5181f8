"""One promised period for restoration on the jurisdiction profile (R-RES-5; NDRC 12, issue 16).

NDRC 12 asks that eligible applications be completed "within the time limit promised in advance"; none of the
four regulations (HN 32, HL 40, HB 30, XJ 46) fixes a number, so every seeded profile leaves it unset and says
why in ``sources``. A deployment sets its own promise, with its source, before applications are accepted.
"""

from django.db import migrations, models

NOT_SET = "NDRC 12 (completed within a period promised in advance; %s sets no number: the deployment sets it)"
ARTICLE = {"HN": "HN 32", "HL": "HL 40", "HB": "HB 30", "XJ": "XJ 46"}


def note_sources(apps, schema_editor):
    profile_model = apps.get_model("creditportal", "JurisdictionProfile")
    for profile in profile_model.objects.filter(code__in=ARTICLE):
        sources = dict(profile.sources or {})
        sources.setdefault("restoration_promised_wd", NOT_SET % ARTICLE[profile.code])
        profile.sources = sources
        profile.save(update_fields=["sources"])


def forget_sources(apps, schema_editor):
    profile_model = apps.get_model("creditportal", "JurisdictionProfile")
    for profile in profile_model.objects.all():
        sources = dict(profile.sources or {})
        if sources.pop("restoration_promised_wd", None) is not None:
            profile.sources = sources
            profile.save(update_fields=["sources"])


class Migration(migrations.Migration):
    dependencies = [("creditportal", "0011_history_reason_as_text")]

    operations = [
        migrations.AddField(
            model_name="jurisdictionprofile",
            name="restoration_promised_wd",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text=(
                    "The one period the decision documents promise, acceptance counts and the restoration notice "
                    "states (R-RES-5; NDRC 12: completed within the time limit promised in advance). None of the "
                    "four regulations fixes a number: the deployment sets it, with its source."
                ),
                null=True,
                verbose_name="restoration completed within, as promised in advance (WD)",
            ),
        ),
        migrations.AddField(
            model_name="historicaljurisdictionprofile",
            name="restoration_promised_wd",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text=(
                    "The one period the decision documents promise, acceptance counts and the restoration notice "
                    "states (R-RES-5; NDRC 12: completed within the time limit promised in advance). None of the "
                    "four regulations fixes a number: the deployment sets it, with its source."
                ),
                null=True,
                verbose_name="restoration completed within, as promised in advance (WD)",
            ),
        ),
        migrations.RunPython(note_sources, forget_sources),
    ]
