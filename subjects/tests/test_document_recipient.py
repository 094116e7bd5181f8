"""Who receives one document (issue 22): each kind declares whether it goes to the subject; a caseworker decides
otherwise for one document, with the reason, before it is served, and the service guards follow the decision."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from creditportal import documents
from creditportal.choices import ServiceMethod
from creditportal.models import AuditEvent
from subjects.tests.test_service_consent import _serve, document  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_apl_61_a_document_decided_internal_is_sent_without_consent_and_back_again(document, caseworker_a):  # noqa: F811
    assert documents.goes_to_subject(document)  # a credit report goes to its subject
    with pytest.raises(ValidationError) as refused:
        documents.document_recipient_set(document=document, to_subject=False, actor=caseworker_a, reason=" ")
    assert "reason" in refused.value.message_dict
    document.refresh_from_db()
    assert document.to_subject_override is None
    documents.document_recipient_set(document=document, to_subject=False, actor=caseworker_a, reason="仅供备案")
    document.refresh_from_db()
    assert not documents.goes_to_subject(document) and document.to_subject_reason == "仅供备案"
    assert AuditEvent.objects.filter(action="creditportal.document.recipient_set", reason="仅供备案").exists()
    documents.document_recipient_set(document=document, to_subject=True, actor=caseworker_a, reason="改为送达当事人")
    document.refresh_from_db()
    assert document.to_subject_override is None and documents.goes_to_subject(document)  # the kind's again
    with pytest.raises(ValidationError):  # going to the subject, it needs the subject's consent again
        _serve(document, caseworker_a, ServiceMethod.ELECTRONIC, timezone.localdate())


def test_an_internal_decision_lets_electronic_sending_go_without_consent_and_a_served_document_stays(
    document,  # noqa: F811
    caseworker_a,
):
    documents.document_recipient_set(document=document, to_subject=False, actor=caseworker_a, reason="报送上级")
    document.refresh_from_db()
    _serve(document, caseworker_a, ServiceMethod.ELECTRONIC, timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        documents.document_recipient_set(document=document, to_subject=True, actor=caseworker_a, reason="改")
    assert "已经送达" in refused.value.messages[0]


def test_decided_through_its_page_and_another_department_gets_a_404(client, document, caseworker_a, caseworker_b):  # noqa: F811
    url = reverse("document_recipient", args=[document.pk])
    client.force_login(caseworker_b)
    assert client.get(url).status_code == 404
    client.force_login(caseworker_a)
    page = client.get(url + "?next=/work/")
    assert page.status_code == 200 and "向当事人送达" in page.content.decode()
    refused = client.post(url, {"to_subject": "0", "reason": "", "next": "/work/"})
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()  # the reason, marked
    done = client.post(url, {"to_subject": "0", "reason": "仅供备案", "next": "https://evil.example/"})
    assert done.status_code == 302 and done["Location"] == reverse("my_work")  # never to another site
    document.refresh_from_db()
    assert document.to_subject_override is False
