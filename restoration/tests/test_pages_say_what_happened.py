"""The restoration pages in Chinese say what happened, in the right words (issue 16): the restoration method is not
an objection's ground, the proof is a download link under its own name (never a storage path), each state has its
own label in the filter, the timeline names the document issued, and a removed designation says when and why it
came off the list (R-RES-4). (A revoked record's page, R-RES-6: subjects/tests/test_record_acts.py.)"""

import datetime
import re
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from creditportal.choices import Role
from creditportal.tests.factories import user_with_role
from designations.tests.helpers import render_pending
from restoration import services

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime.datetime(y, m, d, h, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def _text(html: str) -> str:
    """The visible text of a page, without tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _granted(listed, caseworker, dept, capture, **receive):
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker,
        reason="当事人申请",
        designation=listed,
        method="rectification",
        evidence="整改报告及验收意见",
        now=at(2026, 11, 2),
        **receive,
    )
    application = services.restoration_accept(
        application=application, actor=caseworker, reason="受理", now=at(2026, 11, 2)
    )
    application = services.restoration_review(
        application=application, actor=caseworker, reason="审查", opinion="整改到位", now=at(2026, 11, 3)
    )
    decider = user_with_role(Role.SUPERVISOR, dept, username="decider")
    with capture(execute=True):
        application = services.restoration_grant(
            application=application, actor=decider, reason="准予修复", now=at(2026, 11, 5)
        )
    render_pending(application)
    return application


def test_r_res_1_the_method_is_labelled_as_a_restoration_method_not_an_objection_ground(client, listed, caseworker_a):
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="A",
        designation=listed,
        method="training",
        evidence="培训证明",
    )
    client.force_login(caseworker_a)
    page = _text(client.get(reverse("restoration_detail", args=[application.pk])).content.decode())
    assert "异议事由" not in page
    assert "信用修复方式 专题培训" in page
    start = client.get(reverse("restoration_start") + f"?designation={listed.pk}").content.decode()
    assert re.search(r'<label[^>]*for="id_method"[^>]*>\s*信用修复方式', start) and "异议事由" not in start


def test_the_proof_is_a_download_link_under_its_own_name_never_a_storage_path(client, listed, caseworker_a):
    proof = SimpleUploadedFile("整改验收意见.pdf", b"%PDF-1.7 proof", content_type="application/pdf")
    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="A",
        designation=listed,
        method="rectification",
        evidence="整改",
        evidence_file=proof,
    )
    client.force_login(caseworker_a)
    html = client.get(reverse("restoration_detail", args=[application.pk])).content.decode()
    url = reverse("restoration_evidence", args=[application.pk])
    assert re.search(rf'<a href="{re.escape(url)}"[^>]*>.*整改验收意见\.pdf</a>', html)
    # no storage path (a year folder and a file name), whatever the application's id in the page's own addresses
    assert application.evidence_file.name not in html
    assert not re.search(r"restoration/\d{4}/[^\s\"'<>]+\.pdf", html)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.7 proof"
    assert "%E6%95%B4%E6%94%B9" in response["Content-Disposition"]  # 整改… under its own name, not the stored one


def test_each_state_has_its_own_label_in_the_filter(client, caseworker_a):
    client.force_login(caseworker_a)
    html = client.get(reverse("restoration_list")).content.decode()
    select = re.search(r'<select name="state".*?</select>', html, re.S).group(0)
    labels = [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]
    assert len(labels) == len(set(labels)), labels
    assert "不予受理" in labels and "不予修复" in labels


def test_the_timeline_names_the_document_issued(
    client, listed, caseworker_a, dept_a, django_capture_on_commit_callbacks
):
    application = _granted(listed, caseworker_a, dept_a, django_capture_on_commit_callbacks)
    client.force_login(caseworker_a)
    page = _text(client.get(reverse("restoration_detail", args=[application.pk])).content.decode())
    assert "信用修复通知书已制发" in page
    assert "决定书" not in page


def test_r_res_4_a_removed_designation_says_when_and_why_it_left_the_list(
    client, listed, caseworker_a, dept_a, django_capture_on_commit_callbacks
):
    planned_end = listed.listed_until
    _granted(listed, caseworker_a, dept_a, django_capture_on_commit_callbacks)
    client.force_login(caseworker_a)
    page = _text(client.get(reverse("designation_detail", args=[listed.pk])).content.decode())
    assert "2026-11-05" in page and "信用修复" in page  # the removal date and its cause
    assert f"– {planned_end:%Y-%m-%d}" not in page  # the planned end no longer reads as the listing's end
