"""The prior notice, statements, defences and hearings (R-DES-1, R-DES-3)."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from creditportal import deadlines, documents
from creditportal.audit import record_event, tracked_save
from creditportal.choices import DayCount
from creditportal.workflow import TransitionRefused

from ..choices import DesignationState, StatementKind
from ..models import Designation, Hearing, Statement
from .common import (
    _act,
    _lock,
    _require,
)


@transaction.atomic
def designation_issue_notice(*, designation: Designation, actor, reason: str, statement_period_wd: int | None = None,
                             now=None, expected_version=None) -> Designation:
    """R-DES-1: the prior notice states facts, reasons, basis, proposed measures and the subject's rights."""
    def set_period(d):
        if statement_period_wd:
            d.statement_period_wd = statement_period_wd

    designation = _act(designation, "issue_notice", actor=actor, reason=reason, now=now,
                       expected_version=expected_version, prepare=set_period)
    documents.document_issue(case=designation, kind="notice", department=designation.department, actor=actor,
                             reason=reason, now=now)
    return designation


@transaction.atomic
def designation_serve_notice(*, designation: Designation, actor, reason: str, method: str,
                             served_on: datetime.date, recipient: str, proof=None, now=None,
                             expected_version=None) -> Designation:
    """Record the notice's service; the statement and defence period starts the next working day."""
    designation = _act(designation, "serve_notice", actor=actor, reason=reason, now=now,
                       expected_version=expected_version)
    documents.service_record_add(document=designation.notice_document(), method=method, served_on=served_on,
                                 recipient=recipient, proof=proof, actor=actor, reason=reason)
    deadlines.deadline_open(
        case=designation, department=designation.department, rule_id="R-DES-1", article="HN 21 / HL 35",
        anchor_event=gettext_noop("prior notice served"), anchor_date=served_on, days=designation.statement_period_wd,
        unit=DayCount.WORKING_DAYS, actor=actor, reason=reason)
    return designation


@transaction.atomic
def designation_record_statement(*, designation: Designation, actor, kind: str, received_on: datetime.date,
                                 text: str, reason: str, file=None) -> Statement:
    """A written statement, defence or waiver, while the designation is being decided (R-DES-1)."""
    designation = _lock(designation, None)
    _require(actor, designation, "submit")
    if designation.state not in {DesignationState.NOTIFIED, DesignationState.UNDER_REVIEW,
                                 DesignationState.AWAITING_APPROVAL}:
        raise TransitionRefused(_("Statements are recorded after the notice and before the decision; the "
                                  "designation is “%(state)s”.") % {"state": designation.get_state_display()})
    if kind == StatementKind.WAIVER and not file:
        raise ValidationError({"file": _("A waiver of statement and defence is accepted only in writing: attach the "
                                         "subject's signed waiver (R-DES-1).")})
    statement = Statement(designation=designation, department=designation.department, kind=kind,
                          received_on=received_on, text=text)
    if file:
        statement.file = file
    tracked_save(statement, actor=actor, reason=reason)
    record_event(action=f"designations.designation.{kind}_recorded", actor=actor, target=designation, reason=reason)
    return statement


@transaction.atomic
def designation_schedule_hearing(*, designation: Designation, actor, scheduled_at, place: str, chaired_by,
                                 reason: str) -> Hearing:
    """R-DES-3 (HN 21): a hearing when necessary."""
    designation = _lock(designation, None)
    _require(actor, designation, "submit")
    if designation.state not in {DesignationState.NOTIFIED, DesignationState.UNDER_REVIEW}:
        raise TransitionRefused(_("A hearing is held after the notice and before the approval."))
    hearing = Hearing(designation=designation, department=designation.department, scheduled_at=scheduled_at,
                      place=place, chaired_by=chaired_by)
    tracked_save(hearing, actor=actor, reason=reason)
    record_event(action="designations.designation.hearing_scheduled", actor=actor, target=designation,
                 reason=reason, data={"at": scheduled_at.isoformat(), "place": place})
    return hearing


@transaction.atomic
def designation_record_hearing(*, hearing: Hearing, actor, held_at, minutes: str, reason: str,
                               minutes_file=None) -> Hearing:
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    _require(actor, hearing.designation, "submit")
    hearing.held_at, hearing.minutes = held_at, minutes
    if minutes_file:
        hearing.minutes_file = minutes_file
    tracked_save(hearing, actor=actor, reason=reason)
    record_event(action="designations.designation.hearing_held", actor=actor, target=hearing.designation,
                 reason=reason)
    return hearing


@transaction.atomic
def designation_close_statements(*, designation: Designation, actor, reason: str, now=None,
                                 expected_version=None) -> Designation:
    designation = _act(designation, "close_statements", actor=actor, reason=reason, now=now,
                       expected_version=expected_version)
    deadline = designation.statement_deadline()
    if deadline is not None:
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=reason, now=now)
    return designation


def statement_period_expired(*, deadline, actor) -> None:
    """Celery beat: the period has run out; the case moves to review as the system user."""
    designation = Designation.objects.get(pk=deadline.object_id)
    if designation.state == DesignationState.NOTIFIED:
        designation_close_statements(designation=designation, actor=actor,
                                     reason=_("Statement and defence period ended (R-DES-1)"))
    else:
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=_("No longer running"))
