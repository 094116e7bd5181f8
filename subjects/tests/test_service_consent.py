"""Electronic service (Administrative Punishment Law art. 61; issue 22): a document is served electronically only on a
subject that consented and signed a confirmation, in force on the day of service. The guard sits in the one service
path (``creditportal.documents.service_record_add``), so it holds for every workflow's documents; paper stays."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from creditportal import documents
from creditportal.choices import ServiceMethod
from subjects import services
from subjects.selectors import report_verification
from subjects.tests.test_credit_reports import _issue

pytestmark = pytest.mark.django_db
SIGNED = b"%PDF-1.7 signed confirmation"


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def document(record, caseworker_a, django_capture_on_commit_callbacks):
    """An issued, rendered document whose case belongs to the subject (its credit report)."""
    report = _issue(record.subject, caseworker_a, django_capture_on_commit_callbacks)
    return report_verification(report.verification_code).pdf


def _serve(document, actor, method, day):
    return documents.service_record_add(
        document=document, method=method, served_on=day, recipient="企业邮箱", actor=actor, reason="送达"
    )


def _consent(subject, actor, **changes):
    fields = {
        "address": "credit@example.cn",
        "consented_on": timezone.localdate(),
        "confirmation": SimpleUploadedFile("确认书.pdf", SIGNED, content_type="application/pdf"),
        **changes,
    }
    return services.service_consent_register(subject=subject, actor=actor, reason="收到送达地址确认书", **fields)


def test_apl_61_electronic_service_needs_the_subjects_signed_consent_in_force_that_day(document, caseworker_a):
    subject = document.case.subject
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        _serve(document, caseworker_a, ServiceMethod.ELECTRONIC, today)
    assert "行政处罚法" in refused.value.message_dict["method"][0]
    assert not document.services.exists()
    _serve(document, caseworker_a, ServiceMethod.IN_PERSON, today)  # paper stays for everyone

    consent = _consent(subject, caseworker_a, consented_on=today - datetime.timedelta(days=3))
    with pytest.raises(ValidationError) as refused:  # sent as it is recorded: it arrives today, not on a typed day
        _serve(document, caseworker_a, ServiceMethod.ELECTRONIC, today - datetime.timedelta(days=1))
    assert "今天" in refused.value.message_dict["method"][0]
    record = _serve(document, caseworker_a, ServiceMethod.ELECTRONIC, today)
    assert record.recipient == "credit@example.cn"  # the consented address, whatever was typed
    services.service_consent_withdraw(consent=consent, actor=caseworker_a, reason="当事人书面撤回")
    with pytest.raises(ValidationError):
        _serve(document, caseworker_a, ServiceMethod.ELECTRONIC, today)
    assert document.services.count() == 2


def test_apl_61_the_document_is_sent_to_the_consented_address_in_chinese_with_its_pdf(
    document, caseworker_a, mailoutbox
):
    from creditportal.models import AuditEvent

    _consent(document.case.subject, caseworker_a)
    _serve(document, caseworker_a, ServiceMethod.ELECTRONIC, timezone.localdate())
    message = mailoutbox[-1]
    assert message.to == ["credit@example.cn"] and "信用报告" in message.subject
    assert "送达之日" in message.body and document.case.subject.name in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF") and name.endswith(".pdf")
    assert AuditEvent.objects.filter(action="subjects.document.sent_electronically").exists()


def test_apl_61_a_message_the_mail_server_refuses_is_no_service(document, caseworker_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    _consent(document.case.subject, caseworker_a)
    with pytest.raises(ValidationError) as refused:
        _serve(document, caseworker_a, ServiceMethod.ELECTRONIC, timezone.localdate())
    assert "credit@example.cn" in refused.value.message_dict["method"][0]
    assert not document.services.exists()


def test_a_consent_is_registered_only_with_the_signed_confirmation_and_not_dated_in_the_future(record, caseworker_a):
    with pytest.raises(ValidationError) as refused:
        _consent(record.subject, caseworker_a, confirmation=None)
    assert "confirmation" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _consent(record.subject, caseworker_a, consented_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "consented_on" in refused.value.message_dict
    assert not record.subject.service_consents.exists()


def test_registered_and_withdrawn_through_the_subjects_page_and_another_department_gets_a_404(
    client, record, caseworker_a, caseworker_b
):
    subject = record.subject
    url = reverse("service_consent_create", args=[subject.pk])
    client.force_login(caseworker_b)
    assert client.get(url).status_code == 404
    client.force_login(caseworker_a)
    data = {"address": "credit@example.cn", "consented_on": timezone.localdate().isoformat(), "reason": "收到确认书"}
    assert client.post(url, data).status_code == 200 and not subject.service_consents.exists()  # no confirmation
    file = SimpleUploadedFile("确认书.pdf", SIGNED, content_type="application/pdf")
    assert client.post(url, {**data, "confirmation": file}).status_code == 302
    consent = subject.service_consents.get()
    page = client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    assert "credit@example.cn" in page and "电子送达" in page
    download = client.get(reverse("service_consent_document", args=[consent.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == SIGNED
    assert (
        client.post(reverse("service_consent_withdraw", args=[consent.pk]), {"reason": "书面撤回"}).status_code == 302
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    client.force_login(caseworker_b)
    assert client.get(reverse("service_consent_document", args=[consent.pk])).status_code == 404


def test_a_report_to_another_unit_is_sent_electronically_without_the_subjects_consent(
    record, catalog, caseworker_a, supervisor_a, dept_a, django_capture_on_commit_callbacks, settings
):
    """The consent is the subject's, for what is served on it: a report to the authority above (R-DES-9) is not."""
    from creditportal.models import IssuedDocument
    from designations.tests.helpers import draft, render_pending, to_state

    settings.CREDIT_JURISDICTION = "HL"  # HL 32: a state-owned enterprise's listing is reported upward
    subject = record.subject
    subject.ownership = "state_owned"
    subject.save()
    with django_capture_on_commit_callbacks(execute=True):
        designation = to_state(
            draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
            "listed",
            caseworker=caseworker_a,
            supervisor=supervisor_a,
        )
    render_pending(designation)
    report = IssuedDocument.objects.filter(kind="report_to_authority", object_id=designation.pk).first()
    assert report is not None and not record.subject.service_consents.exists()
    _serve(report, caseworker_a, ServiceMethod.ELECTRONIC, timezone.localdate())
    assert report.services.filter(method=ServiceMethod.ELECTRONIC).exists()
