"""Issue 21, R-SEC-6: a password the security administrator sets is changed by its user at the next login."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("creditportal", "0022_province_rule_sets")]

    operations = [
        migrations.AddField(
            model_name="historicaluser",
            name="must_change_password",
            field=models.BooleanField(
                default=False,
                help_text="Set when the security administrator sets the password; cleared when its user changes it.",
                verbose_name="must change password at next login",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(
                default=False,
                help_text="Set when the security administrator sets the password; cleared when its user changes it.",
                verbose_name="must change password at next login",
            ),
        ),
    ]
