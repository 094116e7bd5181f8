"""Load (or refresh) the official working-day calendar from the installed chinesecalendar release."""
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from creditportal.audit import system_user, tracked_save
from creditportal.models import CalendarDay, CalendarYear
from creditportal.deadlines import deadlines_recompute_provisional
from creditportal.workdays import forget_calendar


class Command(BaseCommand):
    help = "Load the days off and make-up working days of every year chinesecalendar knows (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Only this year.")

    @transaction.atomic
    def handle(self, *args, year=None, **options):
        import chinese_calendar

        actor = system_user()
        source = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')} (State Council holiday notices)"
        reason = _("Official calendar loaded (load_calendar)")
        created = 0
        for kind, table in (("off", chinese_calendar.holidays), ("makeup", chinese_calendar.workdays)):
            for date, name in table.items():
                if (year and date.year != year) or (kind == "makeup" and date.weekday() < 5):
                    continue
                if not CalendarDay.objects.filter(date=date).exists():
                    tracked_save(CalendarDay(date=date, kind=kind, name=str(name)), actor=actor, reason=reason)
                    created += 1
        for known in sorted({d.year for d in chinese_calendar.holidays}):
            if (not year or known == year) and not CalendarYear.objects.filter(year=known).exists():
                tracked_save(CalendarYear(year=known, source=source), actor=actor, reason=reason)
        forget_calendar()
        recomputed = deadlines_recompute_provisional(actor=actor, reason=reason)
        self.stdout.write(f"Provisional deadlines recomputed: {recomputed}")
        self.stdout.write(f"Calendar: {created} days added; years loaded: "
                          f"{', '.join(map(str, CalendarYear.objects.values_list('year', flat=True)))}")
