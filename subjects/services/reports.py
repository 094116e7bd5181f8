"""Credit reports (HN 28; R-SEC-1): a subject's information of a period, as it stood at a moment, issued as a PDF
that anyone holding it checks by its verification code (``subjects.selectors.report_verification``)."""

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
from creditportal.profiles import current_profile

from ..models import CreditReport, CreditSubject

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
    allowed = profile.free_reports_per_year if profile else None
    if not subject.is_person or allowed is None:
        return None
    issued = CreditReport.objects.filter(subject=subject, as_of__year=today.year, revoked_at__isnull=True).count()
    if issued < allowed:
        return None
    return _(
        "%(name)s has obtained %(count)s credit reports this year, as many as %(article)s gives a natural person. "
        "Its own information can still be inquired into, free of charge."
    ) % {"name": subject.name, "count": issued, "article": profile.cite("R-SEC-1") or _("the regulation")}


@transaction.atomic
def credit_report_issue(
    *, subject: CreditSubject, actor, reason: str, period_from, period_to, sectors=(), now=None
) -> CreditReport:
    """Issue a credit report of ``subject`` (HN 28; R-SEC-1): its information of the period and sectors asked for,
    as it stands now, free of charge; the PDF renders after commit, with its verification code and QR code."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors = _period_refusal(period_from, period_to, today)
    if errors:
        raise ValidationError(errors)
    subject = CreditSubject.objects.select_for_update().get(pk=subject.pk)  # one count at a time per subject
    refusal = _free_reports_refusal(subject, today)
    if refusal:
        raise ValidationError(refusal)
    report = CreditReport(
        department=subject.department,
        subject=subject,
        period_from=period_from,
        period_to=period_to,
        sectors=sorted(set(sectors)),
        as_of=now,
        verification_code=verification_code(),
    )
    tracked_save(report, actor=actor, reason=reason)
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
