"""Credit reports (HN 28; R-SEC-1): a subject's information of a period, as it stood at a moment, issued as a PDF
that anyone holding it checks by its verification code (``subjects.selectors.report_verification``); to the subject,
or to a third party under the subject's written authorisation (R-SEC-2), every inquiry registered (R-SEC-3)."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditportal import documents
from creditportal.audit import record_event, tracked_save
from creditportal.choices import DocumentKind
from creditportal.dates import check_event_date
from creditportal.profiles import current_profile

from ..models import CreditReport, CreditSubject, InquiryAuthorisation

#: The verification code's letters: no 0/O, 1/I/L, so a code read aloud or typed from paper is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def verification_code() -> str:
    """Sixteen random letters in four groups (about 79 bits): never derived from the subject or the report."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalised_code(text: str) -> str:
    """A code as typed (spaces, lower case, without dashes) in its stored form."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4)) if len(raw) == 16 else text.strip().upper()


def _period_refusal(period_from: datetime.date, period_to: datetime.date, today: datetime.date) -> dict:
    """Every date typed is checked against today and the other: a report states what is recorded, not what will be."""
    errors: dict = {}
    if period_to > today:
        errors["period_to"] = _("The period ends after today: a report states what is recorded, not what will be.")
    if period_from > period_to:
        errors["period_from"] = _("The period begins after it ends.")
    return errors


def _free_reports_refusal(subject: CreditSubject, today: datetime.date) -> str | None:
    """R-SEC-1 (HN 28): a natural person obtains its credit report the number of times a year the profile says;
    inquiring into its own information stays free and unlimited (its page)."""
    profile = current_profile()
    if profile is None or not subject.is_person or profile.free_reports_per_year is None:
        return None
    allowed = profile.free_reports_per_year
    issued = CreditReport.objects.filter(
        subject=subject, as_of__year=today.year, revoked_at__isnull=True, authorisation__isnull=True
    ).count()  # its own reports: a third party's inquiry is not one of them
    if issued < allowed:
        return None
    return _(
        "%(name)s has obtained %(count)s credit reports this year, as many as %(article)s gives a natural person. "
        "Its own information can still be inquired into, free of charge."
    ) % {"name": subject.name, "count": issued, "article": profile.cite("R-SEC-1") or _("the regulation")}


def authorisation_refusal(
    authorisation: InquiryAuthorisation | None, subject: CreditSubject, today: datetime.date
) -> str | None:
    """R-SEC-2: a third party inquires only under the subject's own written authorisation, for its agreed use, within
    its period, not withdrawn. None: the authorisation holds today."""
    if authorisation is None:
        return _("A third party inquires only with the subject's written authorisation (R-SEC-2): register it first.")
    if authorisation.subject_id != subject.pk:
        return _("This authorisation was given by another subject.")
    if authorisation.withdrawn_at:
        return _("The subject withdrew this authorisation on %(date)s.") % {
            "date": timezone.localdate(authorisation.withdrawn_at).isoformat()
        }
    if today < authorisation.valid_from:
        return _("This authorisation is valid only from %(date)s.") % {"date": authorisation.valid_from.isoformat()}
    if today > authorisation.valid_until:
        return _("This authorisation lapsed on %(date)s: the third party needs a new one.") % {
            "date": authorisation.valid_until.isoformat()
        }
    return None


@transaction.atomic
def credit_report_issue(
    *,
    subject: CreditSubject,
    actor,
    reason: str,
    period_from,
    period_to,
    sectors=(),
    authorisation: InquiryAuthorisation | None = None,
    for_third_party: bool = False,
    now=None,
) -> CreditReport:
    """Issue a credit report of ``subject`` (HN 28; R-SEC-1): its information of the period and sectors asked for,
    as it stands now, free of charge; the PDF renders after commit, with its verification code and QR code. For a
    third party (``for_third_party``) only under ``authorisation``, the subject's written authorisation in force
    today (R-SEC-2); the inquiry is registered with its use (R-SEC-3)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = _period_refusal(period_from, period_to, today)
    if errors:
        raise ValidationError(errors)
    subject = CreditSubject.objects.select_for_update().get(pk=subject.pk)  # one count at a time per subject
    if for_third_party or authorisation is not None:
        if authorisation is not None:
            authorisation = InquiryAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
        refusal = authorisation_refusal(authorisation, subject, today)
    else:
        refusal = _free_reports_refusal(subject, today)
    if refusal:
        raise ValidationError({"authorisation": refusal} if for_third_party else refusal)
    report = CreditReport(
        department=subject.department,
        subject=subject,
        period_from=period_from,
        period_to=period_to,
        sectors=sorted(set(sectors)),
        as_of=now,
        verification_code=verification_code(),
        authorisation=authorisation,
    )
    tracked_save(report, actor=actor, reason=reason)
    if authorisation is not None:
        record_event(
            action="subjects.inquiry.authorised",
            actor=actor,
            target=subject,
            reason=reason,
            data={
                "authorisation": authorisation.pk,
                "requester": authorisation.requester,
                "purpose": authorisation.purpose,
                "report": report.verification_code,
            },
        )
    documents.document_issue(
        case=report, kind=DocumentKind.CREDIT_REPORT, department=subject.department, actor=actor, reason=reason, now=now
    )
    return report


@transaction.atomic
def credit_report_revoke(*, report: CreditReport, actor, reason: str, now=None) -> CreditReport:
    """Revoke a report issued in error: its verification says so, with the reason, from now on."""
    report = CreditReport.objects.select_for_update().get(pk=report.pk)
    if report.revoked_at:
        raise ValidationError(_("This credit report has already been revoked."))
    if not reason.strip():
        raise ValidationError(_("Say why the report is revoked: its verification shows the reason."))
    report.revoked_at, report.revoked_by, report.revocation_reason = now or timezone.now(), actor, reason
    tracked_save(report, actor=actor, reason=reason)
    record_event(action="subjects.credit_report.revoked", actor=actor, target=report.subject, reason=reason)
    return report


@transaction.atomic
def authorisation_register(
    *,
    subject: CreditSubject,
    actor,
    reason: str,
    requester: str,
    purpose: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    document,
    received_on: datetime.date,
    requester_code: str = "",
    now=None,
) -> InquiryAuthorisation:
    """R-SEC-2: register the subject's written authorisation of a third party's inquiry: the signed document on
    file, the day it was received (not in the future), the agreed use, and a bounded period (never for good,
    NDRC 14) that has not already ended."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not document:
        raise ValidationError(
            {"document": _("Attach the subject's signed authorisation: an inquiry needs it in writing (R-SEC-2).")}
        )
    check_event_date(received_on, field="received_on", label=_("The date the authorisation was received"), now=now)
    errors: dict = {}
    if valid_until < valid_from:
        errors["valid_until"] = _("The authorisation ends before it begins.")
    elif valid_until < today:
        errors["valid_until"] = _("This authorisation has already lapsed: it allows no inquiry.")
    if not purpose.strip():
        errors["purpose"] = _("Say the use the subject agreed to: an inquiry is only for it.")
    if errors:
        raise ValidationError(errors)
    authorisation = InquiryAuthorisation(
        department=subject.department,
        subject=subject,
        requester=requester,
        requester_code=requester_code,
        purpose=purpose,
        valid_from=valid_from,
        valid_until=valid_until,
        document=document,
        document_name=getattr(document, "name", "")[:255],
        received_on=received_on,
    )
    tracked_save(authorisation, actor=actor, reason=reason)
    record_event(
        action="subjects.inquiry.authorisation_registered",
        actor=actor,
        target=subject,
        reason=reason,
        data={"authorisation": authorisation.pk, "requester": requester, "until": valid_until.isoformat()},
    )
    return authorisation


@transaction.atomic
def authorisation_withdraw(*, authorisation: InquiryAuthorisation, actor, reason: str, now=None):
    """The subject withdraws its authorisation: from now on it allows no inquiry."""
    authorisation = InquiryAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
    if authorisation.withdrawn_at:
        raise ValidationError(_("This authorisation has already been withdrawn."))
    authorisation.withdrawn_at, authorisation.withdrawal_reason = now or timezone.now(), reason
    tracked_save(authorisation, actor=actor, reason=reason)
    return authorisation
