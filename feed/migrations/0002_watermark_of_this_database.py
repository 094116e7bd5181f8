"""The feed's watermark counts only this database's transactions (``feed.sql.WATERMARK``): the functions installed
again (every statement of ``INSTALL`` replaces what it defines)."""

from django.db import migrations

from feed import sql


class Migration(migrations.Migration):
    dependencies = [("feed", "0001_outbox")]

    operations = [sql.on_postgres(sql.INSTALL, "DROP FUNCTION IF EXISTS feed_watermark();")]
