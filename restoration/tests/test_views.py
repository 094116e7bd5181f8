"""The restoration pages as people use them: start from a designation or a subject, act on the case page, the
queue; the archive for auditors only, every read logged; archived information absent from every other page."""

import datetime

import pytest
from django.urls import reverse

from creditportal.choices import Role
from creditportal.models import AuditEvent
from creditportal.tests.factories import user_with_role
from restoration.choices import RestorationState
from restoration.models import RestorationApplication
from subjects.choices import RecordStatus
from subjects.disclosure import records_expire
from subjects.models import CreditRecord
from subjects.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    return client.post(url, data)


def test_restoration_journey_through_the_pages(
    client, listed, caseworker_a, dept_a, django_capture_on_commit_callbacks
):
    """Start from the designation page, accept, review, a second supervisor grants: off the list, notice issued."""
    client.force_login(caseworker_a)
    start = reverse("restoration_start") + f"?designation={listed.pk}"
    page = client.get(start)
    assert page.status_code == 200
    response = client.post(
        start,
        {
            "target": f"d:{listed.pk}",
            "method": "rectification",
            "evidence": "已完成整改并通过验收",
            "commitment": "本单位承诺所提交材料真实有效。",
            "received_on": datetime.date.today().isoformat(),
            "reason": "当事人申请",
        },
    )
    application = RestorationApplication.objects.get()
    assert response.status_code == 302 and response.url == reverse("restoration_detail", args=[application.pk])
    detail = client.get(response.url).content.decode()
    assert "已完成整改并通过验收" in detail
    act = lambda name, data: client.post(  # noqa: E731
        reverse("restoration_act", args=[application.pk, name]),
        {
            f"{name}-{k}": v
            for k, v in {**data, "expected_version": application.__class__.objects.get().version}.items()
        },
    )
    assert act("accept", {"reason": "受理"}).status_code == 302
    assert act("review", {"opinion": "整改到位", "reason": "审查"}).status_code == 302
    decider = user_with_role(Role.SUPERVISOR, dept_a, username="decider")
    client.force_login(decider)
    assert application.pk in [a.pk for a in client.get(reverse("restoration_queue")).context["to_decide"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert act("grant", {"reasons": "", "reason": "准予修复"}).status_code == 302
    application.refresh_from_db()
    listed.refresh_from_db()
    assert application.state == RestorationState.GRANTED and listed.state == "removed"
    page = client.get(reverse("restoration_detail", args=[application.pk])).content.decode()
    assert application.notice().number in page


def test_a_refused_act_shows_the_reason_and_keeps_the_form(client, listed, caseworker_a, settings):
    """R-RES-2 on the page: XJ refuses to accept before the minimum period, saying until when."""
    from restoration import services

    application = services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="A",
        designation=listed,
        method="rectification",
        evidence="整改报告",
    )
    settings.CREDIT_JURISDICTION = "XJ"
    client.force_login(caseworker_a)
    page = client.get(reverse("restoration_detail", args=[application.pk])).content.decode()
    assert "2027-03-01" in page  # the act is offered with the reason it cannot be taken now
    response = client.post(
        reverse("restoration_act", args=[application.pk, "accept"]),
        {"accept-reason": "受理", "accept-expected_version": application.version},
    )
    assert response.status_code == 200 and "2027-03-01" in response.content.decode()
    application.refresh_from_db()
    assert application.state == RestorationState.RECEIVED


def test_start_is_scoped_and_needs_a_starting_point(client, caseworker_a, dept_b):
    client.force_login(caseworker_a)
    assert client.get(reverse("restoration_start")).status_code == 404
    other = OrganisationFactory(department=dept_b)
    assert client.get(reverse("restoration_start") + f"?subject={other.pk}").status_code == 404
    assert client.get(reverse("restoration_start") + "?subject=x").status_code == 404


def test_start_from_the_subject_page_offers_only_what_can_be_restored(client, listed, caseworker_a):
    client.force_login(caseworker_a)
    page = client.get(reverse("restoration_start") + f"?subject={listed.subject_id}")
    choices = dict(page.context["form"].fields["target"].choices)
    assert f"d:{listed.pk}" in choices and f"r:{listed.records.get().pk}" in choices
    # R-RES-5: no fee anywhere on the page.
    assert "fee" not in page.content.decode().lower()


@pytest.fixture
def archived(make_record):
    """A record whose period is over, archived by the daily job (R-DIS-3); its summary is unique."""
    record = make_record(determined_on=datetime.date(2026, 3, 2))
    CreditRecord.objects.filter(pk=record.pk).unguarded().update(
        summary="已归档的独特摘要XYZ", disclosure_until=datetime.date(2026, 4, 1)
    )
    assert records_expire(today=datetime.date(2026, 12, 6)).archived == 1
    record.refresh_from_db()
    assert record.status == RecordStatus.ARCHIVED
    return record


def test_r_dis_3_archived_information_is_absent_from_every_caseworker_page_and_export(
    client, archived, caseworker_a, supervisor_a
):
    """R-DIS-3 (HN 27, HL 37): never displayed again: not on the subject's page, the record list, the record
    export, the designation form, the restoration start; the record's own page is a 404 — for every role."""
    marker = "已归档的独特摘要XYZ"
    pages = [
        reverse("subject_detail", args=[archived.subject_id]),
        reverse("record_list"),
        reverse("record_list") + "?q=" + marker,
        reverse("record_export", args=["csv"]),
        reverse("designation_create", args=[archived.subject_id]),
        reverse("restoration_start") + f"?subject={archived.subject_id}",
    ]
    for user in (caseworker_a, supervisor_a):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert response.status_code == 200, url
            assert marker not in body.decode("utf-8-sig"), url
        assert client.get(reverse("record_detail", args=[archived.pk])).status_code == 404
        assert client.get(reverse("restoration_start") + f"?record={archived.pk}").status_code == 404


def test_r_dis_3_an_archived_record_cannot_ground_a_designation(archived, caseworker_a, catalog):
    from django.core.exceptions import ValidationError

    from designations import services as designation_services

    with pytest.raises(ValidationError, match="R-DIS-3"):
        designation_services.designation_create(
            actor=caseworker_a,
            department=archived.department,
            subject=archived.subject,
            standard=catalog[1],
            records=[archived],
            measures=list(catalog[1].allowed_measures.all()),
            facts="事实",
            reasons="理由",
            proportionality_statement="相当",
            proposed_listing_months=12,
            reason="test",
        )


def test_r_dis_3_only_auditors_read_the_archive_and_every_read_is_logged(
    client, archived, auditor_a, caseworker_a, dept_b
):
    client.force_login(caseworker_a)
    assert client.get(reverse("archive_list")).status_code == 403
    assert client.get(reverse("archive_detail", args=[archived.pk])).status_code == 403
    client.force_login(auditor_a)
    listing = client.get(reverse("archive_list"))
    assert "已归档的独特摘要XYZ" not in listing.content.decode()  # the list shows no content
    assert archived.subject.name in listing.content.decode()
    detail = client.get(reverse("archive_detail", args=[archived.pk])).content.decode()
    assert "已归档的独特摘要XYZ" in detail
    reads = AuditEvent.objects.filter(action="restoration.archive.read", actor=auditor_a)
    assert reads.count() == 2 and reads.filter(object_id=str(archived.pk)).exists()
    other_auditor = user_with_role(Role.AUDITOR, dept_b, username="auditor_b")
    client.force_login(other_auditor)
    assert client.get(reverse("archive_detail", args=[archived.pk])).status_code == 404
