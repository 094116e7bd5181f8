"""Working days on the official PRC calendar (creditportal.workdays), from the table seeded by migration."""
import datetime

import pytest

from creditportal import workdays
from creditportal.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def calendar():
    return workdays.load_calendar(use_cache=False)


@pytest.mark.parametrize(("day", "working"), [
    (D(2026, 2, 14), True),   # Saturday, make-up working day (Spring Festival)
    (D(2026, 2, 16), False),  # Spring Festival
    (D(2026, 10, 1), False), (D(2026, 10, 7), False),  # National Day
    (D(2026, 10, 8), True), (D(2026, 10, 10), True),   # back to work; Saturday make-up day
    (D(2026, 11, 21), False), (D(2026, 11, 23), True),  # an ordinary weekend and Monday
])
def test_official_days(calendar, day, working):
    assert calendar.is_workday(day) is working


def test_counting_skips_holidays_and_names_them(calendar):
    result = workdays.add_working_days(D(2026, 9, 30), 3, calendar)
    # anchor Wed Sep 30; Oct 1-7 off (National Day); Thu 8, Fri 9, Sat 10 (make-up day) count
    assert result.counted == (D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 10))
    assert result.due == D(2026, 10, 10)
    assert (D(2026, 10, 1), "National Day") in result.skipped
    assert not result.provisional


def test_the_anchor_day_does_not_count(calendar):
    assert workdays.add_working_days(D(2026, 11, 23), 1, calendar).due == D(2026, 11, 24)


def test_a_year_without_its_schedule_is_provisional_never_silently_final(calendar):
    last_loaded = max(calendar.loaded_years)
    result = workdays.add_working_days(D(last_loaded, 12, 28), 10, calendar)
    assert result.provisional and result.unloaded_years == (last_loaded + 1,)


def test_pauses_do_not_count_and_an_open_pause_holds_the_clock(calendar):
    """R-OBJ-4 (HL 39): examinations, testing, appraisal do not count."""
    pause = workdays.Pause(D(2026, 11, 24), D(2026, 11, 26), "expert appraisal")
    assert workdays.add_working_days(D(2026, 11, 23), 3, calendar, (pause,)).due == D(2026, 12, 1)
    held = workdays.add_working_days(D(2026, 11, 23), 3, calendar, (workdays.Pause(D(2026, 11, 24), None),))
    assert held.due is None


def test_calendar_days_count_every_day(calendar):
    """HB 29: 15 days."""
    assert workdays.add_calendar_days(D(2026, 9, 30), 15, calendar).due == D(2026, 10, 15)


def test_the_system_administrator_adds_a_year(calendar):
    next_year = max(calendar.loaded_years) + 1
    CalendarYear.objects.create(year=next_year, source="State Council notice")
    CalendarDay.objects.create(date=D(next_year, 1, 1), kind="off", name="New Year's Day")
    workdays.forget_calendar()
    fresh = workdays.load_calendar()
    assert not fresh.is_workday(D(next_year, 1, 1))
    assert not workdays.add_working_days(D(next_year - 1, 12, 28), 5, fresh).provisional


def test_working_days_between(calendar):
    assert workdays.working_days_between(D(2026, 9, 30), D(2026, 10, 9), calendar) == 2
