"""Writes of the subject portal (issue 22): signing a subject in by a one-time code sent out of band; what a subject
files (for itself, or for an organisation as its legal representative or authorised agent); agents' authorisations.

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
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from creditportal.audit import record_event, system_user, tracked_save
from subjects.choices import SubjectKind
from subjects.models import CreditSubject
from subjects.services.service_consent import consent_in_force

from .agency import AGENT, LEGAL_REPRESENTATIVE, SELF, capacity, legal_representations
from .choices import Matter
from .models import AgentAuthorisation, SignInCode

logger = logging.getLogger(__name__)


def _hash(code: str, subject_id: int) -> str:
    return salted_hmac("portal.signin", f"{subject_id}:{code}").hexdigest()


def signin_code_send(*, identifier: str, now=None) -> SignInCode | None:
    """Ask for a sign-in code for the natural person whose identity number is ``identifier``, at the address of
    its consent in force today. None (and nothing sent) when no such person, no consent, or the hour's codes are
    spent (``PORTAL_SIGNIN_CODES_PER_HOUR`` for the person, ``PORTAL_SIGNIN_CODES_PER_ADDRESS`` for the address,
    whoever they were for): the page says the same in every case. The code itself is made and mailed by the worker
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
    # one address may serve several people (a company's representative and its clerk): it is not flooded either
    sent_there = SignInCode.objects.filter(address=consent.address, created_at__gte=hour_ago).count()
    if sent_there >= settings.PORTAL_SIGNIN_CODES_PER_ADDRESS:
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


def report_request(*, subject: CreditSubject, requested_by: CreditSubject | None = None, now=None):
    """The subject's own credit report, asked for in the portal (HN 28): the last five years to today, issued by the
    department that holds the subject, recorded as the subject's request (the portal's acts are the system
    account's, with the reason saying who asked: the subject, its legal representative or its agent for its credit
    reports, checked here again)."""
    from subjects.services import credit_report_issue

    now = now or timezone.now()
    today = timezone.localdate(now)
    requested_by = requested_by or subject
    role = _acting(subject, requested_by, Matter.REPORTS, today)
    reason = (
        _("Asked for by the subject in the portal")
        if role == SELF
        else _("Asked for in the portal by %(who)s") % {"who": _filer(subject, requested_by, role)}
    )
    return credit_report_issue(
        subject=subject,
        actor=system_user(),
        reason=reason,
        period_from=today - datetime.timedelta(days=5 * 365 + 1),
        period_to=today,
        now=now,
    )


def _acting(subject: CreditSubject, person: CreditSubject, matter: str, day: datetime.date) -> str:
    """In what capacity ``person`` acts for ``subject`` in ``matter`` on ``day`` (``portal.agency``); refused when it
    may not (not its representative, or an agent whose authorisations in force do not cover the matter)."""
    role, matters = capacity(person, subject, day)
    if role is None or matter not in matters:
        raise ValidationError(
            _(
                "%(person)s may not act for %(name)s in this matter: only its legal representative, or an agent "
                "whose authorisation in force today covers it."
            )
            % {"person": person.name, "name": subject.name},
            code="not_authorised",
        )
    return role


def _filer(subject: CreditSubject, filed_by: CreditSubject, role: str) -> str:
    """Who filed, as the department reads it: the subject, "X公司法定代表人Y" or "X公司代理人Y" acting for it."""
    if role == SELF:
        return subject.name
    if role == AGENT:
        return _("%(person)s, authorised agent of %(name)s") % {"person": filed_by.name, "name": subject.name}
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
    legal representative or its agent for objections acting for it, checked here again)."""
    from designations.models import Designation
    from objections.choices import ObjectionTarget
    from objections.services import objection_receive

    now = now or timezone.now()
    is_designation = isinstance(target, Designation)
    applicant = _filer(subject, filed_by, _acting(subject, filed_by, Matter.OBJECTIONS, timezone.localdate(now)))
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
    acceptance then checks the law (the class's minimum period, the commitment) as for any application. Filed by
    the subject, its legal representative or its agent for restoration (checked here again)."""
    from designations.models import Designation
    from restoration.services import restoration_receive

    now = now or timezone.now()
    is_designation = isinstance(target, Designation)
    who = _filer(subject, filed_by, _acting(subject, filed_by, Matter.RESTORATION, timezone.localdate(now)))
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


def agent_unknown_message() -> str:
    """The one answer when the person named as an agent cannot be one: unknown, another name, not a natural person, or
    no signed address to receive its sign-in code (the page does not say which: nobody learns from it whether a
    number is known)."""
    return _(
        "No natural person with this identity number and this name can be authorised: check both as they stand on "
        "the identity card. An agent signs in to the portal with a code mailed to the address of its signed consent "
        "to electronic service: if it has none, it signs for it with a department first."
    )


@transaction.atomic
def agent_authorise(
    *,
    organisation: CreditSubject,
    granted_by: CreditSubject,
    agent: CreditSubject,
    all_matters: bool,
    matters=(),
    expires_on: datetime.date,
    valid_from: datetime.date | None = None,
    now=None,
) -> AgentAuthorisation:
    """The organisation's legal representative in office authorises an agent to act for it in the portal (issue 22, as
    the electronic business licence's authorisations): a natural person who can sign in (a consent to electronic
    service in force), not already its legal representative nor its agent under another authorisation still
    running; all matters or named ones; from today (or a later day) until ``expires_on`` included, which is not
    past and at most ``PORTAL_AGENT_MAX_DAYS`` after it begins. An agent cannot authorise another. Every refusal
    changes nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # the organisation's row locked: two grants sent at once are judged one after the other (no duplicate)
    organisation = CreditSubject.objects.select_for_update().get(pk=organisation.pk)
    if organisation.kind == SubjectKind.NATURAL_PERSON or not organisation.is_active:
        raise ValidationError(_("Only an organisation authorises agents to act for it."))
    if capacity(granted_by, organisation, today)[0] != LEGAL_REPRESENTATIVE:
        raise ValidationError(
            _(
                "Only the legal representative of %(name)s in office authorises its agents; an agent cannot "
                "authorise another."
            )
            % {"name": organisation.name},
            code="not_representative",
        )
    valid_from = valid_from or today
    matters = sorted(set(matters))
    errors: dict[str, str] = {}
    if agent.kind != SubjectKind.NATURAL_PERSON or not agent.is_active:
        errors["identifier"] = _("An agent is a natural person: an organisation acts through its own representative.")
    elif legal_representations(today).filter(person=agent, organisation=organisation).exists():
        errors["identifier"] = _("%(person)s is a legal representative of %(name)s: it acts for it without one.") % {
            "person": agent.name,
            "name": organisation.name,
        }
    elif consent_in_force(agent.pk, today) is None:
        errors["identifier"] = agent_unknown_message()
    else:
        running = (
            AgentAuthorisation.objects.filter(organisation=organisation, agent=agent, withdrawn_at__isnull=True)
            .filter(expires_on__gte=today)
            .first()
        )
        if running is not None:
            errors["identifier"] = _(
                "%(person)s is already an agent of %(name)s until %(date)s: withdraw that authorisation first to "
                "give another."
            ) % {"person": agent.name, "name": organisation.name, "date": running.expires_on.isoformat()}
    if not all_matters and not matters:
        errors["matters"] = _("Choose all matters, or the matters the agent may act on.")
    elif set(matters) - set(Matter.values):
        errors["matters"] = _("Choose matters from the list.")
    limit = settings.PORTAL_AGENT_MAX_DAYS
    if valid_from < today:
        errors["valid_from"] = _("An authorisation begins today or later, not on a past day.")
    if expires_on < today:
        errors["expires_on"] = _("This day has passed: an authorisation expires today or later.")
    elif expires_on < valid_from:
        errors["expires_on"] = _("The authorisation expires before it begins.")
    elif expires_on > valid_from + datetime.timedelta(days=limit):
        errors["expires_on"] = _(
            "An authorisation lasts at most %(days)d days (until %(date)s); authorise the agent again then."
        ) % {"days": limit, "date": (valid_from + datetime.timedelta(days=limit)).isoformat()}
    if errors:
        raise ValidationError(errors)
    reason = _("Agent authorised in the portal by %(who)s") % {
        "who": _filer(organisation, granted_by, LEGAL_REPRESENTATIVE)
    }
    authorisation = AgentAuthorisation(
        department=organisation.department,
        organisation=organisation,
        agent=agent,
        all_matters=all_matters,
        matters=[] if all_matters else matters,
        valid_from=valid_from,
        expires_on=expires_on,
        granted_by=granted_by,
        granted_at=now,
    )
    tracked_save(authorisation, actor=system_user(), reason=reason)
    record_event(
        action="portal.agent.authorised",
        actor=None,
        target=organisation,
        reason=reason,
        data={
            "authorisation": authorisation.pk,
            "agent": agent.pk,
            "granted_by": granted_by.pk,
            "matters": "all" if all_matters else matters,
            "from": valid_from.isoformat(),
            "until": expires_on.isoformat(),
        },
    )
    return authorisation


@transaction.atomic
def agent_withdraw(
    *, authorisation: AgentAuthorisation, withdrawn_by: CreditSubject, reason: str, now=None
) -> AgentAuthorisation:
    """The organisation's legal representative in office withdraws an agent's authorisation, saying why: from this
    moment it allows nothing (the agent's next request no longer acts for the organisation). Kept, with who withdrew
    it, when and why."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    authorisation = (
        AgentAuthorisation.objects.select_for_update().select_related("organisation").get(pk=authorisation.pk)
    )
    organisation = authorisation.organisation
    if capacity(withdrawn_by, organisation, today)[0] != LEGAL_REPRESENTATIVE:
        raise ValidationError(
            _("Only the legal representative of %(name)s in office withdraws its agents' authorisations.")
            % {"name": organisation.name},
            code="not_representative",
        )
    if authorisation.withdrawn_at:
        raise ValidationError(_("This authorisation has already been withdrawn."))
    if authorisation.expires_on < today:
        raise ValidationError(
            _("This authorisation expired on %(date)s: it allows nothing already.")
            % {"date": authorisation.expires_on.isoformat()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the authorisation is withdrawn.")})
    authorisation.withdrawn_at, authorisation.withdrawn_by, authorisation.withdrawal_reason = now, withdrawn_by, reason
    who = _filer(organisation, withdrawn_by, LEGAL_REPRESENTATIVE)
    tracked_save(
        authorisation,
        actor=system_user(),
        reason=_("Withdrawn in the portal by %(who)s: %(reason)s")
        % {
            "who": who,
            "reason": reason,
        },
    )
    record_event(
        action="portal.agent.withdrawn",
        actor=None,
        target=organisation,
        reason=reason,
        data={"authorisation": authorisation.pk, "agent": authorisation.agent_id, "withdrawn_by": withdrawn_by.pk},
    )
    return authorisation
