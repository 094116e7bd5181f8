"""Every act has its cause (issue 18): a record is revoked only against a registered legal document that revoked its
basis, never on a typed reason alone (R-RES-6); the record page offers registering the document, not revoking."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from subjects import services
from subjects.choices import RecordStatus


def test_r_res_6_no_revocation_without_a_registered_revoking_document(record, supervisor_a, caseworker_a):
    with pytest.raises(ValidationError, match="register it first"):
        services.revocation_complete(record=record, actor=supervisor_a, reason="依据已被撤销")
    record.refresh_from_db()
    assert record.status == RecordStatus.ACTIVE
    today = timezone.localdate()
    services.revocation_receive(
        record=record,
        actor=caseworker_a,
        reason="收到撤销决定",
        ground="revoked",
        legal_document="海府复决字〔2026〕9号",
        effective_on=today,
        received_on=today,
    )
    services.revocation_complete(record=record, actor=supervisor_a, reason="依据已被撤销")
    record.refresh_from_db()
    assert record.status == RecordStatus.REVOKED


def test_the_record_page_offers_registering_the_revoking_document(client, record, caseworker_a):
    client.force_login(caseworker_a)
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    assert reverse("revocation_create", args=[record.pk]) in page
