"""What a record's provider does when the record itself was wrong or its basis fell: a revoked basis registered
and acted on (R-RES-6), the provider's own correction (R-REC-4), and trustworthiness information hidden or shown
at the subject's request (R-REC-5); and the service of the written notice before sharing (R-REC-3, HB 22). Each keeps its clock on the record (``creditportal.deadlines``) and changes
the record only through the record's own services (``records.py``)."""

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
from creditportal.permissions import scope_queryset
from creditportal.profiles import current_profile, profile_on

from ..choices import ArchiveReason, SharingFlag
from ..models import BasisRevocation, CreditRecord
from ..publication import penalty_follow
from ..workflow import CORRECTION, RECORD, REVOCATION, REVOCATION_REPORT
from .records import _flag_sharing, _take, record_correct, record_hide, record_revoke, record_show


def _record_for_change(actor, record, expected_version: int | None = None) -> CreditRecord:
    """The record locked, within the actor's scope, still at the version the page showed."""
    return lock_case(
        scope_queryset(actor, CreditRecord.objects.select_related("catalog_item"), "change"),
        record.pk,
        expected_version=expected_version,
    )


# --- revocation (R-RES-6) --------------------------------------------------------------------------------------


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
    now = now or timezone.now()
    record = _record_for_change(actor, record)
    refusal = RECORD.can(record, "revoke", actor=actor, registering=True)
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
    # R-NAT-6: each clock by the values in force on the day of its cause.
    profile, removal_profile = profile_on(effective_on), profile_on(received_on)
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
    if removal_profile and removal_profile.revoked_basis_removal_wd:
        removal = deadlines.deadline_open(
            case=record,
            department=record.department,
            rule_id=REVOCATION,
            article=(removal_profile.sources or {}).get("revoked_basis_removal_wd", ""),
            anchor_event=gettext_noop("revoked basis received"),
            anchor_date=received_on,
            days=removal_profile.revoked_basis_removal_wd,
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
    """R-RES-6: the record is revoked (kept, with its history; shared copies flagged for withdrawal) through
    ``record_revoke``, which announces its end (``subjects.endings``): whatever rests on it ends with it, or the
    revocation is refused whole (a designation relying on it is removed from the list if listed, withdrawn if not
    yet in force, by the app that owns it). The clock is met, or shown late, and the revoked basis says when."""
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


# --- the provider's corrections (R-REC-4) and trustworthiness information (R-REC-5) ----------------------------


@transaction.atomic
def record_provider_correct(
    *, record, actor, reason: str, changes: dict, discovered_on: datetime.date, now=None, expected_version=None
) -> CreditRecord:
    """R-REC-4 (HL 38): the provider corrects its own error within the profile's working days of discovering
    it, and the correction is sent on: the sharing platform's copies are flagged for the change within the same
    days. The clock is kept on the record (met, or late), so a court can check it."""
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
        # R-REC-4 (HL 38): corrected and sent on within the days counted from the discovery, not from whenever
        # the correction is typed in (issue 19).
        sharing_from=discovered_on if days else None,
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
    record = _record_for_change(actor, record, expected_version)
    return (record_hide if hide else record_show)(record=record, actor=actor, reason=reason, now=now)


@transaction.atomic
def trustworthy_delete(
    *,
    record,
    actor,
    reason: str,
    application=None,
    application_received_on: datetime.date | None = None,
    now=None,
    expected_version=None,
) -> CreditRecord:
    """R-REC-5 (HB 31): at the subject's application, trustworthiness information is deleted from display and
    archived (kept, never destroyed: R-SEC-4), and its shared copies are withdrawn. Only where the regulation
    provides it, and only for trustworthiness information (the record's workflow). Trustworthiness information
    grounds no designation, so nothing else ends with it.

    The deletion is the subject's act, not the department's: it rests on the subject's written ``application``
    (a document checked by the upload field, ``creditportal.uploads``), kept with the record and its history, and
    the day it was received, which is neither in the future nor before the record was entered."""
    now = now or timezone.now()
    record = _record_for_change(actor, record, expected_version)
    RECORD.check(record, "delete_on_request", actor=actor)  # the regulation and the kind first: nothing to attach
    if not application:
        raise ValidationError(
            {
                "application": _(
                    "Attach the subject's written application: trustworthiness information is deleted only at the "
                    "subject's application, in writing, kept on file (R-REC-5)."
                )
            },
            code="no_application",
        )
    if application_received_on is None:
        raise ValidationError(
            {"application_received_on": _("Say when the subject's written application was received.")},
            code="no_received_date",
        )
    check_event_date(
        application_received_on,
        field="application_received_on",
        label=_("The date the written application was received"),
        now=now,
        not_before=record.created_at,
        cause=_("the record was entered"),
    )
    record.deletion_application, record.deletion_application_received_on = application, application_received_on
    record.archived_at, record.archive_reason = now, ArchiveReason.SUBJECT_REQUEST
    _flag_sharing(record, SharingFlag.WITHDRAW, today=timezone.localdate(now), profile_field="shared_copies_change_wd")
    return _take(
        record,
        "delete_on_request",
        actor=actor,
        reason=reason,
        now=now,
        event_data={"because": "request", "application_received_on": application_received_on.isoformat()},
    )


# --- the written notice before sharing (R-REC-3) ---------------------------------------------------------------


@transaction.atomic
def sharing_notice_serve(
    *,
    record,
    actor,
    reason: str,
    method: str,
    served_on: datetime.date,
    recipient: str,
    proof=None,
    now=None,
    expected_version=None,
) -> CreditRecord:
    """R-REC-3 (HB 22): the written notice reached the subject. Recorded on the notice (only once its PDF exists and
    verifies; not in the future, not before the notice was issued: ``documents.service_record_add``) and on the
    record, whose information may from then on be delivered to the aggregating unit and ground a designation."""
    record = _serve_notice(
        record,
        "serve_sharing_notice",
        lambda r: r.sharing_notice(),
        actor=actor,
        reason=reason,
        method=method,
        served_on=served_on,
        recipient=recipient,
        proof=proof,
        now=now,
        expected_version=expected_version,
    )
    record.sharing_notice_served_on = served_on
    tracked_save(record, actor=actor, reason=reason)
    # R-REC-3: the hold is over; the penalty is published where the profile says so (R-NAT-2, SAMR-45)
    penalty_follow(record, at=now)
    return record


@transaction.atomic
def restoration_info_serve(
    *,
    record,
    actor,
    reason: str,
    method: str,
    served_on: datetime.date,
    recipient: str,
    proof=None,
    now=None,
    expected_version=None,
) -> CreditRecord:
    """R-NAT-4 (两书同达): the notice on credit restoration reached the subject with the penalty decision. Recorded on
    the notice (only once its PDF exists and verifies; not in the future, not before it was issued)."""
    return _serve_notice(
        record,
        "serve_restoration_info",
        lambda r: r.restoration_info(),
        actor=actor,
        reason=reason,
        method=method,
        served_on=served_on,
        recipient=recipient,
        proof=proof,
        now=now,
        expected_version=expected_version,
    )


def _serve_notice(record, act: str, notice, *, actor, expected_version, now, **service) -> CreditRecord:
    """The one way a notice about a record is served: the act's guards, then the service on the document."""
    now = now or timezone.now()
    record = _record_for_change(actor, record, expected_version)
    RECORD.apply(record, act, actor=actor)
    documents.service_record_add(document=notice(record), actor=actor, now=now, **service)
    return record
