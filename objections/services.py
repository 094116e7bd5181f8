"""Writes of the objections app. Objections to a designation (R-DES-2); the designation itself is changed
only through the designations app's services."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from creditportal import deadlines
from creditportal.audit import record_event, tracked_save
from creditportal.choices import DayCount
from creditportal.dates import check_event_date
from creditportal.profiles import current_profile, required_value
from designations import services as designation_services
from designations.choices import RemovalReason

from .choices import ObjectionOutcome
from .models import Objection
from .workflow import OBJECTION


def designation_objection_days() -> tuple[int, str, str, str]:
    """Days to decide an objection to a designation: the profile's (HL 35: 3 WD); where the regulation sets
    none (HN 21: "within the designated time"), the profile's general objection deadline, said so."""
    profile = current_profile()
    if profile and profile.designation_objection_wd:
        return (
            profile.designation_objection_wd,
            DayCount.WORKING_DAYS,
            "R-DES-2",
            profile.sources.get("designation_objection_wd", ""),
        )
    days = required_value("objection_answer_days", profile=profile)
    unit = required_value("objection_answer_unit", profile=profile)  # HB 29: 15 (calendar) days
    return days, unit, "R-DES-2", _("not set by this regulation; the general objection deadline applies (R-OBJ-3)")


@transaction.atomic
def designation_objection_receive(
    *, designation, actor, ground: str, grounds_text: str, received_at: datetime.datetime, reason: str, evidence=None
) -> Objection:
    """A subject objects to a pending or made designation (R-DES-2, R-OBJ-1): the clock starts on receipt.

    Received only while the designation can be objected to (its notice is out and it still stands: not a
    withdrawn, rejected or removed case), under a row lock on the designation, and never dated in the future
    or before the notice was issued."""
    designation = designation_services.designation_check_act(
        designation=designation, act="receive_objection", actor=actor
    )
    notice = designation.notice_document()
    check_event_date(
        received_at,
        field="received_at",
        label=_("The time the objection was received"),
        not_before=notice.issued_at if notice else None,
        cause=_("the notice was issued"),
    )
    objection = Objection(
        department=designation.department,
        subject=designation.subject,
        designation=designation,
        ground=ground,
        grounds_text=grounds_text,
        received_at=received_at,
    )
    if evidence:
        objection.evidence = evidence
    days, unit, rule, article = designation_objection_days()
    received_on = timezone.localdate(received_at)
    tracked_save(objection, actor=actor, reason=reason)
    deadline = deadlines.deadline_open(
        case=objection,
        department=objection.department,
        rule_id=rule,
        article=article,
        anchor_event=gettext_noop("objection received"),
        anchor_date=received_on,
        days=days,
        unit=unit,
        actor=actor,
        reason=reason,
    )
    objection.due_date = deadline.due_date
    tracked_save(objection, actor=actor, reason=reason)
    record_event(
        action="designations.designation.objection_received",
        actor=actor,
        target=designation,
        reason=reason,
        data={"objection": objection.pk, "due": deadline.due_date.isoformat()},
    )
    return objection


@transaction.atomic
def designation_objection_decide(
    *, objection: Objection, actor, sustained: bool, reasons: str, reason: str, now=None
) -> Objection:
    """R-DES-2 (HL 35): adopted → the designation is withdrawn, or removed from the list and its measures
    stop; not adopted → the reasons are given."""
    now = now or timezone.now()
    objection = Objection.objects.select_for_update(of=("self",)).select_related("designation").get(pk=objection.pk)
    designation = objection.designation
    if designation is None:  # callers pass objections to a designation; one to a record is decided elsewhere
        raise ValueError(f"Objection {objection.pk} is not an objection to a designation.")
    designation_services.designation_check_act(designation=designation, act="decide_objection", actor=actor, now=now)
    OBJECTION.apply(objection, "decide", sustained=sustained, reasons=reasons)
    objection.outcome = ObjectionOutcome.SUSTAINED if sustained else ObjectionOutcome.NOT_SUSTAINED
    objection.reasons, objection.decided_by, objection.decided_at = reasons, actor, now
    tracked_save(objection, actor=actor, reason=reason)
    for deadline in deadlines.deadlines_of(objection).filter(status="open"):
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=reason, now=now)
    late = bool(objection.due_date and timezone.localdate(now) > objection.due_date)
    record_event(
        action="designations.designation.objection_decided",
        actor=actor,
        target=designation,
        reason=reasons,
        at=now,
        data={"objection": objection.pk, "sustained": sustained, "late": late},
    )
    if sustained:
        text = _("Objection #%(id)s adopted: %(reasons)s") % {"id": objection.pk, "reasons": reasons}
        workflow, today = designation_services.DESIGNATION, timezone.localdate(now)
        if (
            workflow.can(
                designation, "remove", actor=actor, today=today, removal_reason=RemovalReason.OBJECTION_ADOPTED
            )
            is None
        ):
            designation_services.designation_remove(
                designation=designation,
                actor=actor,
                reason=text,
                removal_reason=RemovalReason.OBJECTION_ADOPTED,
                now=now,
            )
        elif workflow.can(designation, "withdraw", actor=actor, today=today) is None:
            designation_services.designation_withdraw(designation=designation, actor=actor, reason=text, now=now)
    return objection
