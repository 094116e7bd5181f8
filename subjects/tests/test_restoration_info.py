"""R-NAT-4 (两书同达, issue 20): an administrative penalty entered as untrustworthiness information, decided on or after
2026-04-01, goes to the subject with a notice on credit restoration: from when it may apply (R-NAT-3), how, with
what, free of charge. The notice is numbered (修告), rendered for real and read back; its service is recorded on the
record's page, once. A penalty decided before the national rules, or information that is not a penalty, gets none.
"""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from creditportal.choices import DocumentKind
from creditportal.documents import document_render
from creditportal.models import IssuedDocument, ServiceRecord
from subjects import services
from subjects.disclosure import minimum_display_until
from subjects.tests.conftest import BASIS

pytestmark = pytest.mark.django_db
ENTERED_ON = datetime.date(2026, 9, 28)


@pytest.fixture
def enter(caseworker_a, catalog, organisation, on):
    on(2026, 9, 28)

    def _enter(determined_on, number="海口市监罚〔2026〕88号"):
        return services.record_create(
            actor=caseworker_a,
            subject=organisation,
            catalog_item=catalog[0],
            summary="多次销售过期食品",
            determined_on=determined_on,
            basis={**BASIS, "number": number, "effective_on": determined_on},
            reason="录入行政处罚信息",
        )

    return _enter


def _notices(record):
    return IssuedDocument.objects.filter(kind=DocumentKind.RESTORATION_INFO, object_id=record.pk)


def _text(document) -> str:
    document.refresh_from_db()
    document.file.open("rb")
    try:
        return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(document.file.read())).pages))
    finally:
        document.file.close()


def _post(client, record, **overrides):
    data = {
        "serve_restoration_info-method": "in_person",
        "serve_restoration_info-served_on": ENTERED_ON.isoformat(),
        "serve_restoration_info-recipient": "海口椰风食品有限公司法定代表人王建国",
        "serve_restoration_info-reason": "与行政处罚决定书同时送达",
        "serve_restoration_info-expected_version": record.row_version,
    }
    data.update({f"serve_restoration_info-{name}": value for name, value in overrides.items()})
    return client.post(reverse("record_restoration_info_serve", args=[record.pk]), data)


def test_r_nat_4_a_penalty_decided_under_the_national_rules_goes_with_its_restoration_notice(
    enter, client, caseworker_a
):
    record = enter(datetime.date(2026, 9, 1))
    notice = _notices(record).get()
    assert "修告" in notice.number
    document_render(document=notice)
    text = _text(notice)
    assert "信用修复告知书" in text and "海口市监罚〔2026〕88号" in text
    day = minimum_display_until(record) + datetime.timedelta(days=1)
    assert day > ENTERED_ON and f"即自{day.year}年{day.month}月{day.day}日起" in text
    assert "信用承诺书" in text and "不收取任何费用" in text and "国办发〔2025〕22号" in text

    client.force_login(caseworker_a)
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "Record service of the notice on credit restoration" in page
    done = _post(client, record)
    assert done.status_code == 302
    service = ServiceRecord.objects.get()
    assert service.document == notice and service.served_on == ENTERED_ON
    again = _post(client, record)
    assert again.status_code in (200, 403) and ServiceRecord.objects.count() == 1  # recorded once
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "Record service of the notice on credit restoration" not in page


def test_r_nat_6_a_penalty_decided_before_the_national_rules_gets_no_notice(enter):
    record = enter(datetime.date(2026, 3, 2))
    assert not _notices(record).exists()
