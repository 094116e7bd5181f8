"""R-REC-5 (HB 31, issue 19): in Hubei, trustworthiness information is deleted and archived at the subject's
application (kept, never destroyed, never displayed again, its shared copies withdrawn); elsewhere it is only
hidden (HL 37, XJ 41), and untrustworthiness information is never deleted at a request.

The application is the subject's, in writing, on file: the deletion is refused without the uploaded application (a
PDF or image by its content, within the upload limit) and the day it was received (not in the future, not before the
record was entered); the file is kept with the record and downloaded as the archived record is read."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from creditportal.choices import Role
from creditportal.models import AuditEvent
from creditportal.tests.factories import user_with_role
from subjects import services
from subjects.models import CreditRecord
from tests.case_data import make_catalog

SIGNED = b"%PDF-1.4 the subject's signed application to delete"


def _application(content: bytes = SIGNED, name: str = "删除申请书.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def commendation(caseworker_a, dept_a, organisation, settings):
    """A commendation of the company (trustworthiness information), entered in Hubei."""
    item, _standard = make_catalog(
        actor=caseworker_a,
        department=dept_a,
        item={
            "code": "HB-09-001",
            "name": "表彰奖励信息",
            "category": "commendation",
            "is_untrustworthy": False,
            "is_administrative_punishment": False,
            "sector": "general",
            "display_min_months": 0,
        },
    )
    settings.CREDIT_JURISDICTION = "HB"
    return services.record_create(
        actor=caseworker_a,
        subject=organisation,
        catalog_item=item,
        summary="获评省级守合同重信用企业",
        determined_on=datetime.date.today() - datetime.timedelta(days=30),
        reason="录入表彰信息",
    )


def _post_delete(client, record, **fields):
    data = {"deletion-reason": "当事人书面申请删除", "deletion-expected_version": record.version}
    data.update({f"deletion-{name}": value for name, value in fields.items()})
    return client.post(reverse("record_trustworthy", args=[record.pk, "delete"]), data, follow=True)


def _unchanged(record) -> bool:
    stored = CreditRecord.objects.get(pk=record.pk)
    return stored.status == "active" and not stored.deletion_application and stored.archived_at is None


def test_r_rec_5_hubei_deletes_and_archives_a_commendation_on_the_subjects_written_application(
    client, commendation, caseworker_a, organisation
):
    client.force_login(caseworker_a)
    page = client.get(reverse("record_detail", args=[commendation.pk])).content.decode()
    assert "record-delete" in page and 'name="deletion-application"' in page
    received = timezone.localdate()
    response = _post_delete(client, commendation, application=_application(), application_received_on=received)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse(
        "subject_detail", args=[organisation.pk]
    )
    record = CreditRecord.objects.get(pk=commendation.pk)
    assert record.status == "archived" and record.archive_reason == "subject_request"
    assert record.sharing_flag == "withdraw" and record.archived_at is not None
    assert record.deletion_application_received_on == received
    assert record.deletion_application.read() == SIGNED
    # kept with the record's history: the row of the deletion names the application
    assert record.history.latest().deletion_application == record.deletion_application.name
    subject_page = client.get(reverse("subject_detail", args=[organisation.pk])).content.decode()
    assert "获评省级守合同重信用企业" not in subject_page


def test_r_rec_5_the_page_refuses_a_deletion_without_the_written_application_and_the_record_stays(
    client, commendation, caseworker_a, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(caseworker_a)
    response = _post_delete(client, commendation, application_received_on=timezone.localdate())
    page = response.content.decode()
    assert response.status_code == 200 and not response.redirect_chain
    assert "请附上信用主体的书面申请" in page
    assert _unchanged(commendation)


@pytest.mark.parametrize(
    "missing, field",
    [("application", "application"), ("application_received_on", "application_received_on")],
)
def test_r_rec_5_the_service_refuses_a_deletion_without_the_application_or_its_date(
    commendation, caseworker_a, missing, field
):
    given = {"application": _application(), "application_received_on": timezone.localdate()}
    given[missing] = None
    with pytest.raises(ValidationError) as refused:
        services.trustworthy_delete(record=commendation, actor=caseworker_a, reason="当事人书面申请删除", **given)
    assert field in refused.value.message_dict
    assert _unchanged(commendation)


@pytest.mark.parametrize(
    "upload, limit, message",
    [
        # an executable named .pdf: told by its content (creditportal.uploads)
        (lambda: _application(b"MZ\x90\x00" + b"\x00" * 64), 20, "不是PDF、JPEG或PNG"),
        # larger than the upload limit (0 MB here: any file is too large)
        (_application, 0, "超过0 MB"),
    ],
    ids=["not_a_document", "too_large"],
)
def test_r_rec_5_the_page_refuses_an_application_that_is_not_an_acceptable_document(
    client, commendation, caseworker_a, settings, upload, limit, message
):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.PORTAL_UPLOAD_MAX_MB = limit
    client.force_login(caseworker_a)
    response = _post_delete(client, commendation, application=upload(), application_received_on=timezone.localdate())
    assert not response.redirect_chain and message in response.content.decode()
    assert _unchanged(commendation)


@pytest.mark.parametrize(
    "days, why",
    [(1, "cannot be later than today"), (-1, "cannot be before the record was entered")],
    ids=["future", "before_the_record"],
)
def test_r_rec_5_the_application_is_not_received_in_the_future_nor_before_the_record_was_entered(
    commendation, caseworker_a, days, why
):
    entered = timezone.localdate(commendation.created_at)
    with pytest.raises(ValidationError) as refused:
        services.trustworthy_delete(
            record=commendation,
            actor=caseworker_a,
            reason="当事人书面申请删除",
            application=_application(),
            application_received_on=entered + datetime.timedelta(days=days),
        )
    assert why in " ".join(refused.value.message_dict["application_received_on"])
    assert _unchanged(commendation)


@pytest.fixture
def deleted(commendation, caseworker_a):
    return services.trustworthy_delete(
        record=commendation,
        actor=caseworker_a,
        reason="当事人书面申请删除",
        application=ContentFile(SIGNED, name="删除申请书.pdf"),
        application_received_on=timezone.localdate(),
    )


def test_r_rec_5_the_application_is_downloaded_as_the_archived_record_is_read(
    client, deleted, auditor_a, caseworker_a, dept_b
):
    """The department's auditor, who reads its archive (R-DIS-3), downloads the application under a readable name,
    and the download is logged; the caseworker, to whom an archived record is never shown again, and another
    department's auditor get a 404."""
    url = reverse("record_deletion_application", args=[deleted.pk])
    client.force_login(auditor_a)
    archive = client.get(reverse("archive_detail", args=[deleted.pk])).content.decode()
    assert f'href="{url}"' in archive  # the archive page links to the application on file
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == SIGNED
    assert f"-{deleted.pk}.pdf" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(
        action="subjects.record.deletion_application.downloaded", object_id=str(deleted.pk), actor=auditor_a
    ).exists()
    for outsider in (caseworker_a, user_with_role(Role.AUDITOR, dept_b, username="auditor_b")):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider.username


def test_r_rec_5_elsewhere_a_commendation_is_only_hidden(commendation, caseworker_a, settings):
    settings.CREDIT_JURISDICTION = "HL"
    with pytest.raises(ValidationError, match="does not provide for deleting"):
        services.trustworthy_delete(
            record=commendation,
            actor=caseworker_a,
            reason="申请删除",
            application=_application(),
            application_received_on=timezone.localdate(),
        )
    assert _unchanged(commendation)


def test_r_rec_5_untrustworthiness_information_is_never_deleted_at_a_request(record, caseworker_a, settings):
    settings.CREDIT_JURISDICTION = "HB"
    with pytest.raises(ValidationError, match="Only trustworthiness information"):
        services.trustworthy_delete(
            record=record,
            actor=caseworker_a,
            reason="申请删除",
            application=_application(),
            application_received_on=timezone.localdate(),
        )
    assert _unchanged(record)
