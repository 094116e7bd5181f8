"""Working days on the official PRC calendar: weekends off, statutory holidays off, make-up days worked.

Pure date functions over a ``Calendar`` value (the days off, the make-up days and the years whose
official schedule is loaded), built from the ``CalendarDay``/``CalendarYear`` tables by ``load_calendar``.
"Now" is always passed in. A count that reaches into a year whose schedule is not loaded is marked
*provisional*: it is computed with weekends only for that year and says so; it is never silently final.

Counting convention (HN 30, HL 39 "within N working days of receipt"): the anchor day itself does not
count; day 1 is the first working day after it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext_noop

CACHE_KEY = "creditportal:calendar:v1"

# Message ids for the reasons a day does not count; the holiday names are those chinesecalendar uses.
SATURDAY, SUNDAY, PAUSED = gettext_noop("Saturday"), gettext_noop("Sunday"), gettext_noop("paused")
HOLIDAY_NAMES = (
    gettext_noop("New Year's Day"),
    gettext_noop("Spring Festival"),
    gettext_noop("Tomb-sweeping Day"),
    gettext_noop("Labour Day"),
    gettext_noop("Dragon Boat Festival"),
    gettext_noop("National Day"),
    gettext_noop("Mid-autumn Festival"),
    gettext_noop("Anti-Fascist 70th Day"),
)


@dataclass(frozen=True)
class Calendar:
    days_off: dict[datetime.date, str] = field(default_factory=dict)
    makeup_days: dict[datetime.date, str] = field(default_factory=dict)
    loaded_years: frozenset[int] = frozenset()

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.makeup_days:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5

    def why_off(self, day: datetime.date) -> str:
        """Why a day is not a working day: the holiday's name, or the weekend (an English message id, translated
        where it is shown)."""
        return self.days_off.get(day) or (SATURDAY if day.weekday() == 5 else SUNDAY)


@dataclass(frozen=True)
class Pause:
    """Days that do not count (R-OBJ-4): from ``start`` to ``end`` inclusive (``end`` None: still paused)."""

    start: datetime.date
    end: datetime.date | None
    reason: str = ""

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class DueDate:
    """A computed due date and everything needed to check it by hand."""

    anchor: datetime.date
    days: int
    unit: str  # "wd" or "cd"
    due: datetime.date | None  # None while an open-ended pause holds the clock
    provisional: bool
    counted: tuple[datetime.date, ...]
    skipped: tuple[tuple[datetime.date, str], ...]  # (day, why it did not count)
    unloaded_years: tuple[int, ...]
    #: Calendar-day periods only: the last day fell on a day off, so the period ends on the next working day.
    moved_from: datetime.date | None = None


def add_working_days(anchor: datetime.date, days: int, calendar: Calendar, pauses: tuple[Pause, ...] = ()) -> DueDate:
    """The ``days``-th working day after ``anchor``, skipping days off and paused days."""
    return _count(anchor, days, calendar, pauses, working=True)


def add_calendar_days(
    anchor: datetime.date, days: int, calendar: Calendar, pauses: tuple[Pause, ...] = (), *, fixed_end: bool = False
) -> DueDate:
    """For rules in plain days (HB 29: 15 days): every day counts but paused ones. A period whose last day is a
    weekend day or a statutory holiday ends on the next working day (the civil-procedure rule for periods,
    Civil Procedure Law art. 85), so that last day's year must be loaded for the date to be final.
    ``fixed_end``: a period of exactly so many days (a listing): its end never moves."""
    return _count(anchor, days, calendar, pauses, working=False, moves=not fixed_end)


def _count(anchor, days, calendar, pauses, *, working: bool, moves: bool = False) -> DueDate:
    counted: list[datetime.date] = []
    skipped: list[tuple[datetime.date, str]] = []
    unloaded: set[int] = set()
    day = anchor
    guard = 0
    while len(counted) < days:
        day += datetime.timedelta(days=1)
        guard += 1
        if guard > 3660:
            raise ValueError("A deadline cannot run for more than ten years.")
        pause = next((p for p in pauses if p.covers(day)), None)
        if pause is not None:
            if pause.end is None:
                return DueDate(
                    anchor,
                    days,
                    "wd" if working else "cd",
                    None,
                    bool(unloaded),
                    tuple(counted),
                    tuple(skipped),
                    tuple(sorted(unloaded)),
                )
            skipped.append((day, PAUSED))
            continue
        if working:
            if day.year not in calendar.loaded_years:
                unloaded.add(day.year)
            if not calendar.is_workday(day):
                skipped.append((day, calendar.why_off(day)))
                continue
        counted.append(day)
    moved_from = None
    if moves:
        last = day
        while True:
            if day.year not in calendar.loaded_years:
                unloaded.add(day.year)
            if calendar.is_workday(day):
                break
            skipped.append((day, calendar.why_off(day)))
            day += datetime.timedelta(days=1)
        moved_from = last if day != last else None
    return DueDate(
        anchor,
        days,
        "wd" if working else "cd",
        day,
        bool(unloaded),
        tuple(counted),
        tuple(skipped),
        tuple(sorted(unloaded)),
        moved_from,
    )


def working_days_between(start: datetime.date, end: datetime.date, calendar: Calendar) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += calendar.is_workday(day)
    return count


def load_calendar(*, use_cache: bool = True) -> Calendar:
    """The calendar from the database (cached for a few minutes; ``forget_calendar`` after an edit)."""
    if use_cache:
        cached = cache.get(CACHE_KEY)
        if cached is not None:
            return cached
    from .models import CalendarDay, CalendarYear

    days_off: dict[datetime.date, str] = {}
    makeup: dict[datetime.date, str] = {}
    for date, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (days_off if kind == "off" else makeup)[date] = name
    calendar = Calendar(days_off, makeup, frozenset(CalendarYear.objects.values_list("year", flat=True)))
    cache.set(CACHE_KEY, calendar, 300)
    return calendar


def forget_calendar() -> None:
    cache.delete(CACHE_KEY)
