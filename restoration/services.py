"""Writes of the restoration app: restoration applications (R-RES-1 to R-RES-5). A record's own acts (its basis
revoked, R-RES-6; the provider's correction, R-REC-4; trustworthiness information hidden, R-REC-5) are the
subjects app's (``subjects.services``).

A restoration app never changes another app's rows itself: records change through ``subjects.services`` and
designations through ``designations.services``.
"""

from __future__ import annotations

import datetime
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from creditportal import deadlines, documents
from creditportal.audit import record_event, tracked_save
from creditportal.cases.workflow import lock_case
from creditportal.choices import DayCount, DeadlineStatus, DocumentKind
from creditportal.citations import for_people
from creditportal.dates import check_event_date
from creditportal.permissions import department_ids_for, on_display, scope_queryset
from creditportal.profiles import current_profile, required_value
from creditportal.rules import cite_ruleset, value_on
from subjects.choices import ArchiveReason
from subjects.models import CreditRecord

from .choices import RestorationMethod
from .models import PublishedCommitment, RestorationApplication
from .workflow import (
    COMMITMENT_PUBLISHED_BY,
    COMMITMENT_WITHDRAWN_BY,
    RECEIVE_PERMISSION,
    RESTORATION,
    ROUTED,
    method_refusal,
    promised_period,
    receives_for_others,
    target_refusal,
)

#: Who receives restoration applications (R-RES-1).
#: The clock of a restoration application (R-RES-5).
PROMISED = "R-RES-5"
#: The documents a restoration application issues, each numbered from its own sequence: the notice of the outcome
#: (granted, or not granted: 修) and the decision not to accept the application (修不受).
NOTICE = DocumentKind.RESTORATION_NOTICE
REFUSAL = DocumentKind.RESTORATION_REFUSAL


def _lock(application: RestorationApplication, expected_version: int | None) -> RestorationApplication:
    return lock_case(
        RestorationApplication.objects.select_related("subject", "department"),
        application.pk,
        expected_version=expected_version,
    )


def _act(application, act: str, *, actor, reason: str, now, expected_version=None, before_save=None, **context):
    """The one way an application changes state: the workflow's guards, its history and audit event, and the
    published commitment following in the same transaction (R-NAT-3)."""
    application = _lock(application, expected_version)
    before = application.state
    RESTORATION.apply(application, act, actor=actor, today=timezone.localdate(now), **context)
    if before_save:
        before_save(application)
    tracked_save(application, actor=actor, reason=reason)
    commitment_follow(application, before=before, at=now)
    record_event(
        action=f"restoration.application.{act}",
        actor=actor,
        target=application,
        reason=reason,
        at=now,
        data={"state": application.state},
    )
    return application


def _concerns(application: RestorationApplication) -> str:
    """What a commitment concerns, as its snapshot keeps it: the listing's decision number, or the record's item
    (the page names which, in the reader's language)."""
    if application.designation is not None:
        return application.designation.decision_number
    record = cast(CreditRecord, application.record)  # a check constraint: exactly one target
    return record.catalog_item.name


def commitment_follow(application: RestorationApplication, *, before: str, at) -> None:
    """R-NAT-3 (公开信用承诺): after an act moved ``application`` from ``before``, publish its public credit
    commitment when the application is accepted, and withdraw it, with the cause, when the application ends
    without restoration. The snapshot masks a natural person's number (R-DIS-4)."""
    state = application.state
    if state == COMMITMENT_PUBLISHED_BY and before != state and application.commitment.strip():
        subject = application.subject
        PublishedCommitment.objects.create(
            application=application,
            designation_id=application.designation_id,
            department=application.department,
            department_name=application.department.name,
            published_at=at,
            subject_name=subject.name,
            subject_is_person=subject.is_person,
            identifier=subject.masked_id_number,
            concerns=_concerns(application)[:300],
            text=application.commitment,
            made_on=timezone.localdate(application.received_at),
        )
    elif state in COMMITMENT_WITHDRAWN_BY and before != state:
        PublishedCommitment.objects.filter(application=application, withdrawn_at__isnull=True).update(
            withdrawn_at=at, withdrawal_cause=state
        )


@transaction.atomic
def restoration_receive(
    *,
    actor,
    reason: str,
    method: str,
    evidence: str,
    designation=None,
    record=None,
    evidence_file=None,
    commitment: str = "",
    received_at=None,
    department=None,
    online: bool = False,
    now=None,
) -> RestorationApplication:
    """R-RES-1 (HN 32, HL 40): the subject applies — through a caseworker of the designating unit or the credit
    authority — to restore a listed designation or untrustworthiness information, by a credit pledge,
    rectification, special training or public-interest activity (HB 30 also obligations or a settlement
    performed, R-RES-3), with evidence. Free of charge: nothing is asked for it (R-RES-5).

    What the law leaves to the review (whether the minimum period has passed, R-RES-2, or the information is
    restorable at all) is checked when the application is accepted, so a refusal is a reasoned act, not a
    silent one.

    The application belongs to the department that designated or recorded what it asks to restore, which decides
    on it (its lists, "My work", the promised period's clock). Received by a caseworker of a credit authority (any
    level) for another department's designation or record, it is routed there at once, and the timeline records
    who received it, in which department and why (``restoration.application.routed``). Anyone else is refused.
    ``online``: filed by the subject in its portal (the national single window's role, R-NAT-3): the deciding
    department receives it as it is filed (``actor`` the system account).
    """
    now = now or timezone.now()
    if (designation is None) == (record is None):
        raise ValidationError(_("An application concerns either a designation or a credit record."))
    if designation is not None:
        from designations.models import Designation

        designations = Designation.objects.select_related("subject", "department")
        designation = (
            designations.get(pk=designation.pk) if online else _receivable(actor, designations, designation.pk)
        )
        subject = designation.subject
    else:
        records = CreditRecord.objects.select_related("subject", "catalog_item", "department")
        record = records.get(pk=record.pk) if online else _receivable(actor, records, record.pk)
        subject = record.subject
    refusal = target_refusal(designation=designation, record=record) or method_refusal(method)
    if refusal:
        raise ValidationError(refusal, code="not_restorable")
    if method not in RestorationMethod.values:
        raise ValidationError({"method": _("Choose a ground for restoration.")})
    if not evidence.strip():
        raise ValidationError({"evidence": _("Describe the evidence of the corrected conduct.")})
    received_at = received_at or now
    # never before what it asks to end: the listing (or, for a record, its determination)
    cause_date = (designation.listed_from or timezone.localdate(designation.created_at)) if designation else None
    check_event_date(
        received_at,
        field="received_at",
        label=_("The date the application was received"),
        now=now,
        not_before=cause_date or record.determined_on,
        cause=_("the designation was listed") if designation else _("the information was determined"),
    )
    deciding = (designation or record).department
    receiving = deciding if online else receiving_department(actor=actor, deciding=deciding, chosen=department)
    # the application is the deciding department's from the start (its lists, "My work", its clocks), wherever
    # it was received (R-RES-1)
    application = RestorationApplication(
        department=deciding,
        subject=subject,
        designation=designation,
        record=record,
        method=method,
        evidence=evidence,
        commitment=commitment.strip(),
        received_at=received_at,
    )
    if evidence_file:
        application.evidence_file = evidence_file
        # the name it was handed in under; storage may rename the file it keeps
        application.evidence_file_name = (
            (getattr(evidence_file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
        )
    tracked_save(application, actor=actor, reason=reason)
    record_event(
        action="restoration.application.received",
        actor=actor,
        target=application,
        reason=reason,
        at=now,
        data={
            "method": method,
            "designation": designation.pk if designation else None,
            "record": record and record.pk,
            "received_in": receiving.pk,
        },
    )
    if receiving != deciding:
        _route(application, receiving=receiving, actor=actor, now=now)
    return application


def _receivable(actor, queryset, pk):
    """The designation or record an application is received for: through the actor's scope, or, for a caseworker
    of a credit authority, any department's still displayed one (R-RES-1). Anyone else is refused."""
    found = scope_queryset(actor, queryset, "view").filter(pk=pk).first()
    if found is None and receives_for_others(actor):
        found = on_display(queryset).filter(pk=pk).first()
    if found is None:
        raise PermissionDenied(
            _(
                "A restoration application is received by the department that designated or recorded it, or by a "
                "credit authority (R-RES-1)."
            )
        )
    return found


def receiving_department(*, actor, deciding, chosen=None):
    """The department in which the actor receives an application that ``deciding`` decides: ``deciding`` itself
    when the actor may receive there (as before); otherwise one of the actor's credit-authority departments — the
    one chosen, else the only one (R-RES-1). A user of several is asked to choose; nobody else receives."""
    from creditportal.models import Department

    allowed = department_ids_for(actor, RECEIVE_PERMISSION)
    if chosen is not None and chosen.pk not in allowed:
        raise PermissionDenied(_("You cannot act for this department."))
    if deciding.pk in allowed and (chosen is None or chosen.pk == deciding.pk):
        return deciding
    authorities = receives_for_others(actor)
    if chosen is not None and chosen.pk in authorities:
        return chosen
    if chosen is None and len(authorities) == 1:
        return Department.objects.get(pk=next(iter(authorities)))
    if chosen is None and authorities:
        raise ValidationError({"department": _("You work in several departments: choose the one that acts.")})
    raise PermissionDenied(
        _(
            "A restoration application is received by the department that designated or recorded it, or by a "
            "credit authority (R-RES-1)."
        )
    )


def _route(application: RestorationApplication, *, receiving, actor, now) -> None:
    """The timeline says who received the application, in which department, when, and that it went to the
    department that designated or recorded what it asks to restore, which decides (R-RES-1): the event
    ``restoration.application.routed``, recorded in the receiving department."""
    deciding = application.department
    what = application.designation or application.record
    record_event(
        action=ROUTED,
        actor=actor,
        target=application,
        department=receiving,
        at=now,
        reason=for_people(
            _(
                "Received by %(receiving)s and routed to %(deciding)s, which designated or recorded %(what)s and "
                "decides on its restoration: a subject may apply to the designating unit or to the credit "
                "authority (R-RES-1)."
            )
            % {"receiving": receiving.name, "deciding": deciding.name, "what": what}
        ),
        data={
            "rule": "R-RES-1",
            "received_in": receiving.pk,
            "received_in_name": receiving.name,
            "routed_to": deciding.pk,
            "routed_to_name": deciding.name,
        },
    )


@transaction.atomic
def restoration_accept(*, application, actor, reason: str, now=None, expected_version=None) -> RestorationApplication:
    """Accept the application; it is completed within the period the deployment promised in advance (R-RES-5;
    NDRC 12), the profile's ``restoration_promised_wd`` — the one value the decision documents promise and the
    notice states — counted on the working-day calendar from the day of acceptance. The law is checked here:
    restorable (R-RES-1), the minimum period passed where the profile says so (R-RES-2) or the class's minimum under
    the national rules (R-NAT-3), a ground the regulation accepts (R-RES-3), the public credit commitment where the
    national rules ask for it (R-NAT-3). Beside the promised period, the national decision limit in force on the
    day of acceptance, where a rule set fixes one: the shorter binds. No profile value, no acceptance: the refusal
    names what is missing."""
    now = now or timezone.now()
    today = timezone.localdate(now)

    national_wd, national_rules = value_on("restoration_decision_wd", today)

    def promise(a):
        # the workflow's guard has refused an unset value; the number is the profile's, never typed. Beside it the
        # national decision limit in force on the day of acceptance, where one is set: the shorter binds (R-NAT-3)
        required_value("restoration_promised_wd")
        a.promised_wd = promised_period(application=a)
        if national_wd and national_wd < a.promised_wd:
            a.promised_wd = national_wd

    application = _act(
        application,
        "accept",
        actor=actor,
        reason=reason,
        now=now,
        expected_version=expected_version,
        before_save=promise,
    )
    promised_wd = application.promised_wd
    profile = current_profile()
    national_binds = bool(national_wd and national_rules and promised_wd == national_wd)
    deadline = deadlines.deadline_open(
        case=application,
        department=application.department,
        rule_id=PROMISED,
        # the source the deployment recorded with its promise (no regulation of the four fixes one)
        article=cite_ruleset(national_rules, "restoration_decision_wd")
        if national_binds and national_rules
        else (profile.sources or {}).get(
            "emergency_restoration_wd" if promised_wd != profile.restoration_promised_wd else "restoration_promised_wd",
            "",
        )
        if profile
        else "",
        anchor_event=gettext_noop("application accepted"),
        anchor_date=today,
        days=promised_wd,
        unit=DayCount.WORKING_DAYS,
        actor=actor,
        reason=_("Promised period for restoration"),
    )
    application.promised_by = deadline.due_date
    tracked_save(application, actor=actor, reason=_("Promised period for restoration"), validate=False)
    return application


@transaction.atomic
def restoration_refuse(
    *, application, actor, reason: str, reasons: str, now=None, expected_version=None, languages="zh-hans"
):
    """Not accepted, with the reasons the subject is told (R-RES-1: e.g. the law says it cannot be restored). An
    adverse act (issue 19): the subject receives a numbered decision not to accept, a document of its own kind
    (``restoration_refusal``, numbered 修不受) — the application's date and ground, the facts and reasons, the article
    it rests on and the remedies (R-DES-5's reconsideration and litigation, from the profile) —, whose service is
    then recorded (``restoration_serve_refusal``)."""
    now = now or timezone.now()

    def stamp(a):
        a.decision_reasons, a.decided_by, a.decided_at = reasons, actor, now

    application = _act(
        application,
        "refuse",
        actor=actor,
        reason=reason,
        now=now,
        expected_version=expected_version,
        reasons=reasons,
        before_save=stamp,
    )
    documents.document_issue(
        case=application,
        kind=REFUSAL,
        department=application.department,
        actor=actor,
        reason=str(REFUSAL.label),
        now=now,
        languages=languages,
    )
    return application


@transaction.atomic
def restoration_review(*, application, actor, reason: str, opinion: str, now=None, expected_version=None):
    """The caseworker's review opinion: what the evidence shows; then a supervisor decides."""
    now = now or timezone.now()

    def stamp(a):
        a.review_opinion, a.reviewed_by = opinion, actor

    return _act(
        application,
        "review",
        actor=actor,
        reason=reason,
        now=now,
        expected_version=expected_version,
        opinion=opinion,
        before_save=stamp,
    )


def _close_clock(application, *, actor, reason: str, now, status=DeadlineStatus.MET) -> None:
    for deadline in deadlines.deadlines_of(application).filter(status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED]):
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=reason, status=status, now=now)


@transaction.atomic
def restoration_grant(
    *, application, actor, reason: str, reasons: str = "", now=None, expected_version=None, languages="zh-hans"
) -> RestorationApplication:
    """R-RES-4 (HN 32, HL 40, HB 30): granted — disclosure and sharing stop and the original records are archived,
    never destroyed (``subjects.services.record_archive``, shared copies flagged for withdrawal); the designation
    applied for, and every designation resting on an archived record, ends by the one rule
    (``designations.services.endings``: off the list, its measures stopped); the subject is informed by a numbered
    restoration notice. Within the promised period (R-RES-5)."""
    from designations.choices import RemovalReason
    from designations.services import designation_end
    from subjects.services import record_archive
    from subjects.workflow import RECORD

    now = now or timezone.now()

    def stamp(a):
        a.decision_reasons, a.decided_by, a.decided_at = reasons, actor, now

    application = _act(
        application, "grant", actor=actor, reason=reason, now=now, expected_version=expected_version, before_save=stamp
    )
    why = _("Credit restored (restoration application %(id)s)") % {"id": application.pk}
    if application.designation_id:
        designation_end(
            designation=application.designation,
            removal_reason=RemovalReason.RESTORATION,
            actor=actor,
            reason=why,
            now=now,
        )
        records = list(application.designation.records.all())
    else:
        records = [application.record]
    for record in records:
        record.refresh_from_db()
        if record.status in RECORD.sources_of("archive"):
            record_archive(record=record, actor=actor, reason=why, archive_reason=ArchiveReason.RESTORED, now=now)
    _close_clock(application, actor=actor, reason=why, now=now)
    documents.document_issue(
        case=application,
        kind=NOTICE,
        department=application.department,
        actor=actor,
        reason=_("Restoration notice"),
        now=now,
        languages=languages,
    )
    return application


@transaction.atomic
def restoration_not_grant(
    *, application, actor, reason: str, reasons: str, now=None, expected_version=None, languages="zh-hans"
) -> RestorationApplication:
    """Not granted, with reasons; the subject is informed by the numbered notice, a decision not to restore that
    states them and the remedies (R-DES-5's reconsideration and litigation, from the profile; issue 19)."""
    now = now or timezone.now()

    def stamp(a):
        a.decision_reasons, a.decided_by, a.decided_at = reasons, actor, now

    application = _act(
        application,
        "not_grant",
        actor=actor,
        reason=reason,
        now=now,
        expected_version=expected_version,
        reasons=reasons,
        before_save=stamp,
    )
    _close_clock(application, actor=actor, reason=reason, now=now)
    documents.document_issue(
        case=application,
        kind=NOTICE,
        department=application.department,
        actor=actor,
        reason=_("Restoration notice"),
        now=now,
        languages=languages,
    )
    return application


@transaction.atomic
def restoration_withdraw(*, application, actor, reason: str, now=None, expected_version=None):
    """The subject withdraws the application; its clock is cancelled."""
    now = now or timezone.now()
    application = _act(application, "withdraw", actor=actor, reason=reason, now=now, expected_version=expected_version)
    _close_clock(application, actor=actor, reason=reason, now=now, status=DeadlineStatus.CANCELLED)
    return application


def _serve(application, act: str, kind: str, *, actor, reason, method, served_on, recipient, now, expected_version):
    now = now or timezone.now()
    application = _lock(application, expected_version)
    RESTORATION.apply(application, act, actor=actor, today=timezone.localdate(now))
    documents.service_record_add(
        document=application.document(kind),
        method=method,
        served_on=served_on,
        recipient=recipient,
        actor=actor,
        reason=reason,
        now=now,
    )
    return application


@transaction.atomic
def restoration_serve_notice(
    *,
    application,
    actor,
    reason: str,
    method: str,
    served_on: datetime.date,
    recipient: str,
    now=None,
    expected_version=None,
):
    """The notice reaches the subject: recorded on the document (only once its PDF exists and verifies), from a
    page still showing the application as it is."""
    return _serve(
        application,
        "serve_notice",
        NOTICE,
        actor=actor,
        reason=reason,
        method=method,
        served_on=served_on,
        recipient=recipient,
        now=now,
        expected_version=expected_version,
    )


@transaction.atomic
def restoration_serve_refusal(
    *,
    application,
    actor,
    reason: str,
    method: str,
    served_on: datetime.date,
    recipient: str,
    now=None,
    expected_version=None,
):
    """The decision not to accept reaches the subject: recorded on the document as the notice's service is (only
    once its PDF exists and verifies; not before it was issued, not in the future)."""
    return _serve(
        application,
        "serve_refusal",
        REFUSAL,
        actor=actor,
        reason=reason,
        method=method,
        served_on=served_on,
        recipient=recipient,
        now=now,
        expected_version=expected_version,
    )
