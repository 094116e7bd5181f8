"""Writes of the subject portal (issue 22): signing a subject in by a one-time code sent out of band.

A natural person signs in with its identity number and a code mailed to the address of its consent to electronic
service (the confirmation it signed: ``subjects.ServiceConsent``), the one address the authority holds in writing as
the subject's. Nothing says whether a number is known: the answer is the same either way. The code is kept as a keyed
hash, valid for minutes, a few tries, used once; codes for one subject are limited per hour.
"""

from __future__ import annotations

import datetime
import logging
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from creditportal.audit import record_event
from subjects.choices import SubjectKind
from subjects.models import CreditSubject
from subjects.services.service_consent import consent_in_force

from .models import SignInCode

logger = logging.getLogger(__name__)


def _hash(code: str, subject_id: int) -> str:
    return salted_hmac("portal.signin", f"{subject_id}:{code}").hexdigest()


def signin_code_send(*, identifier: str, now=None) -> SignInCode | None:
    """Ask for a sign-in code for the natural person whose identity number is ``identifier``, at the address of
    its consent in force today. None (and nothing sent) when no such person, no consent, or the hour's codes are
    spent: the page says the same in every case. The code itself is made and mailed by the worker
    (``signin_code_mail``), so the request takes as long whether or not a message goes out, and no code travels
    through the broker."""
    now = now or timezone.now()
    subject = CreditSubject.objects.filter(
        kind=SubjectKind.NATURAL_PERSON, id_digest=CreditSubject.digest_of(identifier.strip()), is_active=True
    ).first()
    if subject is None:
        return None
    consent = consent_in_force(subject.pk, timezone.localdate(now))
    if consent is None:
        return None
    hour_ago = now - datetime.timedelta(hours=1)
    per_hour = settings.PORTAL_SIGNIN_CODES_PER_HOUR
    if SignInCode.objects.filter(subject=subject, created_at__gte=hour_ago).count() >= per_hour:
        return None
    row = SignInCode.objects.create(
        subject=subject,
        address=consent.address,
        code_hash="",  # made by the worker
        created_at=now,
        expires_at=now + datetime.timedelta(minutes=settings.PORTAL_SIGNIN_CODE_MINUTES),
    )
    transaction.on_commit(lambda: _dispatch(row.pk))
    return row


def _dispatch(code_id: int) -> None:
    from creditportal.celery import publish_at_once

    from .tasks import signin_code_mail_task

    try:
        publish_at_once(signin_code_mail_task, args=[code_id])
    except Exception:  # the broker is unreachable: no code goes out; the person asks again
        logger.warning("Sign-in code %s could not be queued", code_id, exc_info=True)


def signin_code_mail(code_id: int) -> bool:
    """Make the code of sign-in request ``code_id`` and mail it, in Chinese, to its address (once)."""
    with transaction.atomic():
        row = SignInCode.objects.select_for_update().select_related("subject").filter(pk=code_id).first()
        if row is None or row.code_hash or row.used_at:
            return False
        code = f"{secrets.randbelow(10**6):06d}"
        row.code_hash = _hash(code, row.subject_id)
        row.save(update_fields=["code_hash"])
    with translation.override("zh-hans"):
        send_mail(
            subject=_("Your sign-in code for the credit portal"),
            message=render_to_string(
                "portal/email/signin_code.txt",
                {"subject": row.subject, "code": code, "minutes": settings.PORTAL_SIGNIN_CODE_MINUTES},
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[row.address],
        )
    record_event(action="portal.signin.code_sent", actor=None, target=row.subject, data={"code": row.pk})
    return True


@transaction.atomic
def signin_code_check(*, code_id: int | None, code: str, now=None) -> CreditSubject | None:
    """The subject the code signs in, or None: unknown, used, expired, out of tries, or wrong (a wrong code uses a
    try). Used once."""
    now = now or timezone.now()
    if not code_id:
        return None  # no code was sent (the page looked the same)
    row = SignInCode.objects.select_for_update().filter(pk=code_id).select_related("subject").first()
    if (
        row is None
        or not row.code_hash
        or row.used_at
        or row.expires_at < now
        or row.attempts >= settings.PORTAL_SIGNIN_TRIES
    ):
        return None
    if not constant_time_compare(_hash(code.strip(), row.subject_id), row.code_hash):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        return None
    row.used_at = now
    row.save(update_fields=["used_at"])
    record_event(action="portal.signin.signed_in", actor=None, target=row.subject, data={"code": row.pk})
    return row.subject


def report_request(*, subject: CreditSubject, now=None):
    """The subject's own credit report, asked for in the portal (HN 28): the last five years to today, issued by the
    department that holds the subject, recorded as the subject's request (the portal's acts are the system
    account's, with the reason saying who asked)."""
    from creditportal.audit import system_user
    from subjects.services import credit_report_issue

    now = now or timezone.now()
    today = timezone.localdate(now)
    return credit_report_issue(
        subject=subject,
        actor=system_user(),
        reason=_("Asked for by the subject in the portal"),
        period_from=today - datetime.timedelta(days=5 * 365 + 1),
        period_to=today,
        now=now,
    )


def _filer(subject: CreditSubject, filed_by: CreditSubject) -> str:
    """Who filed, as the department reads it: the subject, or "X公司法定代表人Y" acting for it."""
    if filed_by.pk == subject.pk:
        return subject.name
    return _("%(person)s, legal representative of %(name)s") % {"person": filed_by.name, "name": subject.name}


def objection_file(
    *,
    subject: CreditSubject,
    filed_by: CreditSubject,
    target,
    ground: str,
    grounds_text: str,
    evidence=None,
    contact: str = "",
    now=None,
):
    """The subject files an objection online (R-OBJ-1) to one of its records on display or one of its designations:
    received the moment it is filed, by the department that holds the information, through the one receiving service
    (``objections.services.objection_receive``: its guards, dates and clocks), the applicant named (the subject, or its
    legal representative acting for it)."""
    from creditportal.audit import system_user
    from designations.models import Designation
    from objections.choices import ObjectionTarget
    from objections.services import objection_receive

    now = now or timezone.now()
    is_designation = isinstance(target, Designation)
    applicant = _filer(subject, filed_by)
    return objection_receive(
        actor=system_user(),
        subject=subject,
        target=ObjectionTarget.DESIGNATION if is_designation else ObjectionTarget.RECORD,
        record=None if is_designation else target,
        designation=target if is_designation else None,
        ground=ground,
        grounds_text=grounds_text,
        received_at=now,
        applicant=applicant,
        applicant_contact=contact,
        evidence=evidence,
        reason=_("Filed online by the subject in the portal"),
        online=True,
        now=now,
    )


def restoration_apply(
    *,
    subject: CreditSubject,
    filed_by: CreditSubject,
    target,
    method: str,
    evidence: str,
    commitment: str = "",
    evidence_file=None,
    now=None,
):
    """The subject applies online for credit restoration (R-RES-1, R-NAT-3: the national single window's role) of
    one of its listings or records, with its public credit commitment: the deciding department receives it as it is
    filed, through the one receiving service (``restoration.services.restoration_receive``: its guards and dates);
    acceptance then checks the law (the class's minimum period, the commitment) as for any application."""
    from creditportal.audit import system_user
    from designations.models import Designation
    from restoration.services import restoration_receive

    is_designation = isinstance(target, Designation)
    who = _filer(subject, filed_by)
    return restoration_receive(
        actor=system_user(),
        reason=_("Applied for online by %(who)s in the portal") % {"who": who},
        method=method,
        evidence=evidence,
        evidence_file=evidence_file,
        commitment=commitment,
        designation=target if is_designation else None,
        record=None if is_designation else target,
        online=True,
        now=now,
    )
