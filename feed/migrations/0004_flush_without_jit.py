"""The feed's flush at each commit runs without PostgreSQL's JIT (``feed.sql``: ``feed_flush_xact`` ``SET jit = off``):
at provincial scale the planner's estimate passed ``jit_above_cost`` and compiling the plan cost 0.6-0.8 s of every
commit that touched a record. ``INSTALL`` replaces the function."""

from django.db import migrations

from feed import sql


class Migration(migrations.Migration):
    dependencies = [("feed", "0003_set_based_writers")]

    operations = [sql.on_postgres(sql.INSTALL)]
