"""The caseworker's day (issue 16, friction): what a form already knows is filled in, and nothing is chosen for
the caseworker that they did not choose."""

import datetime
import hashlib
import re
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse

from creditportal.models import IssuedDocument
from objections import services as objection_services
from tests.case_data import make_cases

pytestmark = pytest.mark.django_db
RECEIVED = datetime.datetime(2026, 9, 25, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def cases(dept_a, dept_b, caseworker_a):
    return make_cases(dept_a=dept_a, dept_b=dept_b, actor=caseworker_a)


def _value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, f"no input {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def test_the_recipient_of_the_notice_is_the_subject(client, cases, dept_a, caseworker_a):
    designation = cases["designation"]
    document = IssuedDocument(
        department=dept_a,
        kind="notice",
        issued_by=caseworker_a,
        content_type=ContentType.objects.get_for_model(designation),
        object_id=designation.pk,
        sha256=hashlib.sha256(b"%PDF-1.7").hexdigest(),
    )
    document.file.save("notice.pdf", ContentFile(b"%PDF-1.7"), save=True)
    # the notice issued and rendered: no service sets that state without the document worker
    type(designation).objects.filter(pk=designation.pk).unguarded().update(state="pending_notice")
    client.force_login(caseworker_a)
    html = client.get(reverse("designation_detail", args=[designation.pk])).content.decode()
    assert _value(html, "serve_notice-recipient") == designation.subject.name


def test_the_corrected_summary_starts_from_the_record(client, cases, caseworker_a):
    record = cases["record"]
    objection = objection_services.objection_receive(
        actor=caseworker_a,
        subject=record.subject,
        target="record",
        record=record,
        ground="error",
        grounds_text="违法次数有误",
        received_at=RECEIVED,
        applicant="李明",
        label_now=True,
        reason="收到",
    )
    client.force_login(caseworker_a)
    html = client.get(reverse("objection_detail", args=[objection.pk])).content.decode()
    textarea = re.search(r'<textarea[^>]*name="decide-summary"[^>]*>(.*?)</textarea>', html, re.S)
    assert textarea and textarea.group(1).strip() == record.summary


def test_the_objection_form_opened_without_a_record_chooses_none(client, cases, caseworker_a):
    record = cases["record"]
    client.force_login(caseworker_a)
    url = reverse("objection_receive")
    html = client.get(url, {"subject": record.subject_id}).content.decode()
    about = re.search(r'<select[^>]*name="about"[^>]*>(.*?)</select>', html, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"([^>]*)>', about)
    assert options[0][0] == "" and not any("selected" in attrs for value, attrs in options if value)
    chosen = client.get(url, {"subject": record.subject_id, "record": record.pk}).content.decode()
    assert re.search(rf'<option value="record:{record.pk}"[^>]*selected', chosen)


def test_the_regulation_is_named_on_the_dashboard_not_on_every_page(client, settings, caseworker_a):
    """Which law the clocks and documents follow matters to the people who work cases, once, where their day
    starts; the login page and every other page had "规则配置：海南" in the footer."""
    settings.LANGUAGE_CODE = "zh-hans"
    login = client.get(reverse("login")).content.decode()
    assert "规则配置" not in login and "条例" not in login
    client.force_login(caseworker_a)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "《海南自由贸易港社会信用条例》" in dashboard
    assert "规则配置" not in client.get(reverse("subject_list")).content.decode()


def test_issuing_the_response_letter_is_one_line_of_the_timeline(client, cases, caseworker_a):
    record = cases["record"]
    objection = objection_services.objection_receive(
        actor=caseworker_a,
        subject=record.subject,
        target="record",
        record=record,
        ground="error",
        grounds_text="违法次数有误",
        received_at=RECEIVED,
        applicant="李明",
        label_now=True,
        reason="收到",
    )
    objection_services.objection_decide(
        objection=objection, actor=caseworker_a, sustained=False, reasons="经核实无误", reason="决定"
    )
    objection_services.objection_issue_answer(objection=objection, actor=caseworker_a, reason="答复")
    client.force_login(caseworker_a)
    html = client.get(reverse("objection_detail", args=[objection.pk])).content.decode()
    timeline = html.split('id="timeline-heading"', 1)[1].split("</ol>", 1)[0]
    assert timeline.count("<li>") == 4  # received, labelled, decided, the letter issued (once, not twice)
