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


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 14), True),  # Saturday, make-up working day (Spring Festival)
        (D(2026, 2, 16), False),  # Spring Festival
        (D(2026, 10, 1), False),
        (D(2026, 10, 7), False),  # National Day
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # back to work; Saturday make-up day
        (D(2026, 11, 21), False),
        (D(2026, 11, 23), True),  # an ordinary weekend and Monday
    ],
)
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


def test_provisional_deadlines_are_recomputed_when_the_year_is_loaded(caseworker_a, dept_a, calendar):
    """A due date counted across into an unloaded year is corrected when the schedule arrives."""
    from creditportal import deadlines
    from subjects.tests.factories import PersonFactory

    next_year = max(calendar.loaded_years) + 1
    subject = PersonFactory(department=dept_a)
    anchor = D(next_year - 1, 12, 28)
    deadline = deadlines.deadline_open(
        case=subject,
        department=dept_a,
        rule_id="R-DES-1",
        article="x",
        anchor_event="x",
        anchor_date=anchor,
        days=5,
        unit="wd",
        actor=caseworker_a,
        reason="x",
    )
    assert deadline.provisional
    weekends_only = deadline.due_date
    # the sweep never runs a provisional clock out
    assert deadlines.deadline_sweep(today=weekends_only + datetime.timedelta(days=30))["processed"] == 0
    CalendarYear.objects.create(year=next_year, source="State Council notice")
    CalendarDay.objects.create(date=D(next_year, 1, 1), kind="off", name="New Year's Day")
    workdays.forget_calendar()
    assert deadlines.deadlines_recompute_provisional(actor=caseworker_a, reason="calendar loaded") == 1
    deadline.refresh_from_db()
    assert not deadline.provisional
    if D(next_year, 1, 1).weekday() < 5:  # a weekday off pushes the due date by one working day
        assert deadline.due_date > weekends_only
