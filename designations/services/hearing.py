"""The prior notice, statements, defences and hearings (R-DES-1, R-DES-3)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from creditportal import deadlines, documents
from creditportal.audit import record_event, tracked_save
from creditportal.choices import DayCount
from creditportal.dates import check_event_date

from ..choices import StatementKind
from ..models import Designation, Hearing, Statement
from ..workflow import DESIGNATION
from .common import (
    _act,
    _check,
    _lock,
    profile,
)


@transaction.atomic
def designation_issue_notice(
    *,
    designation: Designation,
    actor,
    reason: str,
    statement_period_wd: int | None = None,
    now=None,
    expected_version=None,
    languages: str = "zh-hans",
) -> Designation:
    """R-DES-1: the prior notice states facts, reasons, basis, proposed measures and the subject's rights."""

    def set_period(d):
        if statement_period_wd:
            d.statement_period_wd = statement_period_wd

    designation = _act(
        designation,
        "issue_notice",
        actor=actor,
        reason=reason,
        now=now,
        expected_version=expected_version,
        prepare=set_period,
    )
    documents.document_issue(
        case=designation,
        kind="notice",
        department=designation.department,
        actor=actor,
        reason=reason,
        now=now,
        languages=languages,
    )
    return designation


@transaction.atomic
def designation_serve_notice(
    *,
    designation: Designation,
    actor,
    reason: str,
    method: str,
    served_on: datetime.date,
    recipient: str,
    proof=None,
    now=None,
    expected_version=None,
) -> Designation:
    """Record the notice's service; the statement and defence period starts the next working day."""
    designation = _act(
        designation, "serve_notice", actor=actor, reason=reason, now=now, expected_version=expected_version
    )
    period = designation.statement_period_wd
    if period is None:  # the notice states the period when it is issued (R-DES-1): never missing here
        raise RuntimeError(f"Designation {designation.pk} was noticed without a statement period.")
    documents.service_record_add(
        document=designation.notice_document(),
        method=method,
        served_on=served_on,
        recipient=recipient,
        proof=proof,
        actor=actor,
        reason=reason,
        now=now,
    )
    deadlines.deadline_open(
        case=designation,
        department=designation.department,
        rule_id="R-DES-1",
        article=law.cite("R-DES-1") if (law := profile()) else "",
        anchor_event=gettext_noop("prior notice served"),
        anchor_date=served_on,
        days=period,
        unit=DayCount.WORKING_DAYS,
        actor=actor,
        reason=reason,
    )
    return designation


def notice_served_on(designation: Designation) -> datetime.date | None:
    """The day the prior notice reached the subject (what statements, waivers and hearings answer)."""
    notice = designation.notice_document()
    service = notice.services.order_by("served_on").first() if notice else None
    return service.served_on if service else None


@transaction.atomic
def designation_record_statement(
    *,
    designation: Designation,
    actor,
    kind: str,
    received_on: datetime.date,
    text: str,
    reason: str,
    file=None,
    now=None,
    considered: str = "",
    adopted: bool | None = None,
) -> Statement:
    """A written statement, defence or waiver, after the notice and before the decision (R-DES-1); received
    neither in the future nor before the notice was served. ``considered``/``adopted``: how the department
    weighed it (the decision says whether it was adopted, and why)."""
    designation = _lock(designation, None)
    _check(designation, "record_statement", actor=actor, now=now)
    check_event_date(
        received_on,
        field="received_on",
        now=now,
        label=_("The date the waiver was signed")
        if kind == StatementKind.WAIVER
        else _("The date the statement was received"),
        not_before=notice_served_on(designation),
        cause=_("the notice was served"),
    )
    if kind == StatementKind.WAIVER and not file:
        raise ValidationError(
            {
                "file": _(
                    "A waiver of statement and defence is accepted only in writing: attach the "
                    "subject's signed waiver (R-DES-1)."
                )
            }
        )
    statement = Statement(
        designation=designation,
        department=designation.department,
        kind=kind,
        received_on=received_on,
        text=text,
        considered=considered,
        adopted=adopted,
    )
    if file:
        statement.file = file
    tracked_save(statement, actor=actor, reason=reason)
    record_event(action=f"designations.designation.{kind}_recorded", actor=actor, target=designation, reason=reason)
    return statement


@transaction.atomic
def designation_consider_statement(
    *, statement: Statement, actor, adopted: bool, considered: str, reason: str, now=None
) -> Statement:
    """How the department weighed a statement or defence: adopted or not, and why (R-DES-1; the decision
    states it, R-DES-5). Only before the approval: after it, nothing the subject said is re-weighed."""
    designation = _lock(statement.designation, None)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    _check(designation, "record_statement", actor=actor, now=now)
    if statement.kind == StatementKind.WAIVER:
        raise ValidationError(_("A waiver is not weighed: the subject gave up the right to state and defend."))
    if not considered.strip():
        raise ValidationError({"considered": _("Say why the statement or defence was or was not adopted.")})
    statement.adopted, statement.considered = adopted, considered
    tracked_save(statement, actor=actor, reason=reason)
    record_event(
        action="designations.designation.statement_considered",
        actor=actor,
        target=designation,
        reason=reason,
        data={"statement": statement.pk, "adopted": adopted},
    )
    return statement


@transaction.atomic
def designation_schedule_hearing(
    *, designation: Designation, actor, scheduled_at, place: str, chaired_by, reason: str, now=None
) -> Hearing:
    """R-DES-3 (HN 21): a hearing when necessary, after the notice was served and before the approval."""
    designation = _lock(designation, None)
    _check(designation, "schedule_hearing", actor=actor, now=now)
    served = notice_served_on(designation)
    if served and timezone.localdate(scheduled_at) < served:
        raise ValidationError(
            {
                "scheduled_at": _("A hearing cannot be scheduled before the notice was served (%(date)s).")
                % {"date": served.isoformat()}
            }
        )
    hearing = Hearing(
        designation=designation,
        department=designation.department,
        scheduled_at=scheduled_at,
        place=place,
        chaired_by=chaired_by,
    )
    tracked_save(hearing, actor=actor, reason=reason)
    record_event(
        action="designations.designation.hearing_scheduled",
        actor=actor,
        target=designation,
        reason=reason,
        data={"at": scheduled_at.isoformat(), "place": place},
    )
    return hearing


@transaction.atomic
def designation_record_hearing(
    *, hearing: Hearing, actor, held_at, minutes: str, reason: str, minutes_file=None, now=None
) -> Hearing:
    """The minutes of a hearing that took place: not in the future, not before the day it was scheduled for;
    nothing about a hearing changes once the case is approved (R-DES-3)."""
    designation = _lock(hearing.designation, None)
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    _check(designation, "record_hearing", actor=actor, now=now)
    check_event_date(
        held_at,
        field="held_at",
        label=_("The time the hearing was held"),
        now=now,
        not_before=timezone.localdate(hearing.scheduled_at),
        cause=_("the day it was scheduled for"),
    )
    hearing.held_at, hearing.minutes = held_at, minutes
    if minutes_file:
        hearing.minutes_file = minutes_file
    tracked_save(hearing, actor=actor, reason=reason)
    record_event(action="designations.designation.hearing_held", actor=actor, target=hearing.designation, reason=reason)
    return hearing


@transaction.atomic
def designation_close_statements(
    *, designation: Designation, actor, reason: str, now=None, expected_version=None
) -> Designation:
    designation = _act(
        designation, "close_statements", actor=actor, reason=reason, now=now, expected_version=expected_version
    )
    deadline = designation.statement_deadline()
    if deadline is not None:
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=reason, now=now)
    return designation


def statement_period_expired(*, deadline, actor, today) -> None:
    """Celery beat: the period has run out; the case moves to review as the system user."""
    designation = Designation.objects.get(pk=deadline.object_id)
    if DESIGNATION.can(designation, "close_statements", actor=actor, today=today) is None:
        designation_close_statements(
            designation=designation,
            actor=actor,
            now=deadlines.sweep_time(today),
            reason=_("Statement and defence period ended (R-DES-1)"),
        )
    else:
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=_("No longer running"))
