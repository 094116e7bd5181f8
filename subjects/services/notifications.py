"""Notifications to subjects by email, in Chinese (issue 22): a document served on paper, a clock running for the
subject that is about to end, a filing received. Sent only to the address of the subject's consent to electronic
service in force that day (APL art. 61: the one address the subject gave the authority for this); a subject without
one is told on paper, as before. Each message is sent once per key: the key is claimed and the mail sent in one
transaction, so a mail that fails leaves the key free for the next try and two sweeps never send it twice.

A notification is not service: a document served electronically is the message that carries it
(``service_consent.electronic_service_deliver``); what is told here is told again in the subject's portal."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from creditportal import deadlines as clocks
from creditportal import workdays
from creditportal.choices import DeadlineStatus, ServiceMethod
from creditportal.models import Deadline

from ..models import CreditSubject, SubjectNotification
from .service_consent import consent_in_force

logger = logging.getLogger(__name__)


def notify(
    *, subject_id: int, key: str, kind: str, title: str, template: str, context: dict, now=None
) -> SubjectNotification | None:
    """Mail the subject once for ``key``, in Chinese, at the address of its consent in force today; None when it has
    no such consent or was already told. A mail the server refuses raises (nothing is recorded: try again)."""
    now = now or timezone.now()
    consent = consent_in_force(subject_id, timezone.localdate(now))
    if consent is None:
        return None
    subject = CreditSubject.objects.get(pk=subject_id)
    try:
        with transaction.atomic():
            notification = SubjectNotification.objects.create(
                subject=subject, key=key, kind=kind, address=consent.address, title=title[:300], sent_at=now
            )
            with translation.override("zh-hans"):
                body = render_to_string(template, {**context, "subject": subject, "title": title})
            EmailMessage(subject=title, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[consent.address]).send()
    except IntegrityError:  # told already (another sweep, or the same act twice)
        return None
    return notification


def _portal_link() -> str:
    from django.urls import reverse

    return settings.EMAIL_LINK_BASE_URL.rstrip("/") + reverse("portal_home")


def service_notify(record_id: int) -> SubjectNotification | None:
    """Tell the subject that a document was served on it other than electronically (in person, by post, by
    announcement): what, by whom, when, and that the portal shows it."""
    from creditportal.models import ServiceRecord

    record = ServiceRecord.objects.select_related("document", "document__department").get(pk=record_id)
    document = record.document
    subject_id = getattr(document.case, "subject_id", None)
    if not subject_id:
        return None
    with translation.override("zh-hans"):
        what = f"{document.get_kind_display()}{'（' + document.number + '）' if document.number else ''}"
        title = _("%(department)s served %(document)s on you") % {
            "department": document.department.name,
            "document": what,
        }
        return notify(
            subject_id=subject_id,
            key=f"service:{record.pk}",
            kind=SubjectNotification.Kind.SERVICE,
            title=title,
            template="subjects/email/notification_service.txt",
            context={
                "document": document,
                "what": what,
                "record": record,
                "method": record.get_method_display(),
                "portal": _portal_link(),
            },
        )


def service_recorded(document, record) -> None:
    """``creditportal.documents``' hook: after a service on paper of a document to the subject, once committed, the
    subject is told by mail (a Celery task; the act never waits on the mail server)."""
    from creditportal.celery import publish_at_once
    from creditportal.documents import goes_to_subject

    from ..tasks import service_notify_task

    if record.method == ServiceMethod.ELECTRONIC or not goes_to_subject(document):
        return
    if not getattr(document.case, "subject_id", None):
        return

    def queue() -> None:
        try:
            publish_at_once(service_notify_task, args=[record.pk])
        except Exception:  # the broker is down: the service stands; the subject has the document on paper
            logger.warning("The notification of service %s could not be queued", record.pk, exc_info=True)

    transaction.on_commit(queue)


def deadline_notices_send(*, today: datetime.date, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind each subject whose own clock (``register_subject_clock``: the statement period) ends within
    ``DEADLINE_REMINDER_WD`` working days: what it may still do, until when. Once per clock and due date."""
    from creditportal.monitoring import case_title, reminder_working_days

    now = now or timezone.now()
    horizon = workdays.add_working_days(today, reminder_working_days(), workdays.load_calendar()).due or today
    candidates = list(
        Deadline.objects.filter(status=DeadlineStatus.OPEN, due_date__gte=today, due_date__lte=horizon)
        .filter(clocks.subject_clock_condition())
        .select_related("content_type", "department")
        .order_by("due_date", "pk")
    )
    cases = clocks.cases_of(candidates)
    sent = failed = 0
    for deadline in candidates:
        case = cases.get((deadline.content_type_id, deadline.object_id))
        subject_id = getattr(case, "subject_id", None)
        if not subject_id:
            continue
        with translation.override("zh-hans"):
            what = _(clocks.subject_clock_what(deadline))
            title = _("%(department)s: %(what)s ends on %(due)s") % {
                "department": deadline.department.name,
                "what": what,
                "due": deadline.due_date.isoformat(),
            }
            try:
                told = notify(
                    subject_id=subject_id,
                    key=f"deadline:{deadline.pk}:{deadline.due_date.isoformat()}",
                    kind=SubjectNotification.Kind.DEADLINE,
                    title=title,
                    template="subjects/email/notification_deadline.txt",
                    context={
                        "deadline": deadline,
                        "what": what,
                        "case": case_title(case),
                        "department": deadline.department,
                        "portal": _portal_link(),
                    },
                    now=now,
                )
            except Exception:  # one mail failing does not stop the others; its key stays free for tomorrow
                logger.exception("The reminder of deadline %s to its subject could not be sent", deadline.pk)
                failed += 1
                continue
        sent += told is not None
    return {"sent": sent, "failed": failed}
