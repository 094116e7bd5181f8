"""A document whose PDF the storage lost (a volume not mounted, a bucket misconfigured): the case page still arrives
and says why the document cannot be served; its download is a 404 that says so; both are logged for the operator."""

import pytest
from django.urls import reverse

from creditportal.models import IssuedDocument
from designations.tests.helpers import draft, to_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_notice(caseworker_a, supervisor_a, dept_a, record, catalog):
    designation = to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog),
        "pending_notice",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    notice = IssuedDocument.objects.get(object_id=designation.pk, kind="notice")
    notice.file.storage.delete(notice.file.name)
    return designation, notice


def test_the_case_page_arrives_and_refuses_the_service_of_a_pdf_the_storage_lost(
    client, caseworker_a, lost_notice, caplog
):
    designation, notice = lost_notice
    client.force_login(caseworker_a)
    response = client.get(reverse("designation_detail", args=[designation.pk]))
    assert response.status_code == 200
    assert "is missing from the document storage: do not serve it" in response.content.decode()
    assert any("missing from the storage" in record.getMessage() for record in caplog.records)


def test_the_download_of_a_pdf_the_storage_lost_is_a_404_that_says_so(client, caseworker_a, lost_notice, caplog):
    _designation, notice = lost_notice
    client.force_login(caseworker_a)
    response = client.get(reverse("document_download", args=[notice.pk]), follow=True)
    assert response.status_code == 404
    assert "The file is missing from the document storage: tell the system administrator." in response.content.decode()
    assert any("missing from the storage" in record.getMessage() for record in caplog.records)
