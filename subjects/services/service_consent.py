"""Consent to electronic service (Administrative Punishment Law art. 61; issue 22): a subject's documents are served
electronically only where it agreed and signed a confirmation, recorded here; paper service stays for every subject.
Every service of every workflow passes ``electronic_service_refusal`` (``creditportal.documents``'s service guard)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from creditportal.audit import record_event, tracked_save
from creditportal.choices import ServiceMethod
from creditportal.dates import check_event_date

from ..models import CreditSubject, ServiceConsent


def consent_in_force(subject_id: int, day: datetime.date) -> ServiceConsent | None:
    """The subject's consent to electronic service in force on ``day``: given on or before it, not withdrawn by
    then (the latest, when there are several)."""
    return (
        ServiceConsent.objects.filter(subject_id=subject_id, consented_on__lte=day)
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__date__gt=day))
        .order_by("-consented_on", "-id")
        .first()
    )


def _electronic(document, method: str) -> bool:
    from creditportal.documents import goes_to_subject

    # paper, or a document to another unit (the subject's consent is not what it asks): not ours
    return method == ServiceMethod.ELECTRONIC and goes_to_subject(document)


def electronic_service_refusal(document, *, method: str, served_on: datetime.date) -> str | None:
    """APL art. 61: a document is served electronically only on a subject that consented and signed a confirmation,
    in force on the day of service; otherwise it is served on paper (in person, by mail, by announcement). The portal
    sends it as the service is recorded, so it arrives today: the date of service is today's."""
    if not _electronic(document, method):
        return None
    if served_on != timezone.localdate():
        return _(
            "An electronic service is the day the document reaches the subject's address: it is sent as you record "
            "it, so its date is today (%(today)s)."
        ) % {"today": timezone.localdate().isoformat()}
    subject_id = getattr(document.case, "subject_id", None)
    if subject_id and consent_in_force(subject_id, served_on):
        from creditportal.documents import signature_refusal

        return signature_refusal(document)  # and it reaches the subject signed by its department (issue 22)
    return _(
        "Electronic service needs the subject's consent and its signed confirmation, in force on the day of service "
        "(Administrative Punishment Law, article 61): register it on the subject's page, or serve the document "
        "another way."
    )


@transaction.atomic
def service_consent_register(
    *, subject: CreditSubject, actor, reason: str, address: str, consented_on, confirmation, now=None
) -> ServiceConsent:
    """Record the subject's consent to electronic service with the confirmation it signed (the file, typed by its
    content) and the day it consented (not in the future)."""
    if not confirmation:
        raise ValidationError(
            {"confirmation": _("Attach the confirmation the subject signed: electronic service needs it in writing.")}
        )
    check_event_date(consented_on, field="consented_on", label=_("The day the subject consented"), now=now)
    consent = ServiceConsent(
        department=subject.department,
        subject=subject,
        address=address,
        consented_on=consented_on,
        confirmation=confirmation,
        confirmation_name=getattr(confirmation, "name", "")[:255],
    )
    tracked_save(consent, actor=actor, reason=reason)
    record_event(
        action="subjects.service_consent.registered",
        actor=actor,
        target=subject,
        reason=reason,
        data={"consent": consent.pk, "from": consented_on.isoformat()},
    )
    return consent


@transaction.atomic
def service_consent_withdraw(*, consent: ServiceConsent, actor, reason: str, now=None) -> ServiceConsent:
    """The subject withdraws its consent: from now on its documents are served on paper."""
    consent = ServiceConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at:
        raise ValidationError(_("This consent has already been withdrawn."))
    consent.withdrawn_at, consent.withdrawal_reason = now or timezone.now(), reason
    tracked_save(consent, actor=actor, reason=reason)
    record_event(action="subjects.service_consent.withdrawn", actor=actor, target=consent.subject, reason=reason)
    return consent


def electronic_service_deliver(document, record) -> None:
    """Serve ``document`` electronically: send its PDF, in Chinese, to the address of the subject's consent in force
    today, before the service is recorded (a message the mail server refused is no service: the act is refused and
    nothing is recorded). The record names the address; an audit event says it was sent."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string
    from django.utils import translation

    if not _electronic(document, record.method):
        return
    consent = consent_in_force(document.case.subject_id, record.served_on)
    if consent is None:  # the guard refused before: a consent withdrawn since, in this very moment
        raise ValidationError(
            {"method": electronic_service_refusal(document, method=record.method, served_on=record.served_on)}
        )
    with translation.override("zh-hans"):
        title = f"{document.get_kind_display()}{'（' + document.number + '）' if document.number else ''}"
        body = render_to_string(
            "subjects/email/document_served.txt",
            {"document": document, "title": title, "department": document.department, "consent": consent},
        )
        message = EmailMessage(
            subject=_("%(department)s: %(title)s") % {"department": document.department.name, "title": title},
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[consent.address],
        )
        document.file.open("rb")
        try:
            message.attach(f"{title}.pdf", document.file.read(), "application/pdf")
        finally:
            document.file.close()
        try:
            message.send(fail_silently=False)
        except OSError as error:  # the mail server refused or could not be reached
            raise ValidationError(
                {
                    "method": _("The document could not be sent to %(address)s (%(error)s): nothing was recorded.")
                    % {"address": consent.address, "error": error.__class__.__name__}
                }
            ) from error
    record.recipient = consent.address
    record_event(
        action="subjects.document.sent_electronically",
        actor=record.recorded_by,
        target=document.case,
        reason=_("Served electronically"),
        data={"document": document.pk, "address": consent.address, "consent": consent.pk},
    )
