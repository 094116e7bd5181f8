"""R-REC-5 (HB 31, issue 19): in Hubei, trustworthiness information is deleted and archived at the subject's
application (kept, never destroyed, never displayed again, its shared copies withdrawn); elsewhere it is only
hidden (HL 37, XJ 41), and untrustworthiness information is never deleted at a request."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from subjects import services
from subjects.models import CreditRecord
from tests.case_data import make_catalog


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


def test_r_rec_5_hubei_deletes_and_archives_a_commendation_at_the_subjects_request(
    client, commendation, caseworker_a, organisation
):
    client.force_login(caseworker_a)
    page = client.get(reverse("record_detail", args=[commendation.pk])).content.decode()
    assert "record-delete" in page
    response = client.post(
        reverse("record_trustworthy", args=[commendation.pk, "delete"]),
        {"visibility-reason": "当事人书面申请删除", "visibility-expected_version": commendation.version},
        follow=True,
    )
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse(
        "subject_detail", args=[organisation.pk]
    )
    record = CreditRecord.objects.get(pk=commendation.pk)
    assert record.status == "archived" and record.archive_reason == "subject_request"
    assert record.sharing_flag == "withdraw" and record.archived_at is not None
    subject_page = client.get(reverse("subject_detail", args=[organisation.pk])).content.decode()
    assert "获评省级守合同重信用企业" not in subject_page


def test_r_rec_5_elsewhere_a_commendation_is_only_hidden(commendation, caseworker_a, settings):
    settings.CREDIT_JURISDICTION = "HL"
    with pytest.raises(ValidationError, match="does not provide for deleting"):
        services.trustworthy_delete(record=commendation, actor=caseworker_a, reason="申请删除")
    assert CreditRecord.objects.get(pk=commendation.pk).status == "active"


def test_r_rec_5_untrustworthiness_information_is_never_deleted_at_a_request(record, caseworker_a, settings):
    settings.CREDIT_JURISDICTION = "HB"
    with pytest.raises(ValidationError, match="Only trustworthiness information"):
        services.trustworthy_delete(record=record, actor=caseworker_a, reason="申请删除")
    assert CreditRecord.objects.get(pk=record.pk).status == "active"
