"""Load (or refresh) the official working-day calendar, then recompute every provisional due date.

Two sources: the installed chinesecalendar release (the default), or, for a year whose State Council notice
is out before a package release carries it, a CSV file transcribed from the notice (``--file``, with
``--year``): one line per day off or make-up working day, ``date,kind,name`` (kind ``off`` or ``makeup``).
Either way the year is marked loaded and every provisional deadline, and every copy of its due date kept on
a case, is recomputed on the new calendar in the same transaction.
"""

import csv
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from creditportal.audit import system_user, tracked_save
from creditportal.deadlines import deadlines_recompute_provisional
from creditportal.models import CalendarDay, CalendarYear
from creditportal.workdays import forget_calendar


def _rows_from_package(year):
    import chinese_calendar

    for kind, table in (("off", chinese_calendar.holidays), ("makeup", chinese_calendar.workdays)):
        for date, name in table.items():
            if (year and date.year != year) or (kind == "makeup" and date.weekday() < 5):
                continue
            yield date, kind, str(name)


def _rows_from_file(path, year):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if not row or row[0].strip().lower() == "date":
                continue
            try:
                date = datetime.date.fromisoformat(row[0].strip())
                kind, name = row[1].strip(), (row[2].strip() if len(row) > 2 else "")
            except (ValueError, IndexError) as error:
                raise CommandError(
                    f"{path}, line {number}: expected date,kind,name (2027-01-01,off,New Year's Day)"
                ) from error
            if kind not in ("off", "makeup") or date.year != year:
                raise CommandError(f"{path}, line {number}: kind must be off or makeup, and the date in {year}")
            yield date, kind, name


class Command(BaseCommand):
    help = (
        "Load the days off and make-up working days (from chinesecalendar, or --file for one --year), mark the "
        "years loaded and recompute every provisional deadline (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Only this year.")
        parser.add_argument("--file", help="CSV transcribed from the State Council notice: date,kind,name.")
        parser.add_argument("--source", default="", help="Where the file's schedule comes from (kept with the year).")

    @transaction.atomic
    def handle(self, *args, year=None, file=None, source="", **options):
        if file and not year:
            raise CommandError("--file loads one year: give --year too.")
        actor = system_user()
        reason = _("Official calendar loaded (load_calendar)")
        if file:
            rows = list(_rows_from_file(file, year))
            years = {year}
            source = source or f"{file} (State Council notice)"
        else:
            import chinese_calendar

            rows = list(_rows_from_package(year))
            years = {d.year for d in chinese_calendar.holidays if not year or d.year == year}
            source = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')} (State Council holiday notices)"
        created = 0
        for date, kind, name in rows:
            if not CalendarDay.objects.filter(date=date).exists():
                tracked_save(CalendarDay(date=date, kind=kind, name=name), actor=actor, reason=reason)
                created += 1
        for known in sorted(years):
            if not CalendarYear.objects.filter(year=known).exists():
                tracked_save(CalendarYear(year=known, source=source), actor=actor, reason=reason)
        forget_calendar()
        recomputed = deadlines_recompute_provisional(actor=actor, reason=reason)
        self.stdout.write(f"Provisional deadlines recomputed: {recomputed}")
        self.stdout.write(
            f"Calendar: {created} days added; years loaded: "
            f"{', '.join(map(str, CalendarYear.objects.values_list('year', flat=True)))}"
        )
