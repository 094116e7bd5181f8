"""The designation's due process, one service per act (R-DES-1 to R-DES-10).

Every service: checks the actor's permission in the deciding department, locks the row, checks the
transition and its guards (designations/workflow.py), saves with actor and reason (simple-history), writes
a timeline event ``designations.designation.<act>``, and queues side effects (PDF rendering) after commit.
Two people acting at once: the row lock serialises them and the loser is told the case moved on.
"""
from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog import guard
from catalog.choices import CatalogCategory, PublicationStatus
from catalog.models import CatalogItem
from creditportal import deadlines, documents
from creditportal.audit import is_system_user, record_event, tracked_save
from creditportal.choices import DayCount, DepartmentKind, DepartmentLevel, DeadlineStatus
from creditportal.models import Department, JurisdictionProfile
from creditportal.permissions import department_ids_for
from creditportal.workflow import TransitionRefused
from subjects.choices import Ownership, RecordKind, RecordStatus
from subjects.models import CreditRecord
from subjects.services import record_create

from .choices import DesignationSource, DesignationState, Leniency, MeasureStatus, RemovalReason
from .models import Designation, DesignationMeasure, Hearing, Statement
from .workflow import ACT_PERMISSION, APPROVAL, CASEWORK, DESIGNATION, PROVINCE

#: What the deadline sweep may do as the system user: close an expired period, remove an expired listing.
SYSTEM_ACTS = {"close_statements", "remove"}
STATE_ORGANS = {Ownership.STATE_ORGAN, Ownership.STATE_OWNED, Ownership.PUBLIC_INSTITUTION}
DRAFT_FIELDS = ("facts", "reasons", "proposed_listing_months", "leniency", "leniency_reasons",
                "proportionality_statement", "statement_period_wd")


class ConcurrentChange(ValidationError):
    """Someone else changed the designation after the page was opened."""


def profile() -> JurisdictionProfile | None:
    return JurisdictionProfile.objects.filter(code=settings.CREDIT_JURISDICTION).first()


def provincial_authorities(actor) -> list[Department]:
    return list(Department.objects.filter(pk__in=department_ids_for(actor, APPROVAL), level=DepartmentLevel.PROVINCE,
                                          kind=DepartmentKind.CREDIT_AUTHORITY))


def may(actor, designation: Designation, act: str) -> bool:
    """Whether ``actor`` holds the permission ``act`` needs for this designation (not whether the state allows it)."""
    permission = ACT_PERMISSION[act]
    if is_system_user(actor):
        return act in SYSTEM_ACTS
    if permission == PROVINCE:
        return bool(provincial_authorities(actor))
    return designation.department_id in department_ids_for(actor, permission)


def _require(actor, designation: Designation, act: str) -> None:
    if not may(actor, designation, act):
        raise PermissionDenied(_("You may not “%(act)s” for this department's designations.")
                               % {"act": DESIGNATION.transitions[act].label})


def _lock(designation: Designation, expected_version: int | None) -> Designation:
    locked = Designation.objects.select_for_update().select_related("department", "subject", "standard").get(
        pk=designation.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentChange(
            _("Someone else acted on this designation after you opened it (it is now “%(state)s”). Nothing was "
              "changed: reload the page and check.") % {"state": locked.get_state_display()}, code="concurrent")
    return locked


def _act(designation: Designation, act: str, *, actor, reason: str, now=None, expected_version=None,
         prepare=None, before_save=None, **context) -> Designation:
    now = now or timezone.now()
    designation = _lock(designation, expected_version)
    _require(actor, designation, act)
    if prepare:
        prepare(designation)
    DESIGNATION.apply(designation, act, actor=actor, today=timezone.localdate(now), profile=profile(), **context)
    if before_save:
        before_save(designation)
    designation.version += 1
    tracked_save(designation, actor=actor, reason=reason, validate=False)
    record_event(action=f"designations.designation.{act}", actor=actor, target=designation, reason=reason, at=now,
                 data={"state": designation.state})
    return designation


# --- drafting ----------------------------------------------------------------------------------------------

def _check_draft(*, subject, standard, records, measures, proposed_listing_months: int) -> None:
    """R-CAT-6/R-CAT-7 through the guard; records are the subject's own, active, untrustworthy, with a basis."""
    guard.check_designation(standard=standard, measures=measures)
    for record in records:
        if record.subject_id != subject.pk:
            raise ValidationError(_("Record #%(id)s is about another subject.") % {"id": record.pk})
        if record.kind != RecordKind.UNTRUSTWORTHY or record.basis_document_id is None:
            raise ValidationError(_("Record #%(id)s is not untrustworthy conduct on a basis document (R-REC-1).")
                                  % {"id": record.pk})
        if record.status != RecordStatus.ACTIVE:
            raise ValidationError(_("Record #%(id)s is %(status)s: only active records can be relied on.")
                                  % {"id": record.pk, "status": record.get_status_display()})
    limit = (profile() and profile().disclosure_max_months) or 60
    if not 1 <= proposed_listing_months <= limit:
        raise ValidationError({"proposed_listing_months": _("The listing period is 1 to %(max)d months (R-DIS-1).")
                               % {"max": limit}})
    longest = max((m.max_duration_months or 0 for m in measures), default=0)
    if measures and longest and proposed_listing_months > longest and all(m.max_duration_months for m in measures):
        raise ValidationError({"proposed_listing_months": _(
            "No proposed measure may last %(months)d months; the longest allows %(max)d (R-CAT-7).")
            % {"months": proposed_listing_months, "max": longest}})


def _set_measures(designation: Designation, measures, *, actor, reason: str) -> None:
    """Proposed measures: a measure taken out of the proposal is marked dropped, never deleted."""
    wanted = {m.pk for m in measures}
    links = {link.measure_id: link for link in designation.designation_measures.all()}
    for measure_id, link in links.items():
        status = MeasureStatus.PROPOSED if measure_id in wanted else MeasureStatus.DROPPED
        if link.status != status:
            link.status = status
            tracked_save(link, actor=actor, reason=reason)
    for measure in measures:
        if measure.pk not in links:
            tracked_save(DesignationMeasure(designation=designation, measure=measure), actor=actor, reason=reason)


@transaction.atomic
def designation_create(*, actor, department: Department, subject, standard, records, measures, facts: str,
                       proposed_listing_months: int, reason: str, reasons: str = "",
                       leniency: str = Leniency.NONE, leniency_reasons: str = "", proportionality_statement: str = "",
                       statement_period_wd: int | None = None, source: str = DesignationSource.ORDINARY,
                       court_list_reference: str = "") -> Designation:
    """Draft a designation in ``department`` on a published standard (R-CAT-6, R-DES-10)."""
    if department.pk not in department_ids_for(actor, CASEWORK):
        raise PermissionDenied(_("You cannot prepare designations for this department."))
    records, measures = list(records), list(measures)
    _check_draft(subject=subject, standard=standard, records=records, measures=measures,
                 proposed_listing_months=proposed_listing_months)
    designation = Designation(
        department=department, subject=subject, standard=standard, facts=facts, reasons=reasons,
        proposed_listing_months=proposed_listing_months, leniency=leniency, leniency_reasons=leniency_reasons,
        proportionality_statement=proportionality_statement, caseworker=actor, source=source,
        court_list_reference=court_list_reference,
        statement_period_wd=statement_period_wd or (profile() and profile().statement_period_wd),
    )
    tracked_save(designation, actor=actor, reason=reason)
    designation.records.set(records)
    _set_measures(designation, measures, actor=actor, reason=reason)
    record_event(action="designations.designation.created", actor=actor, target=designation, reason=reason,
                 data={"standard": standard.code, "source": source})
    return designation


@transaction.atomic
def designation_update(*, designation: Designation, actor, reason: str, expected_version=None, records=None,
                       measures=None, **fields) -> Designation:
    """Edit the draft (before the notice) or, under review, the reasons and proposals (never after approval)."""
    designation = _lock(designation, expected_version)
    _require(actor, designation, "submit")
    if designation.state not in {DesignationState.DRAFT, DesignationState.UNDER_REVIEW}:
        raise TransitionRefused(_("A designation is edited only as a draft or under review; it is now “%(state)s”.")
                                % {"state": designation.get_state_display()})
    editable = DRAFT_FIELDS if designation.state == DesignationState.DRAFT else tuple(
        f for f in DRAFT_FIELDS if f not in {"facts", "statement_period_wd"})
    for name, value in fields.items():
        if name in editable:
            setattr(designation, name, value)
    records = list(records) if records is not None and designation.state == DesignationState.DRAFT else None
    measures = list(measures) if measures is not None else [
        link.measure for link in designation.proposed_measures()]
    _check_draft(subject=designation.subject, standard=designation.standard,
                 records=records if records is not None else list(designation.records.all()), measures=measures,
                 proposed_listing_months=designation.proposed_listing_months)
    designation.version += 1
    tracked_save(designation, actor=actor, reason=reason)
    if records is not None:
        designation.records.set(records)
    _set_measures(designation, measures, actor=actor, reason=reason)
    record_event(action="designations.designation.changed", actor=actor, target=designation, reason=reason)
    return designation


@transaction.atomic
def designation_create_from_court_list(*, actor, department: Department, subject, standard, measures,
                                       list_reference: str, court: str, judgment_number: str,
                                       judgment_effective_on: datetime.date, facts: str,
                                       proposed_listing_months: int, reason: str) -> Designation:
    """R-DES-8 (HL 28): a subject on a people's court Judgment Defaulters List is designated, on the court's
    document. The court document is recorded first, through the lawful-data guard, then the designation is
    drafted and follows the same due process."""
    if not list_reference.strip():
        raise ValidationError({"list_reference": _("Give the Judgment Defaulters List entry.")})
    item = CatalogItem.objects.filter(version__jurisdiction=settings.CREDIT_JURISDICTION,
                                      version__status=PublicationStatus.PUBLISHED,
                                      category=CatalogCategory.NON_PERFORMANCE, is_untrustworthy=True).first()
    if item is None:
        raise ValidationError(_("The published catalog has no item for refusing to perform effective legal "
                                "documents (HL 18 (8)); it is needed to record the court's list entry (R-CAT-1)."))
    record = record_create(
        actor=actor, subject=subject, catalog_item=item, determined_on=judgment_effective_on, reason=reason,
        summary=_("Listed by %(court)s on the Judgment Defaulters List (%(ref)s).") % {"court": court,
                                                                                      "ref": list_reference},
        basis={"basis_type": "judgment", "number": judgment_number, "issuing_authority": court,
               "effective_on": judgment_effective_on},
    )
    return designation_create(
        actor=actor, department=department, subject=subject, standard=standard, records=[record], measures=measures,
        facts=facts, proposed_listing_months=proposed_listing_months, reason=reason,
        source=DesignationSource.JUDGMENT_DEFAULTER, court_list_reference=list_reference,
    )


# --- prior notice, statements, hearings (R-DES-1, R-DES-3) ------------------------------------------------

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


# --- review and decision (R-DES-4, R-DES-5, R-DES-6, R-DES-7) -------------------------------------------

@transaction.atomic
def designation_submit(*, designation, actor, reason: str, now=None, expected_version=None) -> Designation:
    return _act(designation, "submit", actor=actor, reason=reason, now=now, expected_version=expected_version)


@transaction.atomic
def designation_return(*, designation, actor, reason: str, now=None, expected_version=None) -> Designation:
    """Back to the caseworker with the supervisor's comments (``reason``)."""
    return _act(designation, "return", actor=actor, reason=reason, now=now, expected_version=expected_version)


@transaction.atomic
def designation_reject(*, designation, actor, reason: str, now=None, expected_version=None) -> Designation:
    return _act(designation, "reject", actor=actor, reason=reason, now=now, expected_version=expected_version)


@transaction.atomic
def designation_approve(*, designation, actor, reason: str, now=None, expected_version=None) -> Designation:
    """Four eyes: a supervisor of the deciding department who did not prepare it. R-DES-7: for minor,
    promptly corrected conduct the measures are waived and a warning is given."""
    now = now or timezone.now()

    def stamp(d):
        d.approver, d.approved_at = actor, now

    designation = _act(designation, "approve", actor=actor, reason=reason, now=now,
                       expected_version=expected_version, before_save=stamp)
    if designation.leniency == Leniency.MINOR_CORRECTED:
        for link in designation.proposed_measures():
            link.status = MeasureStatus.WAIVED
            tracked_save(link, actor=actor, reason=_("Measures waived: minor conduct promptly corrected (R-DES-7)"))
    return designation


@transaction.atomic
def designation_reexamine(*, designation, actor, reason: str, now=None, expected_version=None) -> Designation:
    """R-DES-4 (NDRC 8): the provincial credit authority confirms before the decision is issued."""
    now = now or timezone.now()

    def stamp(d):
        d.provincial_reviewer, d.provincial_reviewed_at = actor, now

    return _act(designation, "reexamine", actor=actor, reason=reason, now=now, expected_version=expected_version,
                before_save=stamp)


@transaction.atomic
def designation_issue_decision(*, designation, actor, reason: str, now=None, expected_version=None,
                               languages: str = "zh-hans,en") -> Designation:
    """R-DES-5: the numbered decision document, rendered after commit; the number is never reused or skipped."""
    designation = _act(designation, "issue_decision", actor=actor, reason=reason, now=now,
                       expected_version=expected_version)
    document = documents.document_issue(case=designation, kind="decision", department=designation.department,
                                        actor=actor, reason=reason, now=now, languages=languages)
    designation.decision_number = document.number
    tracked_save(designation, actor=actor, reason=_("Decision number %(n)s") % {"n": document.number}, validate=False)
    return designation


@transaction.atomic
def designation_correct_decision(*, designation, actor, reason: str, now=None) -> Designation:
    """A correction is a new, newly numbered document that supersedes the issued one; the old stays as it was."""
    designation = _lock(designation, None)
    _require(actor, designation, "approve")
    old = designation.decision_document()
    if old is None:
        raise TransitionRefused(_("There is no issued decision to correct."))
    document = documents.document_issue(case=designation, kind="decision", department=designation.department,
                                        actor=actor, reason=reason, now=now, supersedes=old,
                                        languages=old.languages)
    designation.decision_number = document.number
    designation.version += 1
    tracked_save(designation, actor=actor, reason=reason, validate=False)
    return designation


@transaction.atomic
def designation_serve_decision(*, designation, actor, reason: str, method: str, served_on: datetime.date,
                               recipient: str, proof=None, now=None, expected_version=None) -> Designation:
    """Record the decision's service (R-DES-5). On service the subject is listed for the listing period and
    the measures are in force — unless the measures were waived for a warning (R-DES-7). A state organ,
    state-owned enterprise or public institution is reported upward and to the audit organ (R-DES-9)."""
    now = now or timezone.now()
    designation = _act(designation, "serve_decision", actor=actor, reason=reason, now=now,
                       expected_version=expected_version,
                       before_save=lambda d: setattr(d, "served_at", now))
    documents.service_record_add(document=designation.decision_document(), method=method, served_on=served_on,
                                 recipient=recipient, proof=proof, actor=actor, reason=reason)
    if designation.leniency == Leniency.MINOR_CORRECTED:
        return designation
    listed_until = served_on + relativedelta(months=designation.proposed_listing_months)

    def listing(d):
        d.listed_from, d.listed_until = served_on, listed_until

    designation = _act(designation, "list", actor=actor, reason=_("Listed on service of the decision"), now=now,
                       before_save=listing)
    for link in designation.proposed_measures():
        link.status, link.starts_on = MeasureStatus.ACTIVE, served_on
        limit = link.measure.max_duration_months
        link.ends_on = min(listed_until, served_on + relativedelta(months=limit)) if limit else listed_until
        tracked_save(link, actor=actor, reason=_("In force for the listing period"))
    deadlines.deadline_open(
        case=designation, department=designation.department, rule_id="R-DIS-1", article="HN 27",
        anchor_event=gettext_noop("listing period"), anchor_date=served_on, days=(listed_until - served_on).days,
        unit=DayCount.CALENDAR_DAYS, actor=actor, reason=_("Listing period"))
    if designation.subject.ownership in STATE_ORGANS:
        _report_state_organ(designation, actor=actor, now=now)
    return designation


def _report_state_organ(designation: Designation, *, actor, now) -> None:
    """R-DES-9 (HL 32): a letter to the government or department above and one to the audit organ."""
    for recipient in ("superior", "audit"):
        documents.document_issue(case=designation, kind="report_to_authority", department=designation.department,
                                 actor=actor, now=now, languages="zh-hans",
                                 reason=_("Report of a state organ's designation (R-DES-9): %(to)s") % {
                                     "to": _("to the authority above") if recipient == "superior" else
                                     _("to the audit organ")})


def report_recipient(document) -> str:
    """Which of the two R-DES-9 letters this is (the first goes to the authority above)."""
    first = documents.documents_of(document.case).filter(kind="report_to_authority").first()
    return "superior" if first and first.pk == document.pk else "audit"


@transaction.atomic
def designation_remove(*, designation, actor, reason: str, removal_reason: str, now=None,
                       expected_version=None) -> Designation:
    """Off the list: by expiry, restoration, an adopted objection or a revoked basis. The measures stop.
    Other apps call this service (restoration, objections); they never change the designation themselves."""
    now = now or timezone.now()
    if removal_reason not in RemovalReason.values:
        raise ValueError(removal_reason)

    def stamp(d):
        d.removed_at, d.removal_reason = now, removal_reason

    if removal_reason == RemovalReason.EXPIRY:
        designation = _lock(designation, expected_version)
        DESIGNATION.apply(designation, "remove")
        stamp(designation)
        designation.version += 1
        tracked_save(designation, actor=actor, reason=reason, validate=False)
        record_event(action="designations.designation.remove", actor=actor, target=designation, reason=reason, at=now)
    else:
        designation = _act(designation, "remove", actor=actor, reason=reason, now=now,
                           expected_version=expected_version, before_save=stamp)
    today = timezone.localdate(now)
    for link in designation.designation_measures.filter(status=MeasureStatus.ACTIVE):
        link.status, link.ends_on = MeasureStatus.STOPPED, min(link.ends_on or today, today)
        tracked_save(link, actor=actor, reason=reason)
    for deadline in deadlines.deadlines_of(designation).filter(status=DeadlineStatus.OPEN):
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=reason, now=now)
    return designation


def listing_expired(*, deadline, actor) -> None:
    """Celery beat: the listing period is over (R-DIS-3): removed from the list, measures stop."""
    designation = Designation.objects.get(pk=deadline.object_id)
    if designation.state == DesignationState.LISTED:
        designation_remove(designation=designation, actor=actor, removal_reason=RemovalReason.EXPIRY,
                           reason=_("Listing period ended"))


@transaction.atomic
def designation_withdraw(*, designation, actor, reason: str, now=None, expected_version=None) -> Designation:
    designation = _act(designation, "withdraw", actor=actor, reason=reason, now=now, expected_version=expected_version)
    for deadline in deadlines.deadlines_of(designation).filter(status=DeadlineStatus.OPEN):
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=reason, status=DeadlineStatus.CANCELLED,
                                 now=now)
    return designation

