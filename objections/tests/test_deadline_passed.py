"""Issue 18: a deadline that has passed stays passed (R-OBJ-3, R-OBJ-4).

An extension, a pause or another unit's help is granted only before the answer deadline it changes; a pause starts
no earlier than the day it is recorded; a missed deadline stays missed (and escalated) whatever happens after, a
withdrawal included; lateness is computed from the days, never typed. Each attack is taken the way the product
offers it (the case page's acts, then the service), on the days of the story (``on``).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from creditportal import deadlines
from creditportal.models import DeadlineExtension
from creditportal.monitoring import deadline_escalations_send, on_time_by_month
from objections import services
from objections.workflow import OBJECTION

PASSED = "passed on 2026-10-12 and stays passed"


def _answer(objection):
    return services.answer_deadline(objection)


def _offered(objection, actor) -> dict:
    """What the case page offers ``actor`` among the clock's acts: act → why it cannot be taken now (None: it can)."""
    names = ("request_extension", "extend", "pause", "request_assistance")
    offers = OBJECTION.offered(objection, actor=actor, names=names, **services.guard_context(objection))
    return {o.transition.name: o.refusal for o in offers}


def test_r_obj_3_an_extension_is_requested_and_approved_only_before_the_answer_deadline(
    receive, caseworker_a, supervisor_a, on
):
    """HN 30: requested on time, but the person responsible answers after the deadline: the approval is refused
    and the deadline stays 12 October, missed. A request made after it is refused too."""
    on(2026, 9, 28)
    objection = receive(label_now=True)
    services.objection_request_extension(
        objection=objection, actor=caseworker_a, days=5, grounds="卷宗需从档案室调取", reason="申请延期"
    )
    on(2026, 10, 13)
    objection.refresh_from_db()
    assert PASSED in _offered(objection, supervisor_a)["extend"]
    with pytest.raises(ValidationError, match=PASSED):
        services.objection_extend(objection=objection, actor=supervisor_a, reason="同意延期")
    assert not DeadlineExtension.objects.exists()
    services.objection_refuse_extension(objection=objection, actor=supervisor_a, refusal="期限已过", reason="x")
    objection.refresh_from_db()
    assert PASSED in _offered(objection, caseworker_a)["request_extension"]
    with pytest.raises(ValidationError, match=PASSED):
        services.objection_request_extension(
            objection=objection, actor=caseworker_a, days=2, grounds="补充材料", reason="再次申请"
        )
    objection.refresh_from_db()
    assert objection.due_date == _answer(objection).due_date == datetime.date(2026, 10, 12)
    assert objection.extension_requested_at is None


def test_r_obj_3_the_help_of_another_unit_asked_after_the_deadline_does_not_move_it(
    receive, caseworker_a, dept_b, settings, on
):
    """HL 39: asked in time, another unit's help lengthens the answer deadline to 7 WD; asked after the 3 WD have
    passed, it would revive a missed deadline: refused, and no clock is opened for the other unit."""
    settings.CREDIT_JURISDICTION = "HL"
    on(2026, 9, 28)
    objection = receive(label_now=True)
    assert objection.due_date == datetime.date(2026, 9, 30)
    on(2026, 10, 8)
    refusal = _offered(objection, caseworker_a)["request_assistance"]
    assert "passed on 2026-09-30 and stays passed" in refusal
    with pytest.raises(ValidationError, match="passed on 2026-09-30"):
        services.objection_request_assistance(
            objection=objection, actor=caseworker_a, assisting_department=dept_b, request="请核实", reason="x"
        )
    objection.refresh_from_db()
    assert objection.state == "verifying" and objection.due_date == datetime.date(2026, 9, 30)
    assert not deadlines.deadlines_of(objection).filter(department=dept_b).exists()


def test_r_obj_4_a_pause_starts_no_earlier_than_the_day_it_is_recorded_and_never_after_the_deadline(
    receive, caseworker_a, settings, on
):
    """HL 39: the days of an appraisal do not count, from the day the pause is recorded: a pause backdated to a day
    already counted is refused; once the deadline has passed, no pause is possible at all."""
    settings.CREDIT_JURISDICTION = "HL"
    on(2026, 9, 30)
    objection = receive(label_now=True)
    pause = {"objection": objection, "actor": caseworker_a, "pause_reason": "appraisal", "reason": "送鉴定"}
    with pytest.raises(ValidationError, match="cannot be before the pause is recorded"):
        services.objection_pause(paused_from=datetime.date(2026, 9, 29), **pause)
    assert not _answer(objection).pauses.exists()
    on(2026, 10, 9)
    assert "passed on 2026-09-30 and stays passed" in _offered(objection, caseworker_a)["pause"]
    with pytest.raises(ValidationError, match="passed on 2026-09-30"):
        services.objection_pause(paused_from=datetime.date(2026, 10, 9), **pause)
    answer = _answer(objection)
    assert answer.status == "open" and answer.due_date == datetime.date(2026, 9, 30) and not answer.pauses.exists()


def test_r_obj_3_a_missed_deadline_is_never_moved_and_stays_escalated(receive, caseworker_a, supervisor_a, on):
    """Whatever asks for it (an extension written past the workflow, a calendar reload), a recompute never moves a
    due date that has passed, and the escalation already sent stays on record."""
    on(2026, 9, 28)
    objection = receive(label_now=True)
    supervisor_a.email = "supervisor@hk.example"
    supervisor_a.save(update_fields=["email"])
    on(2026, 10, 14)
    assert deadline_escalations_send(today=timezone.localdate(), now=timezone.now())["sent"] == 1
    answer = _answer(objection)
    assert answer.escalated_at is not None
    DeadlineExtension.objects.create(deadline=answer, days=5, approved_by=supervisor_a, reason="事后补批")
    with pytest.raises(ValidationError, match=PASSED):
        deadlines.deadline_recompute(deadline=answer, actor=supervisor_a, reason="Recomputed")
    answer.refresh_from_db()
    assert answer.due_date == datetime.date(2026, 10, 12) and answer.escalated_at is not None
    # Before it passed, the same recompute moves it (and the later date gets its own reminder and escalation).
    moved = deadlines.deadline_recompute(
        deadline=answer, actor=supervisor_a, reason="Recomputed", today=datetime.date(2026, 10, 12)
    )
    assert moved.due_date == datetime.date(2026, 10, 19) and moved.escalated_at is None


def test_r_obj_3_a_withdrawal_after_the_deadline_leaves_it_missed(client, receive, caseworker_a, dept_a, on):
    """The applicant withdraws in writing after the answer deadline passed: the clocks are cancelled, but the
    answer clock stays missed on the case page and in the department's on-time rate."""
    on(2026, 9, 28)
    objection = receive(label_now=True)
    on(2026, 10, 20)
    services.objection_withdraw(
        objection=objection,
        actor=caseworker_a,
        reason="申请人书面撤回",
        withdrawal_received_on=timezone.localdate(),
        withdrawal_document=ContentFile(b"%PDF-1.4 signed", name="withdrawal.pdf"),
    )
    answer = _answer(objection) or deadlines.deadlines_of(objection).get(rule_id="R-OBJ-3")
    assert answer.status == "cancelled" and answer.closed_late
    october = next(
        m
        for m in on_time_by_month(deadlines.deadlines_of(objection), today=timezone.localdate())
        if m.start == datetime.date(2026, 10, 1)
    )
    assert (october.closed, october.on_time) == (1, 0)
    client.force_login(caseworker_a)
    html = client.get(reverse("objection_detail", args=[objection.pk])).content.decode()
    assert 'clock-late">late</span>' in html
