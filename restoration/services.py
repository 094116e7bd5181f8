"""Writes of the restoration app: restoration applications (R-RES-1 to R-RES-5), revocation of a record whose
basis was revoked (R-RES-6), the provider's own corrections (R-REC-4) and trustworthiness information hidden at
the subject's request (R-REC-5).

A restoration app never changes another app's rows itself: records change through ``subjects.services`` and
designations through ``designations.services``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from creditportal import deadlines, documents
from creditportal.audit import record_event, tracked_save
from creditportal.cases.workflow import lock_case
from creditportal.choices import DayCount, DeadlineStatus
from creditportal.dates import check_event_date
from creditportal.permissions import acting_department_id, scope_queryset
from creditportal.profiles import current_profile, required_value
from subjects.choices import ArchiveReason
from subjects.models import CreditRecord

from .choices import RestorationMethod
from .models import BasisRevocation, RestorationApplication
from .workflow import RESTORATION, method_refusal, target_refusal

#: The clock of a restoration application (R-RES-5) and of a revoked basis (R-RES-6).
PROMISED, REVOCATION, REVOCATION_REPORT, CORRECTION = "R-RES-5", "R-RES-6", "R-RES-6/report", "R-REC-4"


def _lock(application: RestorationApplication, expected_version: int | None) -> RestorationApplication:
    return lock_case(
        RestorationApplication.objects.select_related("subject", "department"),
        application.pk,
        expected_version=expected_version,
    )


def _act(application, act: str, *, actor, reason: str, now, expected_version=None, before_save=None, **context):
    application = _lock(application, expected_version)
    RESTORATION.apply(application, act, actor=actor, today=timezone.localdate(now), **context)
    if before_save:
        before_save(application)
    tracked_save(application, actor=actor, reason=reason)
    record_event(
        action=f"restoration.application.{act}",
        actor=actor,
        target=application,
        reason=reason,
        at=now,
        data={"state": application.state},
    )
    return application


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
    received_at=None,
    department=None,
    now=None,
) -> RestorationApplication:
    """R-RES-1 (HN 32, HL 40): the subject applies — through a caseworker of the designating unit or the credit
    authority — to restore a listed designation or untrustworthiness information, by a credit pledge,
    rectification, special training or public-interest activity (HB 30 also obligations or a settlement
    performed, R-RES-3), with evidence. Free of charge: nothing is asked for it (R-RES-5).

    What the law leaves to the review (whether the minimum period has passed, R-RES-2, or the information is
    restorable at all) is checked when the application is accepted, so a refusal is a reasoned act, not a
    silent one.
    """
    now = now or timezone.now()
    if (designation is None) == (record is None):
        raise ValidationError(_("An application concerns either a designation or a credit record."))
    if designation is not None:
        from designations.models import Designation

        designation = scope_queryset(actor, Designation.objects.select_related("subject"), "view").get(
            pk=designation.pk
        )
        subject = designation.subject
    else:
        record = scope_queryset(actor, CreditRecord.objects.select_related("subject", "catalog_item"), "view").get(
            pk=record.pk
        )
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
    department_id = acting_department_id(
        actor,
        "restoration.add_restorationapplication",
        subject_department_id=(designation or record).department_id,
        chosen_id=department.pk if department is not None else None,
    )
    application = RestorationApplication(
        department_id=department_id,
        subject=subject,
        designation=designation,
        record=record,
        method=method,
        evidence=evidence,
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
        data={"method": method, "designation": designation.pk if designation else None, "record": record and record.pk},
    )
    return application


@transaction.atomic
def restoration_accept(*, application, actor, reason: str, now=None, expected_version=None) -> RestorationApplication:
    """Accept the application; it is completed within the period the deployment promised in advance (R-RES-5;
    NDRC 12), the profile's ``restoration_promised_wd`` — the one value the decision documents promise and the
    notice states — counted on the working-day calendar from the day of acceptance. The law is checked here:
    restorable (R-RES-1), the minimum period passed where the profile says so (R-RES-2), a ground the regulation
    accepts (R-RES-3). No profile value, no acceptance: the refusal names what is missing."""
    now = now or timezone.now()
    today = timezone.localdate(now)

    def promise(a):
        # the workflow's guard has refused an unset value; the number is the profile's, never typed
        a.promised_wd = required_value("restoration_promised_wd")

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
    deadline = deadlines.deadline_open(
        case=application,
        department=application.department,
        rule_id=PROMISED,
        article="NDRC 12",
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
def restoration_refuse(*, application, actor, reason: str, reasons: str, now=None, expected_version=None):
    """Not accepted, with the reasons the subject is told (R-RES-1: e.g. the law says it cannot be restored)."""
    now = now or timezone.now()

    def stamp(a):
        a.decision_reasons, a.decided_by, a.decided_at = reasons, actor, now

    return _act(
        application,
        "refuse",
        actor=actor,
        reason=reason,
        now=now,
        expected_version=expected_version,
        reasons=reasons,
        before_save=stamp,
    )


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
        kind="restoration_notice",
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
    """Not granted, with reasons; the subject is informed by the same numbered notice, stating them."""
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
        kind="restoration_notice",
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


@transaction.atomic
def restoration_serve_notice(
    *, application, actor, reason: str, method: str, served_on: datetime.date, recipient: str, now=None
):
    """The notice reaches the subject: recorded on the document (only once its PDF exists and verifies)."""
    now = now or timezone.now()
    application = _lock(application, None)
    RESTORATION.apply(application, "serve_notice", actor=actor, today=timezone.localdate(now))
    documents.service_record_add(
        document=application.notice(),
        method=method,
        served_on=served_on,
        recipient=recipient,
        actor=actor,
        reason=reason,
        now=now,
    )
    return application


# --- revocation (R-RES-6) --------------------------------------------------------------------------------------


def _record_for_change(actor, record, expected_version: int | None = None) -> CreditRecord:
    """The record locked, within the actor's scope, still at the version the page showed."""
    return lock_case(
        scope_queryset(actor, CreditRecord.objects.select_related("catalog_item"), "change"),
        record.pk,
        expected_version=expected_version,
    )


@transaction.atomic
def revocation_receive(
    *,
    record,
    actor,
    reason: str,
    ground: str,
    legal_document: str,
    effective_on: datetime.date,
    received_on: datetime.date,
    now=None,
):
    """R-RES-6 (HN 31, HL 38): the record's basis was revoked, found illegal or invalid, or changed by an
    effective legal document. The change is registered with the date it reached the department, and the clock
    the profile sets starts: HN, the credit authority deletes within 2 WD of receiving it; HL, the provider
    reports within 2 WD and the authority revokes within 1 WD of the report. Where the regulation sets no number
    ("promptly"), no due date is invented: the page says so.

    Returns the removal deadline, or None where the profile sets none."""
    from subjects.workflow import RECORD

    now = now or timezone.now()
    record = _record_for_change(actor, record)
    refusal = RECORD.can(record, "revoke", actor=actor)
    if refusal:
        raise ValidationError(refusal, code="transition_refused")
    if not legal_document.strip():
        raise ValidationError({"legal_document": _("Name the effective legal document (number and authority).")})
    basis = record.basis_document
    check_event_date(
        effective_on,
        field="effective_on",
        label=_("The date the legal document took effect"),
        now=now,
        not_before=basis.effective_on if basis else None,
        cause=_("the basis document it revokes took effect"),
    )
    check_event_date(
        received_on,
        field="received_on",
        label=_("The date the change was received"),
        now=now,
        not_before=effective_on,
        cause=_("the day the legal document took effect"),
    )
    if deadlines.deadlines_of(record).filter(rule_id=REVOCATION, status=DeadlineStatus.OPEN).exists():
        raise ValidationError(_("A revoked basis is already registered for this record and waiting to be acted on."))
    profile = current_profile()
    data: dict[str, object] = {
        "ground": ground,
        "legal_document": legal_document,
        "effective_on": effective_on.isoformat(),
        "received_on": received_on.isoformat(),
    }
    if profile and profile.revoked_basis_report_wd:
        # HL 38: the provider's report was due within its working days of the legal document taking effect.
        report = deadlines.deadline_open(
            case=record,
            department=record.department,
            rule_id=REVOCATION_REPORT,
            article=profile.sources.get("revoked_basis_report_wd", "") if profile.sources else "",
            anchor_event=gettext_noop("legal document took effect"),
            anchor_date=effective_on,
            days=profile.revoked_basis_report_wd,
            unit=DayCount.WORKING_DAYS,
            actor=actor,
            reason=reason,
        )
        data["report_due"] = report.due_date.isoformat()
        data["report_late"] = received_on > report.due_date
        deadlines.deadline_close(
            deadline=report,
            actor=actor,
            reason=_("Reported on %(date)s") % {"date": received_on.isoformat()},
            now=timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(12))),
        )
    removal = None
    if profile and profile.revoked_basis_removal_wd:
        removal = deadlines.deadline_open(
            case=record,
            department=record.department,
            rule_id=REVOCATION,
            article=profile.sources.get("revoked_basis_removal_wd", "") if profile.sources else "",
            anchor_event=gettext_noop("revoked basis received"),
            anchor_date=received_on,
            days=profile.revoked_basis_removal_wd,
            unit=DayCount.WORKING_DAYS,
            actor=actor,
            reason=reason,
        )
        data["due"] = removal.due_date.isoformat()
    revocation = BasisRevocation(
        department=record.department,
        record=record,
        ground=ground,
        legal_document=legal_document,
        effective_on=effective_on,
        received_on=received_on,
    )
    tracked_save(revocation, actor=actor, reason=reason)
    record_event(action="restoration.revocation.received", actor=actor, target=record, reason=reason, at=now, data=data)
    return removal


@transaction.atomic
def revocation_complete(*, record, actor, reason: str, now=None, expected_version=None) -> CreditRecord:
    """R-RES-6: the record is revoked (kept, with its history; shared copies flagged for withdrawal) and every
    designation relying on it ends by the one rule (``designations.services.endings``: removed from the list if
    listed, withdrawn if not yet in force; refused whole if one cannot be). The clock is met, or shown late."""
    from subjects.services import record_revoke

    now = now or timezone.now()
    record = _record_for_change(actor, record, expected_version)
    why = reason
    record = record_revoke(record=record, actor=actor, reason=why, now=now)
    for deadline in deadlines.deadlines_of(record).filter(rule_id=REVOCATION, status=DeadlineStatus.OPEN):
        deadlines.deadline_close(deadline=deadline, actor=actor, reason=why, now=now)
    revocation = (
        BasisRevocation.objects.select_for_update()
        .filter(record=record, revoked_at__isnull=True)
        .order_by("-pk")
        .first()
    )
    if revocation is not None:
        revocation.revoked_at, revocation.revoked_by, revocation.revocation_reason = now, actor, why
        tracked_save(revocation, actor=actor, reason=why)
    record_event(action="restoration.revocation.completed", actor=actor, target=record, reason=why, at=now)
    return record


def revocations_pending(*, user):
    """Registered revoked bases whose record is not revoked yet (R-RES-6), scoped: the ones with a clock soonest due
    first, then those of a profile that sets no time limit (HB, XJ), which are in someone's queue all the same
    (issue 16: every clock, and every act still owed, is in someone's queue). Each row carries ``due_date`` and
    ``provisional`` from its open clock, if any."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F, OuterRef, Subquery

    from creditportal.models import Deadline

    clocks = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(CreditRecord),
        object_id=OuterRef("record_id"),
        rule_id=REVOCATION,
        status=DeadlineStatus.OPEN,
    ).order_by("due_date")
    return (
        scope_queryset(user, BasisRevocation.objects.all(), "view")
        .filter(revoked_at__isnull=True)
        .select_related("record__subject", "record__catalog_item")
        .annotate(
            due_date=Subquery(clocks.values("due_date")[:1]), provisional=Subquery(clocks.values("provisional")[:1])
        )
        .order_by(F("due_date").asc(nulls_last=True), "received_on", "pk")
    )


# --- the provider's corrections (R-REC-4) and trustworthiness information (R-REC-5) ----------------------------


@transaction.atomic
def record_provider_correct(
    *, record, actor, reason: str, changes: dict, discovered_on: datetime.date, now=None, expected_version=None
) -> CreditRecord:
    """R-REC-4 (HL 38): the provider corrects its own error within the profile's working days of discovering
    it, and the correction is sent on: the sharing platform's copies are flagged for the change within the same
    days. The clock is kept on the record (met, or late), so a court can check it."""
    from subjects.services import record_correct

    now = now or timezone.now()
    record = _record_for_change(actor, record, expected_version)
    check_event_date(
        discovered_on,
        field="discovered_on",
        label=_("The date the error was discovered"),
        now=now,
        not_before=record.determined_on,
        cause=_("the information was determined"),
    )
    profile = current_profile()
    days = profile.provider_correction_wd if profile else None
    record = record_correct(
        record=record,
        actor=actor,
        reason=reason,
        changes=changes,
        now=now,
        sharing_days_field="provider_correction_wd" if days else "shared_copies_change_wd",
    )
    if days:
        clock = deadlines.deadline_open(
            case=record,
            department=record.department,
            rule_id=CORRECTION,
            article=profile.sources.get("provider_correction_wd", "") if profile and profile.sources else "",
            anchor_event=gettext_noop("error discovered"),
            anchor_date=discovered_on,
            days=days,
            unit=DayCount.WORKING_DAYS,
            actor=actor,
            reason=reason,
        )
        deadlines.deadline_close(deadline=clock, actor=actor, reason=reason, now=now)
        record_event(
            action="restoration.correction.clock",
            actor=actor,
            target=record,
            reason=reason,
            at=now,
            data={"due": clock.due_date.isoformat(), "late": timezone.localdate(now) > clock.due_date},
        )
    return record


@transaction.atomic
def trustworthy_hide(*, record, actor, reason: str, hide: bool = True, now=None, expected_version=None) -> CreditRecord:
    """R-REC-5 (HL 37, XJ 41, HB 31): trustworthiness information hidden, or shown again, at the subject's
    request (the record's workflow refuses untrustworthiness information)."""
    from subjects.services import record_hide, record_show

    record = _record_for_change(actor, record, expected_version)
    return (record_hide if hide else record_show)(record=record, actor=actor, reason=reason, now=now)
