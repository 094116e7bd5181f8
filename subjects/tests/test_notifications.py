"""Notifications to subjects by email, in Chinese (issue 22): a document served on paper and the subject's own clock
about to end are told to a subject that gave an electronic address (its consent in force), once; a subject without
one is not mailed; a document served electronically is its own message."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from designations.tests.helpers import at, draft, to_state
from subjects import services
from subjects.models import SubjectNotification
from subjects.services.notifications import deadline_notices_send

pytestmark = pytest.mark.django_db


def _consent(subject, actor, day=None):
    return services.service_consent_register(
        subject=subject,
        actor=actor,
        reason="收到送达地址确认书",
        address="notice@example.cn",
        consented_on=day or timezone.localdate(),
        confirmation=SimpleUploadedFile("确认书.pdf", b"%PDF-1.7 signed", content_type="application/pdf"),
    )


def _noticed(record, catalog, caseworker, supervisor, department, capture):
    with capture(execute=True):
        return to_state(
            draft(caseworker=caseworker, department=department, record=record, catalog=catalog),
            "notified",
            caseworker=caseworker,
            supervisor=supervisor,
        )


def test_a_notice_served_on_paper_is_told_by_mail_to_a_consenting_subject_once(
    record, catalog, caseworker_a, supervisor_a, dept_a, mailoutbox, django_capture_on_commit_callbacks
):
    _consent(record.subject, caseworker_a, day=datetime.date(2026, 9, 1))
    designation = _noticed(record, catalog, caseworker_a, supervisor_a, dept_a, django_capture_on_commit_callbacks)
    told = [m for m in mailoutbox if "向您送达" in m.subject]
    assert len(told) == 1 and told[0].to == ["notice@example.cn"]
    assert "告知书" in told[0].subject and "2026年9月25日" in told[0].body and "/my/" in told[0].body
    assert "不是送达" in told[0].body  # the paper is the service, the mail a reminder
    notification = SubjectNotification.objects.get(kind="service")
    assert notification.subject_id == record.subject_id and designation.notice_document().services.count() == 1


def test_a_subject_without_an_electronic_address_is_not_mailed(
    record, catalog, caseworker_a, supervisor_a, dept_a, mailoutbox, django_capture_on_commit_callbacks
):
    _noticed(record, catalog, caseworker_a, supervisor_a, dept_a, django_capture_on_commit_callbacks)
    assert not [m for m in mailoutbox if "向您送达" in m.subject]
    assert deadline_notices_send(today=datetime.date(2026, 10, 8), now=at(2026, 10, 8, 8)) == {"sent": 0, "failed": 0}
    assert not SubjectNotification.objects.exists()


def test_r_des_1_the_statement_period_is_reminded_to_the_subject_before_it_ends_once(
    record, catalog, caseworker_a, supervisor_a, dept_a, mailoutbox, django_capture_on_commit_callbacks
):
    """R-DES-1's period, served 2026-09-25 (5 working days over the National Day holiday), ends 2026-10-09: a week
    before, nothing; two working days before, one mail naming the date; the next morning, nothing more."""
    _consent(record.subject, caseworker_a, day=datetime.date(2026, 9, 1))
    _noticed(record, catalog, caseworker_a, supervisor_a, dept_a, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    assert deadline_notices_send(today=datetime.date(2026, 9, 28), now=at(2026, 9, 28, 8))["sent"] == 0
    assert deadline_notices_send(today=datetime.date(2026, 10, 8), now=at(2026, 10, 8, 8))["sent"] == 1
    assert deadline_notices_send(today=datetime.date(2026, 10, 9), now=at(2026, 10, 9, 8))["sent"] == 0
    (message,) = mailoutbox
    assert "2026-10-09" in message.subject and "陈述" in message.subject and message.to == ["notice@example.cn"]
    assert "2026年10月9日" in message.body and record.subject.name in message.body


def test_an_electronic_service_is_its_own_message(record, caseworker_a, mailoutbox, django_capture_on_commit_callbacks):
    from creditportal.choices import ServiceMethod
    from subjects.selectors import report_verification
    from subjects.tests.test_credit_reports import _issue
    from subjects.tests.test_service_consent import _serve

    report = _issue(record.subject, caseworker_a, django_capture_on_commit_callbacks)
    document = report_verification(report.verification_code).pdf
    _consent(record.subject, caseworker_a)
    with django_capture_on_commit_callbacks(execute=True):
        _serve(document, caseworker_a, ServiceMethod.ELECTRONIC, timezone.localdate())
    assert len(mailoutbox) == 1 and mailoutbox[0].attachments  # the document itself, nothing besides
    assert not SubjectNotification.objects.exists()
