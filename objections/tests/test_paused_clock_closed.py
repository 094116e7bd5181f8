"""R-OBJ-4 and issue 18: a clock closed while paused is judged on the days that counted, not on the due date it had
before the pause (the time of an examination or appraisal does not count, HL 39).

The story (HL, 3 WD): the objection received Friday 25 September 2026, its answer due Wednesday 30 September; the
handwriting sent for appraisal on Tuesday 29 September (only 28 September counted). Whether the clock is cancelled
with its case or met while still paused, or after the pause ended, the case page and the department's on-time rate
agree on whether it was late.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from creditportal import deadlines
from creditportal.choices import DeadlineStatus
from creditportal.monitoring import on_time_by_month
from objections import services

LATE_BADGE = 'clock-late">'


@pytest.fixture
def paused(receive, caseworker_a, settings, on):
    """An HL objection whose answer clock (due 30 September) is paused from 29 September for an appraisal."""
    settings.CREDIT_JURISDICTION = "HL"
    on(2026, 9, 29)
    objection = receive(label_now=True)
    assert objection.due_date == datetime.date(2026, 9, 30)
    services.objection_pause(
        objection=objection,
        actor=caseworker_a,
        pause_reason="appraisal",
        paused_from=datetime.date(2026, 9, 29),
        reason="笔迹送鉴定",
    )
    return objection


def _withdraw(objection, actor):
    services.objection_withdraw(
        objection=objection,
        actor=actor,
        reason="申请人书面撤回",
        withdrawal_received_on=timezone.localdate(),
        withdrawal_document=ContentFile(b"%PDF-1.4 signed", name="withdrawal.pdf"),
    )


def _answer(objection):
    return deadlines.deadlines_of(objection).get(rule_id="R-OBJ-3", department=objection.department)


def _october(objection):
    months = on_time_by_month(deadlines.deadlines_of(objection).filter(rule_id="R-OBJ-3"), today=timezone.localdate())
    october = next(m for m in months if m.start == datetime.date(2026, 10, 1))
    return october.closed, october.on_time


def _page_says_late(client, objection, actor) -> bool:
    """Whether the case page marks the answer clock late (the label clock of the story was late: not this one)."""
    client.force_login(actor)
    html = client.get(reverse("objection_detail", args=[objection.pk])).content.decode()
    answer = html.split('class="list-group-item clock-r-obj-3"', 1)[1].split("</li>", 1)[0]
    return LATE_BADGE in answer


def test_r_obj_4_a_clock_cancelled_while_paused_is_not_late(client, paused, caseworker_a, on):
    """Withdrawn on 8 October, the appraisal still out: the pause ends that day, the due date is recounted with it
    (28 September counted, then 9 and 10 October), and the cancelled clock is neither late on the page nor missed in
    the on-time rate, although 8 October is after the date it had before the pause."""
    on(2026, 10, 8)
    _withdraw(paused, caseworker_a)
    answer = _answer(paused)
    assert answer.status == DeadlineStatus.CANCELLED and not answer.closed_late
    assert answer.due_date == datetime.date(2026, 10, 10)
    pause = answer.pauses.get()
    assert (pause.paused_from, pause.paused_until) == (datetime.date(2026, 9, 29), datetime.date(2026, 10, 8))
    assert _october(paused) == (0, 0)
    assert not _page_says_late(client, paused, caseworker_a)
    paused.refresh_from_db()
    assert paused.due_date is None  # a paused clock's case showed no due date, and a closed clock sets none


def test_r_obj_4_a_clock_met_while_paused_is_on_time(paused, caseworker_a, on):
    """The same clock met (not cancelled) on 8 October while paused counts as met on time in the on-time rate."""
    on(2026, 10, 8)
    answer = deadlines.deadline_close(deadline=_answer(paused), actor=caseworker_a, reason="已答复")
    assert answer.status == DeadlineStatus.MET and not answer.closed_late
    assert answer.due_date == datetime.date(2026, 10, 10)
    assert _october(paused) == (1, 1)


@pytest.mark.parametrize(
    ("day", "late"),
    [
        (datetime.date(2026, 10, 12), False),  # the due date recounted with the pause: still on time
        (datetime.date(2026, 10, 13), True),  # the day after: missed, and it stays missed
    ],
)
def test_r_obj_4_a_clock_cancelled_after_the_pause_ended_is_judged_on_the_due_date_with_the_pause(
    client, paused, caseworker_a, on, day, late
):
    """The appraisal report in on 9 October, the clock resumed (due 12 October); a withdrawal is late only after
    that date, never after the 30 September it had before the pause."""
    on(2026, 10, 9)
    services.objection_resume(
        objection=paused, actor=caseworker_a, paused_until=datetime.date(2026, 10, 9), reason="鉴定意见已出"
    )
    on(day.year, day.month, day.day)
    paused.refresh_from_db()
    _withdraw(paused, caseworker_a)
    answer = _answer(paused)
    assert answer.due_date == datetime.date(2026, 10, 12)
    assert answer.closed_late is late
    assert _october(paused) == ((1, 0) if late else (0, 0))
    assert _page_says_late(client, paused, caseworker_a) is late
