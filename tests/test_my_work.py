"""“My work” (issue 16): every kind of case and clock due for the user — designations, objections (to answer, to
help verify, extensions to approve), restorations, revocations — with the overdue first, each linking to its
case, in the same number of queries whatever the number of cases; and what the dashboard says is due is in it."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from creditportal import deadlines
from designations.tests.helpers import draft
from objections import services
from objections.tests import conftest as objection_cases
from restoration.tests.factories import RestorationApplicationFactory
from subjects import services as subject_services

pytestmark = pytest.mark.django_db
SHANGHAI = objection_cases.SHANGHAI
# The objection tests' fixtures: a published catalog, a company with an untrustworthy record, receiving an objection.
catalog, organisation, record, receive = (
    objection_cases.catalog,
    objection_cases.organisation,
    objection_cases.record,
    objection_cases.receive,
)


def _received_due_this_week() -> datetime.datetime:
    """A time of receipt whose answer deadline (HN 30: 7 WD) falls after today and within the next 7 days,
    found on the working-day calendar, so the test holds whatever today is."""
    today = timezone.localdate()
    for back in range(1, 40):
        anchor = today - datetime.timedelta(days=back)
        due = deadlines.compute(anchor_date=anchor, days=7, unit="wd").due
        if due and today < due <= today + datetime.timedelta(days=7):
            return datetime.datetime.combine(anchor, datetime.time(10), tzinfo=SHANGHAI)
    raise AssertionError("no receipt day gives a due date in the coming week")


def _section(html: str, heading_id: str) -> str:
    """The HTML of the section labelled by ``heading_id`` (up to the next section)."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    end = html.find("<section", start + 1)
    return html[start : end if end != -1 else None]


def _work(client) -> str:
    response = client.get(reverse("my_work"))
    assert response.status_code == 200
    return response.content.decode()


def test_r_obj_3_an_objection_due_this_week_is_in_my_work_as_on_the_dashboard(client, receive, caseworker_a):
    """The issue: the dashboard listed an objection due in two days while "My work" said no deadline was due
    within 7 days (it counted designations only). Reached by the old address, as the designation list links it."""
    objection = receive(received_at=_received_due_this_week(), label_now=True)
    url = reverse("objection_detail", args=[objection.pk])
    client.force_login(caseworker_a)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert url in dashboard[dashboard.index("due-week") :]
    response = client.get(reverse("designation_queue"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("my_work")
    clocks = _section(html, "clocks-heading")
    assert url in clocks and "due-week" in clocks
    assert url in _section(html, "answer-heading")


def test_every_kind_of_case_is_in_the_queue_of_whoever_acts_next_overdue_first(
    client, receive, record, catalog, caseworker_a, supervisor_a, caseworker_b, dept_a, dept_b, settings
):
    late = receive(label_now=True)  # received 25 Sep 2026: answer due 12 Oct 2026, long overdue
    soon = receive(received_at=_received_due_this_week(), label_now=True)
    designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    application = RestorationApplicationFactory(department=dept_a, subject=record.subject, record=record)
    subject_services.revocation_receive(
        record=record,
        actor=caseworker_a,
        reason="复议决定书已送达",
        ground="revoked",
        legal_document="海南省人民政府行政复议决定书琼府复〔2026〕9号",
        effective_on=timezone.localdate() - datetime.timedelta(days=1),
        received_on=timezone.localdate(),
    )
    services.objection_request_extension(
        objection=soon, actor=caseworker_a, days=3, grounds="卷宗需从档案室调取", reason="申请延期"
    )

    client.force_login(caseworker_a)
    html = _work(client)
    answer = _section(html, "answer-heading")
    late_url, soon_url = (reverse("objection_detail", args=[o.pk]) for o in (late, soon))
    assert answer.index(late_url) < answer.index(soon_url)  # overdue first
    clocks = _section(html, "clocks-heading")
    assert clocks.index(late_url) < clocks.index(soon_url)
    assert reverse("record_detail", args=[record.pk]) in clocks  # the revoked basis's clock (R-RES-6)
    assert reverse("record_detail", args=[record.pk]) in _section(html, "work-revocations-heading")
    assert reverse("designation_detail", args=[designation.pk]) in _section(html, "drafts-heading")
    assert reverse("restoration_detail", args=[application.pk]) in _section(html, "work-accept-heading")
    assert "extensions-heading" not in html  # the person responsible answers extension requests

    client.force_login(supervisor_a)
    extensions = _section(_work(client), "extensions-heading")
    assert soon_url in extensions and "卷宗需从档案室调取" in extensions and late_url not in extensions

    # HL 39: another unit asked to help verify finds the request in its own queue, with its own clock.
    settings.CREDIT_JURISDICTION = "HL"
    assisted = receive(received_at=timezone.now() - datetime.timedelta(hours=1), label_now=True)
    services.objection_request_assistance(
        objection=assisted, actor=caseworker_a, assisting_department=dept_b, request="请核实", reason="核实"
    )
    client.force_login(caseworker_b)
    html = _work(client)
    assisted_url = reverse("objection_detail", args=[assisted.pk])
    assert assisted_url in _section(html, "assist-heading") and assisted_url in _section(html, "clocks-heading")
    assert late_url not in html  # nothing of the answering department's own


def test_r_obj_3_a_decided_objection_stays_in_the_queue_until_its_letter_is_served(client, receive, caseworker_a):
    objection = receive(received_at=_received_due_this_week(), label_now=True)
    url = reverse("objection_detail", args=[objection.pk])
    services.objection_decide(objection=objection, actor=caseworker_a, sustained=False, reasons="无误", reason="决定")
    client.force_login(caseworker_a)
    html = _work(client)
    assert url in _section(html, "answer-heading") and url in _section(html, "clocks-heading")
    services.objection_issue_answer(objection=objection, actor=caseworker_a, reason="答复")
    from creditportal.documents import document_render

    document_render(document=services.response_letter(objection))
    services.objection_serve_answer(
        objection=objection,
        actor=caseworker_a,
        method="in_person",
        served_on=timezone.localdate(),
        recipient="李明",
        reason="当面送达",
    )
    assert url not in _work(client)


def test_my_work_costs_the_same_queries_for_one_case_or_many(client, receive, record, catalog, caseworker_a, dept_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _work(client)
        return len(captured)

    client.force_login(caseworker_a)
    receive(label_now=True)
    receive(received_at=_received_due_this_week())
    draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
    RestorationApplicationFactory(department=dept_a, subject=record.subject, record=record)
    _work(client)  # the session notes its activity at most once a minute (the idle limit): not on what is counted
    few = queries()
    for _ in range(3):
        receive(label_now=True)
        receive(received_at=_received_due_this_week())
        RestorationApplicationFactory(department=dept_a, subject=record.subject, record=record)
    assert queries() == few


def test_the_dashboard_and_the_designation_list_lead_to_my_work(client, caseworker_a, auditor_a):
    client.force_login(caseworker_a)
    for page in ("dashboard", "designation_list"):
        html = client.get(reverse(page)).content.decode()
        assert re.search(rf'href="{reverse("my_work")}"[^>]*>.*?My work', html, re.S), page
    client.force_login(auditor_a)  # no work: no button
    assert reverse("my_work") not in client.get(reverse("dashboard")).content.decode()
