"""The objections panel on the case page links evidence through the scoped, logged download (not /media/)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from designations.tests.helpers import draft, to_state
from objections import services as objection_services

pytestmark = pytest.mark.django_db


def test_objection_evidence_is_downloaded_through_the_scope(
    client, caseworker_a, supervisor_a, dept_a, record, catalog
):
    designation = to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
        "notified",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    objection = objection_services.designation_objection_receive(
        designation=designation,
        actor=caseworker_a,
        ground="error",
        grounds_text="处罚决定已被撤销",
        received_at=datetime.datetime(2026, 11, 2, 2, tzinfo=datetime.UTC),
        reason="Received",
        evidence=ContentFile(b"%PDF evidence", "evidence.pdf"),
    )
    client.force_login(caseworker_a)
    html = client.get(reverse("designation_detail", args=[designation.pk])).content.decode()
    assert reverse("designation_evidence_file", args=[designation.pk, objection.pk]) in html
    assert "/media/" not in html
