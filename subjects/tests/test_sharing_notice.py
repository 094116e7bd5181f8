"""R-REC-3 (HB 22): before untrustworthiness information is delivered to the aggregating unit, the providing unit
tells the subject in writing. In Hubei (``JurisdictionProfile.notice_before_sharing``) entering such a record issues
a numbered notice (享告), rendered for real and read back here; until its service is recorded on the record's page
the record is held: it grounds no designation. Elsewhere (HN) nothing is issued and nothing is held.

The story is told on fixed days (the ``on`` fixture): the record is entered on 28 September 2026.
"""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from creditportal.choices import DocumentKind
from creditportal.documents import document_render
from creditportal.models import IssuedDocument, ServiceRecord
from designations.tests.helpers import draft
from subjects import services
from subjects.models import CreditRecord
from subjects.tests.conftest import BASIS
from subjects.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

RULE_ID = re.compile(r"R-[A-Z]{2,4}-\d+")
HUBEI = "《湖北省社会信用信息管理条例（修订草案）》"
#: HB 22 requires the notice; HB 29 gives the subject its written objection.
NOTICE_ARTICLE, OBJECTION_ARTICLE = f"{HUBEI}第二十二条", f"{HUBEI}第二十九条"
ENTERED_ON = datetime.date(2026, 9, 28)


@pytest.fixture
def hubei(settings, on):
    on(2026, 9, 28)
    settings.CREDIT_JURISDICTION = "HB"


@pytest.fixture
def hainan(settings, on):
    on(2026, 9, 28)
    settings.CREDIT_JURISDICTION = "HN"


@pytest.fixture
def enter(caseworker_a, catalog):
    """Enter an untrustworthiness record of ``subject`` (determined on 2 March 2026, its basis of that day)."""

    def _enter(subject, number: str = BASIS["number"]):
        return services.record_create(
            actor=caseworker_a,
            subject=subject,
            catalog_item=catalog[0],
            summary="多次销售过期食品",
            determined_on=datetime.date(2026, 3, 2),
            basis={**BASIS, "number": number},
            reason="录入行政处罚信息",
        )

    return _enter


@pytest.fixture
def person(dept_a):
    return PersonFactory(department=dept_a, name="李明华", address="海口市美兰区海甸岛1号")


def _notices(record):
    return IssuedDocument.objects.filter(object_id=record.pk, kind=DocumentKind.SHARING_NOTICE)


def _text(document) -> str:
    document.refresh_from_db()
    document.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(document.file.read()))
    finally:
        document.file.close()
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _serve(record, caseworker, served_on=ENTERED_ON):
    return services.sharing_notice_serve(
        record=record,
        actor=caseworker,
        reason="送达书面告知书",
        method="registered_mail",
        served_on=served_on,
        recipient=record.subject.name,
    )


@pytest.mark.parametrize(("who", "you"), [("organisation", "你单位"), ("person", "你")])
def test_r_rec_3_hb_entering_untrustworthiness_information_issues_the_written_notice(
    hubei, enter, request, who, you, dept_a
):
    """The notice, read back from its PDF: its number, the subject addressed as what it is, what is recorded (the
    item, the summary, the basis document, the determination, the disclosure period), the delivery to the aggregating
    unit, HB 22 and the objection article of HB 29 with where to send an objection; no internal rule id."""
    subject = request.getfixturevalue(who)
    record = enter(subject)
    notice = _notices(record).get()
    assert notice.number == "测市监享告〔2026〕1号" and notice.department == dept_a
    text = _text(document_render(document=notice))
    for expected in (
        "测市监享告〔2026〕1号",
        "失信信息报送前书面告知书",
        subject.name,
        subject.identifier,
        "行政处罚信息",  # the catalog item
        "多次销售过期食品",
        BASIS["number"],
        BASIS["issuing_authority"],
        "2026年3月2日生效",
        "认定日期2026年3月2日",
        "自2026年3月2日起至2029年3月1日止",  # the disclosure period, 36 months with the first day counted
        "省社会信用信息归集机构",
        NOTICE_ARTICLE,
        OBJECTION_ARTICLE,
        "书面异议",
        dept_a.address,
        re.sub(r"\s+", "", dept_a.contact),
    ):
        assert expected in text, expected
    assert not RULE_ID.search(text)
    addressed = re.findall(r"你单位|你", text)
    assert addressed and set(addressed) == {you}


def test_r_rec_3_the_record_grounds_no_designation_until_the_notice_is_served(
    hubei, enter, organisation, caseworker_a, dept_a, catalog
):
    """Held from its entry; once the served notice is recorded, the same record grounds the designation."""
    record = enter(organisation)
    with pytest.raises(ValidationError, match=r"written notice .* \(R-REC-3\)"):
        draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    document_render(document=_notices(record).get())
    _serve(record, caseworker_a)
    record.refresh_from_db()
    assert record.sharing_notice_served_on == ENTERED_ON
    assert draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog).pk


def _post(client, record, **overrides):
    data = {
        "serve_sharing_notice-method": "registered_mail",
        "serve_sharing_notice-served_on": ENTERED_ON.isoformat(),
        "serve_sharing_notice-recipient": "海口椰风食品有限公司法定代表人王建国",
        "serve_sharing_notice-reason": "挂号信送达",
        "serve_sharing_notice-expected_version": record.row_version,
    }
    data.update({f"serve_sharing_notice-{name}": value for name, value in overrides.items()})
    return client.post(reverse("record_sharing_notice_serve", args=[record.pk]), data)


def test_r_rec_3_service_is_recorded_on_the_record_page_once_the_pdf_exists(
    hubei, enter, organisation, client, caseworker_a
):
    """The page says the notice waits for service and offers the act; before the PDF exists it is refused with the
    reason; a future day of service is refused with the form kept as typed; then it is recorded and the hold ends."""
    record = enter(organisation)
    client.force_login(caseworker_a)
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "Written notice pending service" in page and "sharing-notice-pending" in page
    assert "Record service of the written notice before sharing" in page
    assert "is still being prepared" in page  # why it cannot be served yet

    early = _post(client, record)
    assert early.status_code == 200 and "is still being prepared" in early.content.decode()
    assert not ServiceRecord.objects.exists()

    document_render(document=_notices(record).get())
    tomorrow = (ENTERED_ON + datetime.timedelta(days=1)).isoformat()
    future = _post(client, record, served_on=tomorrow)
    html = future.content.decode()
    assert future.status_code == 200 and "cannot be later than today" in html
    assert "海口椰风食品有限公司法定代表人王建国" in html and tomorrow in html  # the form as typed
    record.refresh_from_db()
    assert record.sharing_notice_served_on is None and not ServiceRecord.objects.exists()

    done = _post(client, record)
    assert done.status_code == 302 and done.url == reverse("record_detail", args=[record.pk])
    record.refresh_from_db()
    assert record.sharing_notice_served_on == ENTERED_ON
    service = ServiceRecord.objects.get()
    assert service.document.kind == DocumentKind.SHARING_NOTICE and service.recorded_by == caseworker_a
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "sharing-notice-pending" not in page and "Record service of the written notice" not in page


def test_r_rec_3_hb_refuses_the_record_when_the_notice_could_not_say_where_to_object(
    hubei, caseworker_a, catalog, organisation, dept_a
):
    """The notice tells the subject where to send an objection: without the department's address nothing is entered."""
    type(dept_a).objects.filter(pk=dept_a.pk).unguarded().update(address="")
    with pytest.raises(ValidationError, match="address and contact"):
        services.record_create(
            actor=caseworker_a,
            subject=organisation,
            catalog_item=catalog[0],
            summary="多次销售过期食品",
            determined_on=datetime.date(2026, 3, 2),
            basis=BASIS,
            reason="录入",
        )
    assert not organisation.records.exists()


def test_r_rec_3_hn_issues_nothing_and_holds_nothing(
    hainan, enter, organisation, client, caseworker_a, dept_a, catalog
):
    """Hainan's regulation has no notice before sharing: the record is entered as before, grounds a designation at
    once, and its page says nothing of a notice."""
    record = enter(organisation)
    assert not IssuedDocument.objects.exists()
    client.force_login(caseworker_a)
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "sharing-notice-pending" not in page and "Written notice before sharing" not in page
    assert draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog).pk


def test_r_rec_3_a_notice_served_is_not_served_again(hubei, enter, organisation, caseworker_a):
    record = enter(organisation)
    document_render(document=_notices(record).get())
    _serve(record, caseworker_a)
    with pytest.raises(ValidationError, match="already served"):
        _serve(record, caseworker_a)
    assert ServiceRecord.objects.count() == 1


def test_r_rec_3_each_notice_takes_the_next_number(hubei, enter, organisation, person):
    first, second = enter(organisation), enter(person, number="海口市监罚〔2026〕22号")
    assert [_notices(r).get().number for r in (first, second)] == ["测市监享告〔2026〕1号", "测市监享告〔2026〕2号"]


def test_r_rec_3_a_notice_that_would_not_state_the_right_to_object_is_not_issued(
    caseworker_a, organisation, catalog, settings, on
):
    """Issue 19: issuing checks the document: the notice's template without its objection paragraph refuses the
    record (the notice is issued with it) naming what is missing, and nothing is written."""
    from pathlib import Path

    from django.conf import settings as django_settings
    from django.test import override_settings

    from designations.tests.test_document_checks import _templates_with

    on(2026, 9, 28)
    settings.CREDIT_JURISDICTION = "HB"
    template = Path(django_settings.BASE_DIR) / "templates" / "subjects" / "pdf" / "sharing_notice.html"
    text = template.read_text(encoding="utf-8")
    broken = "\n".join(line for line in text.splitlines() if "书面异议" not in line)
    before = CreditRecord.objects.count()
    with (
        override_settings(TEMPLATES=_templates_with("subjects/pdf/sharing_notice.html", broken)),
        pytest.raises(ValidationError, match="the right to object"),
    ):
        services.record_create(
            actor=caseworker_a,
            subject=organisation,
            catalog_item=catalog[0],
            summary="多次销售过期食品",
            determined_on=datetime.date(2026, 3, 2),
            basis={**BASIS, "number": "海口市监罚〔2026〕77号"},
            reason="录入",
        )
    assert CreditRecord.objects.count() == before
