"""Seed the working-day calendar from chinesecalendar (the State Council's published schedules).

The system administrator adds the next year in the admin (or with ``manage.py load_calendar``) when the
State Council publishes it; until then dates in that year are provisional.
"""

from django.db import migrations

SOURCE = "chinesecalendar {version} (State Council holiday notices)"


def load(apps, schema_editor):
    import chinese_calendar

    year_model = apps.get_model("creditportal", "CalendarYear")
    day_model = apps.get_model("creditportal", "CalendarDay")
    version = getattr(chinese_calendar, "__version__", "")
    years = sorted({d.year for d in chinese_calendar.holidays})
    existing = set(day_model.objects.values_list("date", flat=True))
    # Weekend days inside a holiday are stored too, so an explanation names the holiday, not "Sunday".
    rows = [
        day_model(date=d, kind="off", name=str(n)) for d, n in chinese_calendar.holidays.items() if d not in existing
    ]
    rows += [
        day_model(date=d, kind="makeup", name=str(n))
        for d, n in chinese_calendar.workdays.items()
        if d.weekday() >= 5 and d not in existing
    ]
    day_model.objects.bulk_create(rows, batch_size=500)
    for year in years:
        year_model.objects.get_or_create(year=year, defaults={"source": SOURCE.format(version=version)})


class Migration(migrations.Migration):
    dependencies = [("creditportal", "0002_jurisdiction_profiles")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
