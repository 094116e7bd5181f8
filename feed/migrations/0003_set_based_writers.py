"""The feed's writers made set-based (``feed.sql``): a statement-level trigger notes the keys each statement touched
and one deferred step per transaction writes the entries, in place of a trigger per row (a bulk update of 20,000
records wrote 2,100-2,800 rows/s with it, against 20,000 without). ``INSTALL`` drops the row triggers it replaces."""

from django.db import migrations

from feed import sql


class Migration(migrations.Migration):
    dependencies = [("feed", "0002_watermark_of_this_database")]

    operations = [sql.on_postgres(sql.INSTALL)]
