"""Review, approval, the decision, service, listing and removal (R-DES-4 to R-DES-7, R-DES-9)."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from creditportal import deadlines, documents
from creditportal.audit import record_event, tracked_save
from creditportal.choices import DayCount, DeadlineStatus

from ..choices import Leniency, MeasureStatus, RemovalReason
from ..models import Designation
from ..periods import listing_period
from ..reports import RECIPIENTS, report_recipients
from ..workflow import DESIGNATION
from .common import (
    _act,
    _check,
    _lock,
    profile,
)


@transaction.atomic
def designation_submit(*, designation, actor, reason: str, now=None, expected_version=None) -> Designation:
    return _act(designation, "submit", actor=actor, reason=reason, now=now, expected_version=expected_version)


@transaction.atomic
def designation_return(*, designation, actor, reason: str, now=None, expected_version=None) -> Designation:
    """Back to the caseworker with the supervisor's comments (``reason``)."""
    return _act(designation, "return", actor=actor, reason=reason, now=now, expected_version=expected_version)


@transaction.atomic
def designation_recall(*, designation, actor, reason: str, now=None, expected_version=None) -> Designation:
    """The caseworker takes the case back from approval before a decision (only the case's own caseworker)."""
    return _act(designation, "recall", actor=actor, reason=reason, now=now, expected_version=expected_version)


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

    designation = _act(
        designation,
        "approve",
        actor=actor,
        reason=reason,
        now=now,
        expected_version=expected_version,
        before_save=stamp,
    )
    if designation.needs_reexamination(profile()):
        _share_for_reexamination(designation, actor=actor)
    if designation.leniency == Leniency.MINOR_CORRECTED:
        for link in designation.proposed_measures():
            link.status = MeasureStatus.WAIVED
            tracked_save(link, actor=actor, reason=_("Measures waived: minor conduct promptly corrected (R-DES-7)"))
    return designation


def _share_for_reexamination(designation: Designation, *, actor) -> None:
    """R-DES-4: the case goes to the provincial credit authority. It stays the deciding department's case; the
    provincial approvers get a view share (guardian) on it and its documents, the scoping's one exception."""
    from django.contrib.auth import get_user_model
    from guardian.shortcuts import assign_perm

    from creditportal.choices import DepartmentKind, DepartmentLevel
    from creditportal.roles import ROLE_PERMISSIONS

    roles = [role for role, perms in ROLE_PERMISSIONS.items() if "designations.approve_designation" in perms]
    reviewers = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=roles,
            memberships__department__level=DepartmentLevel.PROVINCE,
            memberships__department__kind=DepartmentKind.CREDIT_AUTHORITY,
        )
        .distinct()
    )
    documents_ = list(documents.documents_of(designation))
    for reviewer in reviewers:
        assign_perm("designations.view_designation", reviewer, designation)
        for document in documents_:
            assign_perm("creditportal.view_issueddocument", reviewer, document)
    record_event(
        action="designations.designation.sent_for_reexamination",
        actor=actor,
        target=designation,
        data={"reviewers": [r.pk for r in reviewers]},
    )


@transaction.atomic
def designation_reexamine(*, designation, actor, reason: str, now=None, expected_version=None) -> Designation:
    """R-DES-4 (NDRC 8): the provincial credit authority confirms before the decision is issued."""
    now = now or timezone.now()

    def stamp(d):
        d.provincial_reviewer, d.provincial_reviewed_at = actor, now

    return _act(
        designation,
        "reexamine",
        actor=actor,
        reason=reason,
        now=now,
        expected_version=expected_version,
        before_save=stamp,
    )


@transaction.atomic
def designation_issue_decision(
    *, designation, actor, reason: str, now=None, expected_version=None, languages: str = "zh-hans"
) -> Designation:
    """R-DES-5: the numbered decision document, rendered after commit; the number is never reused or skipped."""
    designation = _act(
        designation, "issue_decision", actor=actor, reason=reason, now=now, expected_version=expected_version
    )
    document = documents.document_issue(
        case=designation,
        kind="decision",
        department=designation.department,
        actor=actor,
        reason=reason,
        now=now,
        languages=languages,
    )
    designation.decision_number = document.number
    tracked_save(designation, actor=actor, reason=_("Decision number %(n)s") % {"n": document.number}, validate=False)
    if designation.leniency != Leniency.MINOR_CORRECTED and _restoration_notice_with_decision(now):
        # R-NAT-4 (两书同达): the notice on credit restoration goes out with the decision that lists the subject
        _issue_restoration_notice(designation, decision=document, actor=actor, now=now)
    return designation


def _issue_restoration_notice(designation, *, decision, actor, now, supersedes=None) -> None:
    """R-NAT-4: the notice on credit restoration that goes with ``decision`` (Chinese only: it is served in China)."""
    documents.document_issue(
        case=designation,
        kind="restoration_info",
        department=designation.department,
        actor=actor,
        reason=_("Notice on credit restoration, served with decision %(n)s") % {"n": decision.number},
        now=now,
        supersedes=supersedes,
        languages=supersedes.languages if supersedes else "zh-hans",
    )


def _restoration_notice_with_decision(now) -> bool:
    """R-NAT-4, R-NAT-6: whether the national rules in force on the day the decision is issued ask for it."""
    from creditportal.rules import value_on

    value, _rules = value_on("restoration_notice_with_decision", timezone.localdate(now or timezone.now()))
    return bool(value)


@transaction.atomic
def designation_correct_decision(*, designation, actor, reason: str, now=None) -> Designation:
    """A correction is a new, newly numbered document that supersedes the issued one; the old stays as it was. The
    notice on credit restoration issued with it names the decision: it is reissued with the correction, superseding
    its own predecessor, so the two documents served together name each other (R-NAT-4)."""
    designation = _lock(designation, None)
    _check(designation, "correct_decision", actor=actor, now=now)
    old, old_notice = designation.decision_document(), designation.restoration_info_document()
    document = documents.document_issue(
        case=designation,
        kind="decision",
        department=designation.department,
        actor=actor,
        reason=reason,
        now=now,
        supersedes=old,
        languages=old.languages,
    )
    designation.decision_number = document.number
    tracked_save(designation, actor=actor, reason=reason, validate=False)
    if old_notice is not None:
        _issue_restoration_notice(designation, decision=document, actor=actor, now=now, supersedes=old_notice)
    return designation


@transaction.atomic
def designation_serve_decision(
    *,
    designation,
    actor,
    reason: str,
    method: str,
    served_on: datetime.date,
    recipient: str,
    proof=None,
    now=None,
    expected_version=None,
) -> Designation:
    """Record the decision's service (R-DES-5). On service the subject is listed for the listing period and
    the measures are in force — unless the measures were waived for a warning (R-DES-7). A state organ,
    state-owned enterprise or public institution is reported upward and to the audit organ (R-DES-9)."""
    now = now or timezone.now()
    designation = _act(
        designation,
        "serve_decision",
        actor=actor,
        reason=reason,
        now=now,
        expected_version=expected_version,
        before_save=lambda d: setattr(d, "served_at", now),
    )
    for served in (designation.decision_document(), designation.restoration_info_document()):
        if served is None:
            continue
        # R-NAT-4: the restoration notice is served with the decision, in the same act (两书同达)
        documents.service_record_add(
            document=served,
            method=method,
            served_on=served_on,
            recipient=recipient,
            proof=proof,
            actor=actor,
            reason=reason,
            now=now,
        )
    if designation.leniency == Leniency.MINOR_CORRECTED:
        return designation
    # N months from the day of service, that day included, and never past the disclosure period of the
    # information the designation rests on (R-DIS-1; issue 19): the one function decides.
    period = listing_period(designation, starts_on=served_on)
    if period.empty:
        raise ValidationError(
            _(
                "The listing would end before it starts: %(why)s falls on %(date)s. A designation is not listed past "
                "the information it rests on (R-DIS-1)."
            )
            % {"why": period.binding.explanation, "date": period.ends_on.isoformat()},
            code="listing_past_its_basis",
        )
    listed_until = period.ends_on

    def listing(d):
        d.listed_from, d.listed_until = served_on, listed_until

    designation = _act(
        designation, "list", actor=actor, reason=_("Listed on service of the decision"), now=now, before_save=listing
    )
    for link in designation.proposed_measures():
        link.status, link.starts_on = MeasureStatus.ACTIVE, served_on
        limit = link.measure.max_duration_months
        link.ends_on = (
            min(listed_until, served_on + relativedelta(months=limit) - datetime.timedelta(days=1))
            if limit
            else listed_until
        )
        tracked_save(link, actor=actor, reason=_("In force for the listing period"))
    deadlines.deadline_open(
        case=designation,
        department=designation.department,
        rule_id="R-DIS-1",
        article=law.cite("R-DIS-1") if (law := profile()) else "",
        anchor_event=gettext_noop("listing period"),
        anchor_date=served_on,
        days=(listed_until - served_on).days,
        unit=DayCount.PERIOD_DAYS,
        actor=actor,
        reason=_("Listing period"),
    )
    if (law := profile()) and law.state_organ_reports:
        # R-DES-9: only where the regulation asks for it (HL 32); elsewhere nothing is reported (issue 19)
        _report_state_organ(designation, actor=actor, now=now)
    return designation


def _report_state_organ(designation: Designation, *, actor, now) -> None:
    """R-DES-9 (HL 32): for a state organ, state-owned enterprise or public institution, a letter to the government
    or department above and one to the audit organ; for a member of their staff, one to the unit, one to the
    discipline-inspection organ and one to the personnel department. Anyone else: none."""
    staff = designation.subject.is_person
    for recipient in report_recipients(designation.subject):
        reason = (
            _("Report of the designation of a member of a state organ's staff (R-DES-9): %(to)s")
            if staff
            else _("Report of a state organ's designation (R-DES-9): %(to)s")
        )
        documents.document_issue(
            case=designation,
            kind="report_to_authority",
            department=designation.department,
            actor=actor,
            now=now,
            languages="zh-hans",
            reason=reason % {"to": RECIPIENTS[recipient]},
        )


@transaction.atomic
def designation_remove(
    *, designation, actor, reason: str, removal_reason: str, now=None, expected_version=None
) -> Designation:
    """Off the list: by expiry, restoration, an adopted objection or a revoked basis. The measures stop.
    Other apps call this service (restoration, objections); they never change the designation themselves."""
    now = now or timezone.now()
    if removal_reason not in RemovalReason.values:
        raise ValueError(removal_reason)

    def stamp(d):
        d.removed_at, d.removal_reason = now, removal_reason

    designation = _act(
        designation,
        "remove",
        actor=actor,
        reason=reason,
        now=now,
        expected_version=expected_version,
        before_save=stamp,
        removal_reason=removal_reason,
    )
    today = timezone.localdate(now)
    for link in designation.designation_measures.filter(status=MeasureStatus.ACTIVE):
        link.status, link.ends_on = MeasureStatus.STOPPED, min(link.ends_on or today, today)
        tracked_save(link, actor=actor, reason=reason)
    for deadline in deadlines.deadlines_of(designation).filter(status=DeadlineStatus.OPEN):
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=reason, now=now)
    _tell_the_subject(designation, actor=actor, reason=reason, now=now)
    return designation


def _tell_the_subject(designation, *, actor, reason: str, now) -> None:
    """Issue 19: an act that changes what the subject and the public see gets a numbered document: the notice of
    removal from the list (or of the procedure ended, for a designation the subject had been notified of), with
    its cause; rendered after commit, served like the other documents of the case."""
    documents.document_issue(
        case=designation,
        kind="removal_notice",
        department=designation.department,
        actor=actor,
        now=now,
        languages="zh-hans",
        reason=reason,
    )


def listing_expired(*, deadline, actor, today) -> None:
    """Celery beat: the listing period is over (R-DIS-3): removed from the list, measures stop."""
    designation = Designation.objects.get(pk=deadline.object_id)
    if DESIGNATION.can(designation, "remove", actor=actor, today=today, removal_reason=RemovalReason.EXPIRY) is None:
        designation_remove(
            designation=designation,
            actor=actor,
            removal_reason=RemovalReason.EXPIRY,
            reason=_("Listing period ended"),
            now=deadlines.sweep_time(today),
        )
    else:
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=_("No longer running"))


@transaction.atomic
def designation_withdraw(
    *, designation, actor, reason: str, now=None, expected_version=None, removal_reason: str = ""
) -> Designation:
    """The case ends before it is in force; its clocks are cancelled. ``removal_reason``: why, when it ends
    because its basis ended (``designations.services.endings``)."""

    def stamp(d):
        if removal_reason:  # why it ended, for its page and the notice to the subject
            d.removal_reason = removal_reason

    designation = _act(
        designation,
        "withdraw",
        actor=actor,
        reason=reason,
        now=now,
        expected_version=expected_version,
        removal_reason=removal_reason,
        before_save=stamp,
    )
    for deadline in deadlines.deadlines_of(designation).filter(status=DeadlineStatus.OPEN):
        deadlines.deadline_close(
            deadline=deadline, actor=actor, reason=reason, status=DeadlineStatus.CANCELLED, now=now
        )
    if removal_reason and designation.notice_document() is not None:
        # its basis ended while the subject had been told of it: the subject is told the procedure ended
        _tell_the_subject(designation, actor=actor, reason=reason, now=now)
    return designation
