"""A credit record: its entry through the lawful-data guard (R-CAT-1, R-REC-1) and its life after it is entered
(subjects/workflow.py: R-OBJ-5, R-OBJ-6, R-REC-4, R-REC-5, R-RES-4, R-RES-6, R-DIS-3), and the "under objection"
label (R-OBJ-2)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditportal import documents
from creditportal.audit import record_event, tracked_save
from creditportal.choices import DocumentKind
from creditportal.dates import check_event_date
from creditportal.models import Department
from creditportal.permissions import acting_department_id, scope_queryset
from creditportal.profiles import current_profile

from ..choices import ArchiveReason, PenaltyWithdrawal, RecordEndCause, RecordKind, SharingFlag
from ..disclosure import record_disclosure_period, unpublished_refusal
from ..endings import announce_record_end
from ..models import BasisDocument, CreditRecord, CreditSubject
from ..publication import penalties_republish, penalty_follow
from ..workflow import RECORD

BASIS_FIELDS = ("basis_type", "number", "issuing_authority", "effective_on", "simplified_procedure", "file")


def _basis_document(basis: dict, *, department_id: int) -> BasisDocument:
    """The basis document: the registered one with this authority and number, or a new (unsaved) one.

    A document already registered (by any department: a judgment is the same judgment) is reused only if the
    details entered agree with it; otherwise the user is told, rather than silently linking another document.
    """
    existing = BasisDocument.objects.filter(
        issuing_authority=basis["issuing_authority"], number=basis["number"]
    ).first()
    if existing is None:
        return BasisDocument(
            department_id=department_id, **{k: v for k, v in basis.items() if k in BASIS_FIELDS and v is not None}
        )
    differs = [
        getattr(BasisDocument._meta.get_field(name), "verbose_name", name)
        for name in ("basis_type", "effective_on", "simplified_procedure")
        if name in basis and basis[name] is not None and basis[name] != getattr(existing, name)
    ]
    if differs:
        raise ValidationError(
            _(
                "Document %(number)s of %(authority)s is already registered with a different "
                "%(fields)s. Check the number, or correct the registered document."
            )
            % {
                "number": existing.number,
                "authority": existing.issuing_authority,
                "fields": ", ".join(str(f) for f in differs),
            },
            code="basis_conflict",
        )
    return existing


def refuse_determined_before_basis(determined_on, basis_document: BasisDocument | None, *, now=None) -> None:
    """R-REC-1: conduct is determined on a legally effective basis document, so the determination cannot be dated
    before the document took effect (a date checked against the cause it answers). Checked when a record is entered,
    imported or its date corrected."""
    if basis_document is None or basis_document.effective_on is None or determined_on is None:
        return
    check_event_date(
        determined_on,
        field="determined_on",
        label=_("The date of determination"),
        now=now,
        not_before=basis_document.effective_on,
        cause=_("the basis document took effect"),
    )


@transaction.atomic
def record_create(
    *,
    actor,
    subject: CreditSubject,
    catalog_item,
    summary: str,
    determined_on,
    reason: str,
    conduct_ended_on=None,
    basis: dict | None = None,
    department=None,
    provider_key: str = "",
    now=None,
) -> CreditRecord:
    """Enter a credit record through the lawful-data guard (R-CAT-1, R-CAT-3, R-CAT-4, R-CAT-5, R-REC-1).

    The guard runs before anything is written: a refused record leaves no row, no history and no event. Where the
    profile requires it (R-REC-3, HB 22), untrustworthiness information comes with a numbered written notice to
    the subject, and is neither delivered nor a ground for a designation until its service is recorded
    (``sharing_notice_serve``).
    """
    from catalog import guard

    subject = scope_queryset(actor, CreditSubject.objects.all(), "view").get(pk=subject.pk)
    department_id = acting_department_id(
        actor,
        "subjects.add_creditrecord",
        subject_department_id=subject.department_id,
        chosen_id=department.pk if department is not None else None,
    )
    kind = RecordKind.UNTRUSTWORTHY if catalog_item.is_untrustworthy else RecordKind.TRUSTWORTHY
    # R-REC-1: a legally effective determination: nothing determined, effective or ended in the future (a
    # disclosure period is never computed from a date that has not come).
    check_event_date(determined_on, field="determined_on", label=_("The date of determination"), now=now)
    if conduct_ended_on is not None:
        check_event_date(conduct_ended_on, field="conduct_ended_on", label=_("The date the conduct ended"), now=now)
    if basis and basis.get("effective_on"):
        check_event_date(
            basis["effective_on"], field="effective_on", now=now, label=_("The date the basis document took effect")
        )
    notice_first = notice_before_sharing(kind)
    if notice_first:
        refuse_unreachable(department_id)
    basis_document = _basis_document(basis, department_id=department_id) if basis and basis.get("number") else None
    refuse_determined_before_basis(determined_on, basis_document, now=now)
    _refuse_reentry(subject=subject, catalog_item=catalog_item, basis_document=basis_document)
    guard.check_record(
        subject=subject, catalog_item=catalog_item, kind=kind, basis_document=basis_document, texts=(summary,), on=now
    )
    if basis_document is not None and basis_document.pk is None:
        tracked_save(basis_document, actor=actor, reason=reason)
    refusal = unpublished_refusal(catalog_item, on=determined_on)
    if refusal:
        raise ValidationError({"catalog_item": refusal})
    disclosure_from, disclosure_until = record_disclosure_period(
        catalog_item=catalog_item, determined_on=determined_on, conduct_ended_on=conduct_ended_on
    )
    record = CreditRecord(
        department_id=department_id,
        subject=subject,
        catalog_item=catalog_item,
        basis_document=basis_document,
        kind=kind,
        summary=summary,
        determined_on=determined_on,
        conduct_ended_on=conduct_ended_on,
        disclosure_from=disclosure_from,
        disclosure_until=disclosure_until,
        recorded_by=actor,
        provider_key=provider_key.strip(),
    )
    if record.provider_key and CreditRecord.objects.filter(
        department_id=department_id, provider_key=record.provider_key
    ):
        # a unit's own key names one record of the department (the unique index holds it under a race too)
        raise ValidationError(
            {"provider_key": _("This department already holds a record with this provider's key.")},
            code="provider_key_held",
        )
    tracked_save(record, actor=actor, reason=reason)
    record_event(
        action="subjects.record.created",
        actor=actor,
        target=record,
        reason=reason,
        data={"catalog_item": catalog_item.code, "version": catalog_item.version.number},
    )
    record_documents_issue(record, actor=actor, reason=reason, now=now)
    # R-NAT-2, SAMR-45: on display from now, published where the profile says so (held while a notice is pending)
    penalty_follow(record, at=now)
    return record


def record_documents_issue(record: CreditRecord, *, actor, reason: str, now=None) -> None:
    """The documents a record is entered with, whichever way it is entered (a page, a batch import)."""
    if notice_before_sharing(record.kind):
        # R-REC-3 (HB 22): the subject is told in writing before the information is delivered to the aggregating
        # unit; the numbered notice is rendered after commit, and its service is recorded on the record's page.
        documents.document_issue(
            case=record,
            kind=DocumentKind.SHARING_NOTICE,
            department=record.department,
            actor=actor,
            reason=reason,
            now=now,
        )
    if restoration_notice_with_penalty(record):
        # R-NAT-4 (两书同达): the notice on credit restoration goes to the subject with the penalty decision
        documents.document_issue(
            case=record,
            kind=DocumentKind.RESTORATION_INFO,
            department=record.department,
            actor=actor,
            reason=_("Notice on credit restoration, served with the penalty decision"),
            now=now,
        )


def restoration_notice_with_penalty(record) -> bool:
    """R-NAT-4, R-NAT-6: an administrative penalty entered as untrustworthiness information, decided on a day the
    national rules in force ask for the notice to be served with the penalty decision."""
    from creditportal.rules import value_on

    item = record.catalog_item
    if record.kind != RecordKind.UNTRUSTWORTHY or not item.is_administrative_punishment:
        return False
    value, _rules = value_on("restoration_notice_with_decision", record.determined_on)
    return bool(value)


def notice_before_sharing(kind: str) -> bool:
    """R-REC-3 (HB 22): untrustworthiness information, in a deployment whose regulation requires the written notice
    before it is delivered to the aggregating unit (``JurisdictionProfile.notice_before_sharing``)."""
    profile = current_profile()
    return kind == RecordKind.UNTRUSTWORTHY and bool(profile and profile.notice_before_sharing)


def refuse_unreachable(department_id: int) -> None:
    """The notice tells the subject where to send a written objection (R-OBJ-1): the recording department's address
    and contact, which every notice prints, must be recorded before the notice can be issued."""
    department = Department.objects.get(pk=department_id)
    if not department.address.strip() or not department.contact.strip():
        raise ValidationError(
            _(
                "The department's address and contact are not recorded (the system administrator records them on "
                "the department): the written notice before sharing must tell the subject where to send an "
                "objection (R-REC-3)."
            ),
            code="department_unreachable",
        )


def _refuse_reentry(*, subject, catalog_item, basis_document) -> None:
    """Nothing archived returns (issue 18; R-DIS-3, R-RES-4): the same conduct — the same subject, catalog item and
    basis document — whose record ended (archived, withdrawn or revoked) is not entered again under a new date.
    The refusal names the ended record (read outside the casework scope, which hides archived records: only its
    number, status and date are said)."""
    if basis_document is None or basis_document.pk is None:
        return
    ended = (
        CreditRecord.objects.filter(
            subject=subject, catalog_item__code=catalog_item.code, basis_document=basis_document
        )
        .exclude(status__in=sorted(RECORD.sources_of("archive")))
        .order_by("-pk")
        .first()
    )
    if ended is not None:
        raise ValidationError(
            _(
                "Record #%(id)s of this subject on the same basis document (%(number)s) has ended (%(status)s, "
                "%(date)s): the same conduct is not entered again (R-DIS-3)."
            )
            % {
                "id": ended.pk,
                "number": basis_document.number,
                "status": ended.get_status_display(),
                "date": timezone.localdate(ended.updated_at).isoformat(),
            },
            code="reentry",
        )


# --- a record's life after it is entered (subjects/workflow.py) -------------------------------------------------

#: What a correction may change (R-OBJ-6, R-REC-4); the subject, the catalog item and the kind never change.
CORRECTABLE = ("summary", "determined_on", "conduct_ended_on")


def _locked_record(record: CreditRecord) -> CreditRecord:
    return CreditRecord.objects.select_for_update(of=("self",)).select_related("catalog_item").get(pk=record.pk)


def _sharing_due(today: datetime.date, profile_field: str) -> datetime.date | None:
    """The day the sharing platform's copies must be changed by: the profile's working days from ``today``
    (R-OBJ-6: HL 3 WD), or None where the regulation sets no number."""
    from creditportal import deadlines
    from creditportal.choices import DayCount
    from creditportal.profiles import current_profile

    profile = current_profile()
    days = getattr(profile, profile_field, None) if profile else None
    if not days:
        return None
    return deadlines.compute(anchor_date=today, days=days, unit=DayCount.WORKING_DAYS).due


def _flag_sharing(record: CreditRecord, flag: str, *, today: datetime.date, profile_field: str) -> None:
    record.sharing_flag = flag
    record.sharing_due = _sharing_due(today, profile_field)


def _take(record: CreditRecord, act: str, *, actor, reason: str, now, event_data: dict | None = None) -> CreditRecord:
    RECORD.apply(record, act, actor=actor)
    tracked_save(record, actor=actor, reason=reason)
    record_event(
        action=f"subjects.record.{act}",
        actor=actor,
        target=record,
        reason=reason,
        at=now,
        data={"status": record.status, **(event_data or {})},
    )
    return record


@transaction.atomic
def record_correct(
    *,
    record: CreditRecord,
    actor,
    reason: str,
    changes: dict,
    now=None,
    sharing_days_field="shared_copies_change_wd",
    sharing_from: datetime.date | None = None,
    basis_falls: bool = False,
) -> CreditRecord:
    """Correct a record's content (R-OBJ-6: an objection sustained; R-REC-4: the provider's own error): the old
    values stay in its history, the dates are checked, the disclosure period follows the corrected dates, and
    the shared copies are flagged for the change within the profile's days, counted from ``sharing_from`` (the
    day the error was discovered, R-REC-4) or from today. ``basis_falls``: the decider found
    that what rests on the record no longer stands on the corrected information (``subjects.endings``)."""
    now = now or timezone.now()
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValueError(f"Not correctable: {sorted(unknown)}")
    record = _locked_record(record)
    RECORD.apply(record, "correct", actor=actor)
    if not any(getattr(record, name) != value for name, value in changes.items()):
        raise ValidationError(_("The correction changes nothing: state what is corrected."), code="no_change")
    labels = {"determined_on": _("The date of determination"), "conduct_ended_on": _("The date the conduct ended")}
    for name, label in labels.items():
        if changes.get(name) is not None:
            check_event_date(changes[name], field=name, label=label, now=now)
    if changes.get("determined_on") is not None:
        refuse_determined_before_basis(changes["determined_on"], record.basis_document, now=now)
    before = {name: str(getattr(record, name)) for name in changes}
    for name, value in changes.items():
        setattr(record, name, value)
    record.disclosure_from, record.disclosure_until = record_disclosure_period(
        catalog_item=record.catalog_item, determined_on=record.determined_on, conduct_ended_on=record.conduct_ended_on
    )
    # Issue 18: a correction changes what is shown, it does not end the disclosure: corrected dates whose period
    # would already be over (before today, or before the determination) are refused; disclosure ends by its
    # period (the nightly expiry), restoration or revocation, each with its own record.
    today = timezone.localdate(now)
    if record.disclosure_until is not None and record.disclosure_until < max(today, record.determined_on):
        raise ValidationError(
            {
                next(
                    iter(name for name in ("conduct_ended_on", "determined_on") if name in changes), "determined_on"
                ): _(
                    "With these dates the disclosure period would have ended on %(date)s, before today: a correction "
                    "does not end what is shown. Check the dates; disclosure ends by its period, restoration or "
                    "revocation (R-DIS-1)."
                )
                % {"date": record.disclosure_until.isoformat()}
            },
            code="correction_ends_disclosure",
        )
    _flag_sharing(
        record, SharingFlag.CHANGE, today=sharing_from or timezone.localdate(now), profile_field=sharing_days_field
    )
    tracked_save(record, actor=actor, reason=reason)
    record_event(
        action="subjects.record.corrected",
        actor=actor,
        target=record,
        reason=reason,
        at=now,
        data={"before": before, "after": {name: str(value) for name, value in changes.items()}},
    )
    if basis_falls:
        announce_record_end(records=[record], cause=RecordEndCause.CORRECTED, actor=actor, reason=reason, now=now)
    else:  # SAMR-45 art. 12: what the public saw is withdrawn and published again as corrected
        penalties_republish([record.pk], cause=PenaltyWithdrawal.CORRECTED, at=now)
    return record


@transaction.atomic
def record_withdraw(
    *,
    record: CreditRecord,
    actor,
    reason: str,
    cause: RecordEndCause = RecordEndCause.OBJECTION_SUSTAINED,
    now=None,
    sharing_days_field="shared_copies_change_wd",
) -> CreditRecord:
    """Delete a record softly (R-OBJ-6: an objection sustained; R-REC-4): it stays, withdrawn, with its history;
    the shared copies are flagged for withdrawal, and what rests on it ends (``subjects.endings``)."""
    now = now or timezone.now()
    record = _locked_record(record)
    _flag_sharing(record, SharingFlag.WITHDRAW, today=timezone.localdate(now), profile_field=sharing_days_field)
    record = _take(record, "withdraw", actor=actor, reason=reason, now=now)
    announce_record_end(records=[record], cause=cause, actor=actor, reason=reason, now=now)
    return record


@transaction.atomic
def record_suspend(*, record: CreditRecord, actor, reason: str, now=None) -> CreditRecord:
    """R-OBJ-5 (HB 29): the providing unit did not report its review in time: disclosure and inquiry stop (its
    published penalty withdrawn meanwhile)."""
    now = now or timezone.now()
    record = _take(_locked_record(record), "suspend", actor=actor, reason=reason, now=now)
    penalty_follow(record, at=now)
    return record


@transaction.atomic
def record_resume(*, record: CreditRecord, actor, reason: str, now=None) -> CreditRecord:
    """R-OBJ-5: the providing unit reported: disclosure and inquiry resume (and publication, where it applies)."""
    now = now or timezone.now()
    record = _take(_locked_record(record), "resume", actor=actor, reason=reason, now=now)
    penalty_follow(record, at=now)
    return record


@transaction.atomic
def record_hide(*, record: CreditRecord, actor, reason: str, now=None) -> CreditRecord:
    """R-REC-5: trustworthiness information hidden at the subject's request."""
    return _take(_locked_record(record), "hide", actor=actor, reason=reason, now=now or timezone.now())


@transaction.atomic
def record_show(*, record: CreditRecord, actor, reason: str, now=None) -> CreditRecord:
    """R-REC-5: hidden trustworthiness information shown again at the subject's request."""
    return _take(_locked_record(record), "show", actor=actor, reason=reason, now=now or timezone.now())


@transaction.atomic
def record_revoke(*, record: CreditRecord, actor, reason: str, now=None) -> CreditRecord:
    """R-RES-6: the basis was revoked, found illegal or invalid, or changed by an effective legal document: the
    record is revoked (kept, with its history), the shared copies are flagged for withdrawal, and what rests on it
    ends (``subjects.endings``)."""
    now = now or timezone.now()
    record = _locked_record(record)
    _flag_sharing(record, SharingFlag.WITHDRAW, today=timezone.localdate(now), profile_field="shared_copies_change_wd")
    record = _take(record, "revoke", actor=actor, reason=reason, now=now)
    announce_record_end(records=[record], cause=RecordEndCause.REVOKED, actor=actor, reason=reason, now=now)
    return record


@transaction.atomic
def record_archive(
    *, record: CreditRecord, actor, reason: str, archive_reason: str = ArchiveReason.PERIOD_ENDED, now=None
) -> CreditRecord:
    """R-DIS-3, R-RES-4: display stops for good, the record is archived (never destroyed) and the shared copies
    are flagged for withdrawal, and what rests on it ends (``subjects.endings``). One record; the daily expiry job
    archives in bulk (subjects/disclosure.py)."""
    now = now or timezone.now()
    record = _locked_record(record)
    record.archived_at, record.archive_reason = now, archive_reason
    _flag_sharing(record, SharingFlag.WITHDRAW, today=timezone.localdate(now), profile_field="shared_copies_change_wd")
    record = _take(record, "archive", actor=actor, reason=reason, now=now, event_data={"because": archive_reason})
    cause = RecordEndCause.RESTORED if archive_reason == ArchiveReason.RESTORED else RecordEndCause.EXPIRED
    announce_record_end(records=[record], cause=cause, actor=actor, reason=reason, now=now)
    return record


@transaction.atomic
def objection_label_set(*, target, actor, reason: str, since) -> None:
    """R-OBJ-2: label a record or a subject (its identifying data) "under objection" from ``since``, or clear
    the label (``since`` None). Called by the objections app's services only."""
    if not isinstance(target, CreditRecord | CreditSubject):
        raise TypeError(f"{type(target).__name__} is not labelled by the subjects app.")
    target = type(target).objects.select_for_update().get(pk=target.pk)
    if target.under_objection_since == since:
        return
    target.under_objection_since = since
    tracked_save(target, actor=actor, reason=reason, validate=False)
