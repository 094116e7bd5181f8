"""Writes of the objections app: every objection (to a credit record, a designation or a subject's identifying
data) and every complaint about a non-public information collector, from receipt to the served response letter
(R-OBJ-1 to R-OBJ-7; for designations R-DES-2).

Each service locks the objection, checks the declared act (objections/workflow.py) with its permission, state
and guards, saves with actor and reason, and writes a timeline event ``objections.objection.<act>``. What an
objection does to its target goes through the target app's own services (subjects: the record's correction,
deletion, suspension and the "under objection" label; designations: withdrawal or removal).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from creditportal import deadlines, documents
from creditportal.audit import record_event, tracked_save
from creditportal.cases.workflow import lock_case
from creditportal.choices import DayCount, DeadlineStatus, DepartmentKind, DepartmentLevel, DocumentKind
from creditportal.citations import for_people
from creditportal.dates import check_event_date
from creditportal.models import Deadline, DeadlineExtension, DeadlinePause, Department
from creditportal.permissions import department_ids_for
from creditportal.profiles import current_profile, profile_on, required_value
from designations import services as designation_services
from designations.choices import RemovalReason
from designations.workflow import ENDED as DESIGNATION_ENDED
from subjects import services as subject_services
from subjects.choices import RecordEndCause, RecordStatus
from subjects.workflow import RECORD

from .choices import ObjectionKind, ObjectionOutcome, ObjectionTarget, RecordRemedy
from .models import Objection
from .workflow import ANSWER_RULES, LABELLED, OBJECTION, OPEN

# --- the clocks ----------------------------------------------------------------------------------------------


def _article(profile, field: str) -> str:
    return (profile.sources or {}).get(field, "") if profile else ""


def answer_period(objection: Objection, profile=None) -> tuple[int, str, str, str]:
    """(days, unit, rule, article) of the answer deadline for this objection under the deployment's profile:
    a complaint R-OBJ-7 (HL 41: 20 WD); an objection to a designation R-DES-2 (HL 35: 3 WD, else the general
    deadline); any other objection R-OBJ-3 (HN 7 WD, HL 3 WD, HB 15 days, XJ 7 WD)."""
    profile = profile or current_profile()
    if objection.kind == ObjectionKind.COMPLAINT:
        return (
            required_value("complaint_answer_wd", profile=profile),
            DayCount.WORKING_DAYS,
            "R-OBJ-7",
            _article(profile, "complaint_answer_wd"),
        )
    if objection.target == ObjectionTarget.DESIGNATION:
        return designation_objection_days(profile)
    return (
        required_value("objection_answer_days", profile=profile),
        required_value("objection_answer_unit", profile=profile),
        "R-OBJ-3",
        _article(profile, "objection_answer_days"),
    )


def objections_changed_by(candidate):
    """R-NAT-6: the open objections whose answer deadline a draft rule set of the province would move — those
    received on or after its date (an objection keeps the values of the day it was received). Yields (objection,
    old due date, new due date)."""
    from creditportal.models.rules import RuleLayer

    from .workflow import OPEN

    if candidate.layer != RuleLayer.PROVINCE:
        return
    since = timezone.make_aware(datetime.datetime.combine(candidate.effective_from, datetime.time.min))
    open_objections = (
        Objection.objects.filter(state__in=sorted(OPEN), received_at__gte=since, due_date__isnull=False)
        .select_related("subject")
        .order_by("received_at", "pk")
    )
    for objection in open_objections.iterator(chunk_size=500):
        deadline = answer_deadline(objection)
        if deadline is None:
            continue
        profile = profile_on(timezone.localdate(objection.received_at), candidate=candidate)
        days, unit, _rule, _article = answer_period(objection, profile)
        due = deadlines.due_under(deadline, days=days, unit=unit)
        if due != deadline.due_date:
            yield objection, deadline.due_date, due


def designation_objection_days(profile=None) -> tuple[int, str, str, str]:
    """Days to decide an objection to a designation: the profile's (HL 35: 3 WD); where the regulation sets
    none (HN 21: "within the designated time"), the profile's general objection deadline, said so."""
    profile = profile if profile is not None else current_profile()
    if profile and profile.designation_objection_wd:
        return (
            profile.designation_objection_wd,
            DayCount.WORKING_DAYS,
            "R-DES-2",
            _article(profile, "designation_objection_wd"),
        )
    days = required_value("objection_answer_days", profile=profile)
    unit = required_value("objection_answer_unit", profile=profile)  # HB 29: 15 (calendar) days
    return days, unit, "R-DES-2", _("not set by this regulation; the general objection deadline applies (R-OBJ-3)")


def answer_deadline(objection: Objection) -> Deadline | None:
    """The answering department's clock (the one the applicant is promised)."""
    return (
        deadlines.deadlines_of(objection)
        .filter(rule_id__in=ANSWER_RULES, department_id=objection.department_id)
        .exclude(status=DeadlineStatus.CANCELLED)
        .order_by("pk")
        .first()
    )


def _answer_locked(objection: Objection) -> Deadline:
    deadline = answer_deadline(objection)
    if deadline is None:
        raise ValidationError(_("This objection has no answer deadline."), code="no_deadline")
    return Deadline.objects.select_for_update().get(pk=deadline.pk)


def _running(objection: Objection, *rules: str, department_id=None) -> list[Deadline]:
    qs = deadlines.deadlines_of(objection).filter(status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED])
    if rules:
        qs = qs.filter(rule_id__in=rules)
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    return list(qs.select_for_update())


def open_pause(objection: Objection) -> DeadlinePause | None:
    deadline = answer_deadline(objection)
    if deadline is None:
        return None
    return deadline.pauses.filter(paused_until__isnull=True).order_by("-pk").first()


def guard_context(objection: Objection, **extra) -> dict:
    """What the workflow's guards read: the profile, the day (an act's own ``today`` when it has a ``now``), the answer
    clock and whether it is paused, the letter, extensions."""
    deadline = answer_deadline(objection)
    granted = sum(deadline.extensions.values_list("days", flat=True)) if deadline else 0
    return {
        "profile": current_profile(),
        "today": timezone.localdate(),
        "answer": deadline,
        "paused": open_pause(objection) is not None,
        "letter": response_letter(objection),
        "granted": granted,
        "base": deadline.days if deadline else 0,
        **extra,
    }


def _close_clocks(
    objection: Objection, *, actor, reason: str, now, rules=(), status=DeadlineStatus.MET, keep_answer: bool = False
) -> None:
    """End the running clocks (of ``rules``, or all). ``keep_answer``: the answer clock runs on, because the
    applicant is answered only when the response letter is served (R-OBJ-3, R-OBJ-7, R-DES-2)."""
    for deadline in _running(objection, *rules):
        if keep_answer and deadline.rule_id in ANSWER_RULES and deadline.department_id == objection.department_id:
            continue
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=reason, status=status, now=now)


def _served_moment(served_on: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """When a letter served on ``served_on`` (recorded at ``now``) reached the applicant: the clock it answers is
    met on that day, so a letter served late counts as late however soon its service is recorded."""
    if served_on == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(served_on, datetime.time(12)))


# --- where a complaint goes (R-OBJ-7) -------------------------------------------------------------------------

#: The levels of the "municipal or county level people's governments' department in charge of social credit" that
#: receives and answers complaints about non-public information collectors (R-OBJ-7).
COMPLAINT_LEVELS = (DepartmentLevel.PREFECTURE, DepartmentLevel.COUNTY)


def handles_complaints(department: Department) -> bool:
    """A municipal or county department in charge of social credit (R-OBJ-7)."""
    return (
        department.is_active
        and department.kind == DepartmentKind.CREDIT_AUTHORITY
        and department.level in COMPLAINT_LEVELS
    )


def complaint_department(*, receiving: Department) -> Department:
    """The department that handles and answers a complaint about a non-public information collector received in
    ``receiving`` (R-OBJ-7): the municipal or county department in charge of social credit of its locality.

    The rule, one and only: the receiving department itself when it is a credit authority of prefecture or county
    level; otherwise the one active prefecture- or county-level credit authority recorded under the same people's
    government (``Department.government``: 海口市市场监督管理局 and 海口市发展和改革委员会 both under
    海口市人民政府). The department tree is not followed: a department's parent is its own sector one level up
    (海口市市场监督管理局 → 海南省市场监督管理局), not the credit authority of its locality, and a provincial credit
    authority does not answer complaints. No government recorded for the receiving department, no credit authority
    recorded under it, or more than one: refused, naming what the system administrator must record; nothing is
    guessed."""
    if handles_complaints(receiving):
        return receiving
    government = receiving.government.strip()
    if not government:
        raise ValidationError(
            _(
                "%(department)s has no people's government recorded, so the department in charge of social credit "
                "that handles complaints received there cannot be found (R-OBJ-7). The system administrator must "
                "record the people's government of %(department)s, and the municipal or county credit authority "
                "under it."
            )
            % {"department": receiving.display_name},
            code="no_government",
        )
    found = list(
        Department.objects.filter(
            kind=DepartmentKind.CREDIT_AUTHORITY, level__in=COMPLAINT_LEVELS, government=government, is_active=True
        ).order_by("code")[:5]
    )
    if not found:
        raise ValidationError(
            _(
                "No municipal or county department in charge of social credit is recorded for %(government)s: a "
                "complaint about a non-public information collector is handled and answered there (R-OBJ-7), so it "
                "cannot be received until the system administrator records that department (kind: credit "
                "authority; level: prefecture or county; people's government: %(government)s)."
            )
            % {"government": government},
            code="no_credit_authority",
        )
    if len(found) > 1:
        raise ValidationError(
            _(
                "Several departments in charge of social credit are recorded for %(government)s (%(departments)s): "
                "the complaint cannot be routed to one of them (R-OBJ-7). The system administrator must leave "
                "exactly one of them active."
            )
            % {"government": government, "departments": "、".join(d.display_name for d in found)},
            code="several_credit_authorities",
        )
    return found[0]


def _route_complaint(objection: Objection, *, receiving: Department, actor, reason: str, now) -> None:
    """The timeline says who received the complaint, in which department, when, and why it went to another one
    (R-OBJ-7): the event ``objections.objection.routed``, recorded in the receiving department."""
    authority = objection.department
    record_event(
        action="objections.objection.routed",
        actor=actor,
        target=objection,
        department=receiving,
        at=now,
        reason=for_people(
            _(
                "Received by %(receiving)s and routed to %(authority)s, the department in charge of social credit "
                "of %(government)s, which verifies, handles and answers complaints about non-public information "
                "collectors in writing (R-OBJ-7)."
            )
            % {"receiving": receiving.name, "authority": authority.name, "government": authority.government}
        ),
        data={
            "received_in": receiving.pk,
            "received_in_name": receiving.name,
            "routed_to": authority.pk,
            "routed_to_name": authority.name,
            "government": authority.government,
            "due": str(objection.due_date),
        },
    )


# --- the acts ------------------------------------------------------------------------------------------------


def _locked(objection: Objection, expected_version=None) -> Objection:
    return lock_case(Objection.objects.all(), objection.pk, expected_version=expected_version)


def _apply(objection: Objection, act: str, *, actor, **context) -> None:
    OBJECTION.apply(objection, act, actor=actor, **guard_context(objection, **context))


def _event(objection: Objection, act: str, *, actor, reason: str, now, **data) -> None:
    record_event(
        action=f"objections.objection.{act}",
        actor=actor,
        target=objection,
        reason=reason,
        at=now,
        data={"state": objection.state, **{k: str(v) for k, v in data.items()}},
    )


@transaction.atomic
def objection_receive(
    *,
    actor,
    subject,
    target: str,
    ground: str,
    grounds_text: str,
    received_at: datetime.datetime,
    applicant: str,
    reason: str,
    record=None,
    designation=None,
    applicant_contact: str = "",
    collector: str = "",
    evidence=None,
    label_now: bool = False,
    online: bool = False,
    now=None,
) -> Objection:
    """A written objection (R-OBJ-1) or complaint (R-OBJ-7) received by a caseworker: the clocks start on the day
    of receipt — the answer deadline (R-OBJ-3/R-OBJ-7), the label deadline (R-OBJ-2) and, in HB, the providing
    unit's report (R-OBJ-5). Received in the department that holds the target (the record's or designation's
    department; the subject's for identifying data), never dated in the future or before what it answers.
    ``label_now``: the caseworker labels the target at once (the same act as labelling later). ``online``: filed by
    the subject in its portal (``actor`` the system account; received the moment it is filed).

    A complaint is handled and answered by the municipal or county department in charge of social credit of the
    receiving department's locality (R-OBJ-7, ``complaint_department``): received elsewhere, it is the credit
    authority's complaint (its lists, its "My work", its clock) and the timeline records the routing; with no such
    department recorded the receipt is refused and nothing is written."""
    now = now or timezone.now()
    kind = ObjectionKind.COMPLAINT if target == ObjectionTarget.COLLECTOR else ObjectionKind.OBJECTION
    answering = record if target == ObjectionTarget.RECORD else designation if target == "designation" else subject
    if answering is None:
        raise ValidationError(_("Say which record or designation the objection is about."), code="no_target")
    # At the counter, a caseworker of the department that holds the information receives it; online (the subject
    # portal, issue 22), the subject files it itself and the department receives it as it arrives.
    if not online and answering.department_id not in department_ids_for(actor, "objections.add_objection"):
        raise PermissionDenied(_("Objections are received by the department that holds the information."))
    if (
        record is not None
        and record.subject_id != subject.pk
        or designation is not None
        and designation.subject_id != subject.pk
    ):
        raise ValidationError(_("The record or designation belongs to another subject."), code="other_subject")
    # only information still shown (or hidden at the subject's request) can be objected to: what can be corrected
    if target == ObjectionTarget.RECORD and record.status not in RECORD.sources_of("correct"):
        raise ValidationError(
            _("Record #%(id)s is %(status)s: there is nothing displayed to object to.")
            % {"id": record.pk, "status": record.get_status_display()},
            code="record_not_shown",
        )
    if target == ObjectionTarget.COLLECTOR and not collector.strip():
        raise ValidationError({"collector": _("Name the information collector the complaint is about.")})
    receiving = answering.department
    department = receiving
    if kind == ObjectionKind.COMPLAINT:
        required_value("complaint_answer_wd")  # a profile without the complaint deadline refuses first, naming it
        department = complaint_department(receiving=receiving)
    check_event_date(
        received_at,
        field="received_at",
        label=_("The time the objection was received"),
        now=now,
        not_before=timezone.make_aware(datetime.datetime.combine(record.determined_on, datetime.time.min))
        if record is not None
        else None,
        cause=_("the information objected to was determined"),
    )
    objection = Objection(
        department=department,
        kind=kind,
        target=target,
        subject=subject,
        record=record,
        designation=designation,
        applicant=applicant,
        applicant_contact=applicant_contact,
        collector=collector,
        ground=ground,
        grounds_text=grounds_text,
        received_at=received_at,
    )
    if evidence:
        objection.evidence = evidence
    tracked_save(objection, actor=actor, reason=reason)
    _open_clocks(objection, actor=actor, reason=reason)
    _event(objection, "received", actor=actor, reason=reason, now=now, due=objection.due_date, received_in=receiving.pk)
    if department != receiving:
        _route_complaint(objection, receiving=receiving, actor=actor, reason=reason, now=now)
    if label_now and kind == ObjectionKind.OBJECTION:
        objection = objection_label(objection=objection, actor=actor, reason=reason, now=now)
    return objection


def _open_clocks(objection: Objection, *, actor, reason: str) -> None:
    received_on = timezone.localdate(objection.received_at)
    profile = profile_on(received_on)  # R-NAT-6: the values in force on the day the objection was received
    days, unit, rule, article = answer_period(objection, profile)
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
    if objection.kind == ObjectionKind.OBJECTION and profile and profile.objection_label_wd:
        deadlines.deadline_open(
            case=objection,
            department=objection.department,
            rule_id="R-OBJ-2",
            article=_article(profile, "objection_label_wd"),
            anchor_event=gettext_noop("objection received"),
            anchor_date=received_on,
            days=profile.objection_label_wd,
            unit=DayCount.WORKING_DAYS,
            actor=actor,
            reason=reason,
        )
    if objection.target == ObjectionTarget.RECORD and profile and profile.suspend_when_provider_late:
        # R-OBJ-5 (HB 29): the providing unit reports its review by the answer deadline, or disclosure stops.
        deadlines.deadline_open(
            case=objection,
            department=objection.department,
            rule_id="R-OBJ-5",
            article=_article(profile, "suspend_when_provider_late"),
            anchor_event=gettext_noop("objection received"),
            anchor_date=received_on,
            days=days,
            unit=unit,
            actor=actor,
            reason=reason,
        )


def _set_label(objection: Objection, *, since, actor, reason: str) -> None:
    """R-OBJ-2: the target carries the label while one of its objections is labelled and undecided."""
    target = objection.target_object
    if target is None:
        return
    if since is None:
        same_target: dict[str, dict] = {
            "record": {"record": target},
            "designation": {"designation": target},
            "identity": {"target": ObjectionTarget.IDENTITY, "subject": target},
        }
        others = Objection.objects.filter(state__in=LABELLED, **same_target[objection.target]).exclude(pk=objection.pk)
        earliest = others.order_by("labelled_at").values_list("labelled_at", flat=True).first()
        since = earliest  # another labelled objection keeps the label on
    if objection.target == ObjectionTarget.DESIGNATION:
        designation_services.designation_objection_label(designation=target, actor=actor, reason=reason, since=since)
    else:
        subject_services.objection_label_set(target=target, actor=actor, reason=reason, since=since)


@transaction.atomic
def objection_label(*, objection: Objection, actor, reason: str, now=None, expected_version=None) -> Objection:
    """R-OBJ-2: the information is labelled "under objection" wherever it is shown until the objection is decided
    (within the profile's working days of receipt: a late label is an overdue deadline)."""
    now = now or timezone.now()
    objection = _locked(objection, expected_version)
    _apply(objection, "label", actor=actor)
    objection.labelled_at, objection.labelled_by = now, actor
    tracked_save(objection, actor=actor, reason=reason)
    _set_label(objection, since=now, actor=actor, reason=reason)
    _close_clocks(objection, actor=actor, reason=reason, now=now, rules=("R-OBJ-2",))
    _event(objection, "label", actor=actor, reason=reason, now=now)
    return objection


@transaction.atomic
def objection_accept(*, objection: Objection, actor, reason: str, now=None, expected_version=None) -> Objection:
    """R-OBJ-7: a complaint is taken up for verification."""
    now = now or timezone.now()
    objection = _locked(objection, expected_version)
    _apply(objection, "accept", actor=actor)
    tracked_save(objection, actor=actor, reason=reason)
    _event(objection, "accept", actor=actor, reason=reason, now=now)
    return objection


@transaction.atomic
def objection_request_assistance(
    *, objection: Objection, actor, assisting_department, request: str, reason: str, now=None, expected_version=None
) -> Objection:
    """R-OBJ-3 (HL 39): another unit must help verify. Where the profile says so, the answer deadline becomes the
    longer one (HL: 7 WD from receipt) and the assisting unit answers within its own (HL: 2 WD), on a clock in
    its own department that it sees in its queue."""
    now = now or timezone.now()
    objection = _locked(objection, expected_version)
    _apply(
        objection,
        "request_assistance",
        actor=actor,
        assisting_department=assisting_department,
        today=timezone.localdate(now),
    )
    if not request.strip():
        raise ValidationError({"request": _("Say what the assisting unit is asked to verify.")})
    objection.assisting_department = assisting_department
    objection.assistance_request, objection.assistance_requested_at = request, now
    objection.assistance_reply, objection.assistance_replied_at = "", None
    tracked_save(objection, actor=actor, reason=reason)
    profile = profile_on(timezone.localdate(objection.received_at))  # R-NAT-6: the answer's clock keeps its day
    deadline = answer_deadline(objection)
    if profile and profile.objection_answer_assisted_wd and deadline and deadline.rule_id == "R-OBJ-3":
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if deadline.days < profile.objection_answer_assisted_wd:
            deadline.days = profile.objection_answer_assisted_wd
            deadline.article = _article(profile, "objection_answer_assisted_wd") or deadline.article
            deadlines.deadline_recompute(
                deadline=deadline,
                actor=actor,
                reason=_("Another unit must help verify (R-OBJ-3)"),
                today=timezone.localdate(now),
            )
    if profile and profile.assisting_unit_answer_wd:
        deadlines.deadline_open(
            case=objection,
            department=assisting_department,
            rule_id="R-OBJ-3",
            article=_article(profile, "assisting_unit_answer_wd"),
            anchor_event=gettext_noop("assistance requested"),
            anchor_date=timezone.localdate(now),
            days=profile.assisting_unit_answer_wd,
            unit=DayCount.WORKING_DAYS,
            actor=actor,
            reason=reason,
        )
    _event(objection, "request_assistance", actor=actor, reason=reason, now=now, unit=assisting_department.pk)
    return objection


@transaction.atomic
def objection_reply_assistance(
    *, objection: Objection, actor, reply: str, reason: str, now=None, expected_version=None
) -> Objection:
    """The assisting unit answers the request for verification (R-OBJ-3, HL 39): its clock is met."""
    now = now or timezone.now()
    objection = _locked(objection, expected_version)
    _apply(objection, "reply_assistance", actor=actor)
    if not reply.strip():
        raise ValidationError({"reply": _("Write what the verification found.")})
    objection.assistance_reply, objection.assistance_replied_at = reply, now
    tracked_save(objection, actor=actor, reason=reason)
    for deadline in _running(objection, "R-OBJ-3", department_id=objection.assisting_department_id):
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=reason, now=now)
    _event(objection, "reply_assistance", actor=actor, reason=reason, now=now)
    return objection


@transaction.atomic
def objection_pause(
    *, objection: Objection, actor, pause_reason: str, paused_from: datetime.date, reason: str, now=None
) -> DeadlinePause:
    """R-OBJ-4 (HL 39): the time of an examination, testing, quarantine, evaluation or expert appraisal does not
    count: the answer deadline stops from ``paused_from`` until it is resumed, and its due date is recomputed."""
    now = now or timezone.now()
    objection = _locked(objection)
    _apply(objection, "pause", actor=actor, today=timezone.localdate(now))
    deadline = _answer_locked(objection)
    last = deadline.pauses.filter(paused_until__isnull=False).order_by("-paused_until").first()
    today = timezone.localdate(now)
    after_last = last.paused_until + datetime.timedelta(days=1) if last and last.paused_until else None
    # Issue 18: a pause starts no earlier than the day it is recorded (the time already counted stays counted),
    # and after the previous pause ended.
    check_event_date(
        paused_from,
        field="paused_from",
        label=_("The first day of the pause"),
        now=now,
        not_before=max(today, after_last) if after_last else today,
        cause=_("the previous pause ended")
        if after_last and after_last > today
        else _("the pause is recorded (time already counted cannot be paused afterwards)"),
    )
    pause = DeadlinePause(deadline=deadline, reason=pause_reason, paused_from=paused_from)
    tracked_save(pause, actor=actor, reason=reason)
    deadlines.deadline_recompute(deadline=deadline, actor=actor, reason=reason, today=timezone.localdate(now))
    _event(objection, "pause", actor=actor, reason=reason, now=now, why=pause_reason, since=paused_from)
    return pause


@transaction.atomic
def objection_resume(*, objection: Objection, actor, paused_until: datetime.date, reason: str, now=None) -> Deadline:
    """R-OBJ-4: the examination or appraisal is over (its last day is ``paused_until``): the clock runs again and
    the due date moves by the working days the pause covered."""
    now = now or timezone.now()
    objection = _locked(objection)
    _apply(objection, "resume", actor=actor)
    open_now = open_pause(objection)
    if open_now is None:  # the workflow's guard said so already; a concurrent resume got here first
        raise ValidationError(_("The clock is not paused."), code="not_paused")
    pause = DeadlinePause.objects.select_for_update().get(pk=open_now.pk)
    check_event_date(
        paused_until,
        field="paused_until",
        label=_("The last day of the pause"),
        now=now,
        not_before=pause.paused_from,
        cause=_("the pause began"),
    )
    pause.paused_until = paused_until
    tracked_save(pause, actor=actor, reason=reason)
    deadline = deadlines.deadline_recompute(
        deadline=Deadline.objects.select_for_update().get(pk=pause.deadline_id),
        actor=actor,
        reason=reason,
        today=timezone.localdate(now),
    )
    _event(objection, "resume", actor=actor, reason=reason, now=now, until=paused_until, due=deadline.due_date)
    return deadline


@transaction.atomic
def objection_request_extension(
    *, objection: Objection, actor, days: int, grounds: str, reason: str, now=None, expected_version=None
) -> Objection:
    """R-OBJ-3 (HN 30): the caseworker asks for more time (the working days and why); the request waits in the
    supervisors' "My work" until the person responsible approves or refuses it. The profile's cap is checked now
    and again at the approval; one request at a time."""
    now = now or timezone.now()
    objection = _locked(objection, expected_version)
    _apply(objection, "request_extension", actor=actor, days=days, grounds=grounds, today=timezone.localdate(now))
    objection.extension_requested_days, objection.extension_request_grounds = days, grounds.strip()
    objection.extension_requested_by, objection.extension_requested_at = actor, now
    tracked_save(objection, actor=actor, reason=reason)
    _event(objection, "request_extension", actor=actor, reason=grounds.strip(), now=now, days=days)
    return objection


def _clear_request(objection: Objection) -> None:
    objection.extension_requested_days, objection.extension_request_grounds = None, ""
    objection.extension_requested_by, objection.extension_requested_at = None, None


@transaction.atomic
def objection_extend(*, objection: Objection, actor, reason: str, now=None, expected_version=None) -> Deadline:
    """R-OBJ-3 (HN 30): the person responsible approves the extension the caseworker requested; the total never
    exceeds the profile's cap (HN: 15 WD), checked again now (an extension refused beyond it says what is left)."""
    now = now or timezone.now()
    objection = _locked(objection, expected_version)
    days = objection.extension_requested_days or 0
    _apply(objection, "extend", actor=actor, days=days, today=timezone.localdate(now))
    deadline = _answer_locked(objection)
    extension = DeadlineExtension(
        deadline=deadline, days=days, approved_by=actor, reason=objection.extension_request_grounds or reason
    )
    tracked_save(extension, actor=actor, reason=reason)
    requested_by = objection.extension_requested_by
    _clear_request(objection)
    tracked_save(objection, actor=actor, reason=reason)
    deadline = deadlines.deadline_recompute(
        deadline=deadline, actor=actor, reason=reason, today=timezone.localdate(now)
    )
    objection.refresh_from_db()  # the recompute updated its copy of the due date (and its version)
    _event(
        objection,
        "extend",
        actor=actor,
        reason=reason,
        now=now,
        days=days,
        due=deadline.due_date,
        requested_by=requested_by.pk if requested_by else "",
    )
    return deadline


@transaction.atomic
def objection_refuse_extension(
    *, objection: Objection, actor, refusal: str, reason: str, now=None, expected_version=None
) -> Objection:
    """R-OBJ-3: the person responsible refuses the extension requested, with reasons the caseworker reads on the
    case page (its timeline); the answer deadline stands."""
    now = now or timezone.now()
    objection = _locked(objection, expected_version)
    _apply(objection, "refuse_extension", actor=actor, refusal=refusal)
    days = objection.extension_requested_days
    _clear_request(objection)
    tracked_save(objection, actor=actor, reason=reason)
    _event(objection, "refuse_extension", actor=actor, reason=refusal.strip(), now=now, days=days)
    return objection


@transaction.atomic
def objection_refer(
    *, objection: Objection, actor, referred_to: str, reasons: str, reason: str, now=None, expected_version=None
) -> Objection:
    """R-OBJ-3 (HL 39): outside the unit's scope: referred to the competent unit, which the response letter names
    to the applicant. The label comes off (this unit does not decide it) and its clocks stop."""
    now = now or timezone.now()
    objection = _locked(objection, expected_version)
    _apply(objection, "refer", actor=actor, referred_to=referred_to)
    objection.referred_to, objection.reasons = referred_to.strip(), reasons
    objection.decided_by, objection.decided_at = actor, now
    _clear_request(objection)  # a pending extension request lapses with the decision
    tracked_save(objection, actor=actor, reason=reason)
    _set_label(objection, since=None, actor=actor, reason=reason)
    _resume_if_suspended(objection, actor=actor, reason=reason, now=now)
    _close_clocks(objection, actor=actor, reason=reason, now=now, keep_answer=True)
    _event(objection, "refer", actor=actor, reason=reason, now=now, to=referred_to)
    return objection


@transaction.atomic
def objection_decide(
    *,
    objection: Objection,
    actor,
    sustained: bool,
    reasons: str,
    reason: str,
    remedy: str = "",
    corrections: dict | None = None,
    designations_fall: bool = False,
    now=None,
    expected_version=None,
) -> Objection:
    """R-OBJ-6: sustained → the record is corrected or deleted (through its own service, with history), shared
    copies flagged for change within the profile's days, and a designation resting on it withdrawn or removed
    through the designation workflow (always when the record is deleted; when corrected, if the decider says its
    basis falls); not sustained → the decision not to correct, with reasons (HN 30). Either way the label comes
    off, the clocks stop (a late decision stays late on the record of its clock) and a response letter follows."""
    now = now or timezone.now()
    objection = _locked(objection, expected_version)
    if objection.target == ObjectionTarget.DESIGNATION:
        return designation_objection_decide(
            objection=objection, actor=actor, sustained=sustained, reasons=reasons, reason=reason, now=now
        )
    _apply(objection, "decide", actor=actor, sustained=sustained, reasons=reasons, remedy=remedy)
    objection.outcome = ObjectionOutcome.SUSTAINED if sustained else ObjectionOutcome.NOT_SUSTAINED
    objection.reasons, objection.decided_by, objection.decided_at = reasons, actor, now
    objection.record_remedy = remedy if sustained and objection.target == ObjectionTarget.RECORD else ""
    _clear_request(objection)  # a pending extension request lapses with the decision
    tracked_save(objection, actor=actor, reason=reason)
    _set_label(objection, since=None, actor=actor, reason=reason)
    _close_clocks(objection, actor=actor, reason=reason, now=now, keep_answer=True)
    text = _("Objection #%(id)s sustained: %(reasons)s") % {"id": objection.pk, "reasons": reasons}
    record = objection.record
    if sustained and record is not None:
        # What rests on the record ends by the one rule (subjects.endings → designations.services.endings).
        standing = {
            d.pk: (d, designation_services.ending_act(d))
            for d in record.designations.exclude(state__in=DESIGNATION_ENDED).order_by("pk")
        }
        if remedy == RecordRemedy.WITHDRAW:
            subject_services.record_withdraw(
                record=record, actor=actor, reason=text, cause=RecordEndCause.OBJECTION_SUSTAINED, now=now
            )
        else:
            subject_services.record_correct(
                record=record,
                actor=actor,
                reason=text,
                changes=corrections or {},
                now=now,
                basis_falls=designations_fall,
            )
        ended = set(
            record.designations.filter(pk__in=standing, state__in=DESIGNATION_ENDED).values_list("pk", flat=True)
        )
        fell = [standing[pk] for pk in sorted(ended)]
        if fell:  # the response letter tells the applicant (objections/pdf.py)
            record_event(
                action="objections.objection.designations_fell",
                actor=actor,
                target=objection,
                reason=text,
                at=now,
                data={"designations": [{"id": d.pk, "number": d.decision_number or "", "act": act} for d, act in fell]},
            )
    _resume_if_suspended(objection, actor=actor, reason=reason, now=now)
    late = bool(objection.due_date and timezone.localdate(now) > objection.due_date)
    _event(objection, "decide", actor=actor, reason=reasons, now=now, sustained=sustained, late=late)
    return objection


def _resume_if_suspended(objection: Objection, *, actor, reason: str, now) -> None:
    """R-OBJ-5: the providing unit has now reported (decided or referred): disclosure and inquiry resume."""
    record = objection.record
    if record is None:
        return
    record.refresh_from_db()
    if (
        record.status == RecordStatus.SUSPENDED
        and Objection.objects.filter(record=record, state__in=OPEN).exclude(pk=objection.pk).count() == 0
    ):
        subject_services.record_resume(record=record, actor=actor, reason=reason, now=now)


def provider_report_overdue(*, deadline, actor, today) -> None:
    """Celery beat, R-OBJ-5 (HB 29): the providing unit did not report its review in time: disclosure and inquiry
    of the record are suspended until it does (the decision resumes them)."""
    objection = Objection.objects.select_related("record").get(pk=deadline.object_id)
    now = deadlines.sweep_time(today)
    record = objection.record
    if objection.state in OPEN and record is not None and record.status == RecordStatus.ACTIVE:
        subject_services.record_suspend(
            record=record,
            actor=actor,
            reason=_("The providing unit did not report its review of objection #%(id)s in time (R-OBJ-5)")
            % {"id": objection.pk},
            now=now,
        )
    deadlines.deadline_close(deadline=deadline, actor=actor, reason=_("Acted on: disclosure suspended"), now=now)


@transaction.atomic
def objection_withdraw(
    *,
    objection: Objection,
    actor,
    reason: str,
    withdrawal_received_on: datetime.date | None = None,
    withdrawal_document=None,
    now=None,
    expected_version=None,
) -> Objection:
    """The applicant withdraws the objection, in writing (issue 18: the withdrawal is the applicant's act, so its
    written withdrawal is on file, received on a day that is neither in the future nor before the objection): the
    label comes off and the clocks are cancelled."""
    now = now or timezone.now()
    objection = _locked(objection, expected_version)
    _apply(objection, "withdraw", actor=actor)
    if withdrawal_received_on is None:
        raise ValidationError(
            {"withdrawal_received_on": _("Say when the applicant's written withdrawal was received.")}
        )
    if not withdrawal_document:
        raise ValidationError(
            {
                "withdrawal_document": _(
                    "Attach the withdrawal the applicant signed: an objection is withdrawn only by its applicant, "
                    "in writing (R-OBJ-1)."
                )
            }
        )
    check_event_date(
        withdrawal_received_on,
        field="withdrawal_received_on",
        label=_("The date the written withdrawal was received"),
        now=now,
        not_before=timezone.localdate(objection.received_at),
        cause=_("the objection was received"),
    )
    objection.withdrawal_received_on, objection.withdrawal_document = withdrawal_received_on, withdrawal_document
    _clear_request(objection)  # a pending extension request lapses with the objection
    tracked_save(objection, actor=actor, reason=reason)
    _set_label(objection, since=None, actor=actor, reason=reason)
    _resume_if_suspended(objection, actor=actor, reason=reason, now=now)
    _close_clocks(objection, actor=actor, reason=reason, now=now, status=DeadlineStatus.CANCELLED)
    _event(objection, "withdraw", actor=actor, reason=reason, now=now)
    return objection


def response_letter(objection: Objection):
    return (
        documents.documents_of(objection)
        .filter(kind=DocumentKind.RESPONSE_LETTER, superseded_by__isnull=True)
        .order_by("-pk")
        .first()
        if objection.pk
        else None
    )


@transaction.atomic
def objection_issue_answer(*, objection: Objection, actor, reason: str, now=None, english: bool = False):
    """R-OBJ-6: the applicant is answered in writing — the outcome and its reasons (or the competent unit it was
    referred to), what was corrected, and the remedies — in a numbered response letter rendered as a PDF."""
    now = now or timezone.now()
    objection = _locked(objection)
    _apply(objection, "issue_answer", actor=actor)
    letter = documents.document_issue(
        case=objection,
        kind=DocumentKind.RESPONSE_LETTER,
        department=objection.department,
        actor=actor,
        reason=reason,
        now=now,
        languages="zh-hans,en" if english else "zh-hans",
    )
    _event(objection, "issue_answer", actor=actor, reason=reason, now=now, number=letter.number)
    return letter


@transaction.atomic
def objection_serve_answer(
    *,
    objection: Objection,
    actor,
    method: str,
    served_on,
    recipient: str,
    reason: str,
    proof=None,
    now=None,
    expected_version=None,
) -> Objection:
    """The response letter's service is recorded (how, when, to whom): the objection is answered, and only now is
    its answer clock met, on the day of service (R-OBJ-3: the applicant is answered by the letter, not by the
    decision; a letter served after the due date is late)."""
    now = now or timezone.now()
    objection = _locked(objection, expected_version)
    letter = response_letter(objection)
    _apply(objection, "serve_answer", actor=actor, letter=letter)
    service = documents.service_record_add(
        document=letter,
        method=method,
        served_on=served_on,
        recipient=recipient,
        actor=actor,
        reason=reason,
        proof=proof,
        now=now,
    )
    tracked_save(objection, actor=actor, reason=reason)
    # R-OBJ-3: the applicant is answered now, on the day the letter reached them (late if after the due date).
    answered = _served_moment(service.deemed_served_on or served_on, now)
    answer = answer_deadline(objection)
    _close_clocks(objection, actor=actor, reason=reason, now=answered, rules=ANSWER_RULES)
    late = bool(answer and timezone.localdate(answered) > answer.due_date)
    _event(objection, "serve_answer", actor=actor, reason=reason, now=now, served_on=served_on, late=late)
    return objection


# --- objections to a designation, received and decided on its case page (R-DES-2) --------------------------------


def sustained_objection_exists(designation) -> bool:
    """The cause of an "objection adopted" (or "basis corrected") end: a sustained objection to the designation
    or to a record it rests on (R-OBJ-6, R-DES-2; ``designations.holds.register_cause``)."""
    return (
        Objection.objects.filter(outcome=ObjectionOutcome.SUSTAINED)
        .filter(Q(designation=designation) | Q(record__in=designation.records.all()))
        .exists()
    )


def designation_held_by_objection(designation) -> str | None:
    """R-DES-2, R-OBJ-2: an objection to the designation, or to a record it rests on, is open (``OPEN``: from
    its receipt, labelled or not): it is decided first (``designations.holds``)."""
    if Objection.objects.open().filter(designation=designation).exists():
        return _("An objection to this designation is being reviewed: decide it first (R-DES-2).")
    pending = Objection.objects.open().filter(record__in=designation.records.all()).order_by("pk").first()
    if pending is not None:
        return _(
            "An objection to record #%(id)s, which this designation rests on, is being reviewed (received, labelled "
            "or not): decide it first (R-OBJ-2)."
        ) % {"id": pending.record_id}
    return None


@transaction.atomic
def designation_objection_receive(
    *,
    designation,
    actor,
    ground: str,
    grounds_text: str,
    received_at: datetime.datetime,
    reason: str,
    evidence=None,
    applicant: str = "",
    applicant_contact: str = "",
    label_now: bool = True,
    now=None,
) -> Objection:
    """A subject objects to a pending or made designation (R-DES-2, R-OBJ-1): received only while the designation
    can be objected to (its notice is out and it still stands), under a row lock on the designation, never dated
    in the future or before the notice was issued; labelled at once unless the caseworker labels it later."""
    designation = designation_services.designation_check_act(
        designation=designation, act="receive_objection", actor=actor, now=now
    )
    notice = designation.notice_document()
    check_event_date(
        received_at,
        field="received_at",
        label=_("The time the objection was received"),
        now=now,
        not_before=notice.issued_at if notice else None,
        cause=_("the notice was issued"),
    )
    objection = objection_receive(
        actor=actor,
        subject=designation.subject,
        target=ObjectionTarget.DESIGNATION,
        designation=designation,
        ground=ground,
        grounds_text=grounds_text,
        received_at=received_at,
        applicant=applicant or designation.subject.name,
        applicant_contact=applicant_contact,
        evidence=evidence,
        reason=reason,
        label_now=label_now,
        now=now,
    )
    record_event(
        action="designations.designation.objection_received",
        actor=actor,
        target=designation,
        reason=reason,
        data={"objection": objection.pk, "due": str(objection.due_date)},
    )
    return objection


@transaction.atomic
def designation_objection_decide(
    *, objection: Objection, actor, sustained: bool, reasons: str, reason: str, now=None, expected_version=None
) -> Objection:
    """R-DES-2 (HL 35): adopted → the designation is withdrawn, or removed from the list and its measures
    stop; not adopted → the reasons are given. The designation's own workflow says who may decide."""
    now = now or timezone.now()
    objection = lock_case(Objection.objects.all(), objection.pk, expected_version=expected_version)
    designation = objection.designation
    if designation is None:  # callers pass objections to a designation; one to a record is decided by objection_decide
        raise ValueError(f"Objection {objection.pk} is not an objection to a designation.")
    designation_services.designation_check_act(designation=designation, act="decide_objection", actor=actor, now=now)
    OBJECTION.apply(objection, "decide", actor=actor, **guard_context(objection, sustained=sustained, reasons=reasons))
    objection.outcome = ObjectionOutcome.SUSTAINED if sustained else ObjectionOutcome.NOT_SUSTAINED
    objection.reasons, objection.decided_by, objection.decided_at = reasons, actor, now
    _clear_request(objection)  # a pending extension request lapses with the decision
    tracked_save(objection, actor=actor, reason=reason)
    _set_label(objection, since=None, actor=actor, reason=reason)
    _close_clocks(objection, actor=actor, reason=reason, now=now, keep_answer=True)
    late = bool(objection.due_date and timezone.localdate(now) > objection.due_date)
    record_event(
        action="designations.designation.objection_decided",
        actor=actor,
        target=designation,
        reason=reasons,
        at=now,
        data={"objection": objection.pk, "sustained": sustained, "late": late},
    )
    _event(objection, "decide", actor=actor, reason=reasons, now=now, sustained=sustained, late=late)
    if sustained:
        text = _("Objection #%(id)s adopted: %(reasons)s") % {"id": objection.pk, "reasons": reasons}
        designation_services.designation_end(
            designation=designation,
            removal_reason=RemovalReason.OBJECTION_ADOPTED,
            actor=actor,
            reason=text,
            now=now,
        )
    return objection
