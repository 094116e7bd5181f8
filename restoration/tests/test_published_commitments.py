"""R-NAT-3 (issue 20, with issue 22's public list): the subject's public credit commitment is published when its
application for restoration is accepted, on the public commitments page and on the list entry it concerns; it
leaves, with the cause, when the application is withdrawn or not granted, and stays when credit is restored (the
entry itself leaves the list); the "as of" view reproduces the page at any past moment; a natural person's number
is never whole there."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from creditportal.choices import Role
from creditportal.tests.factories import user_with_role
from designations.models import Publication
from restoration import services
from restoration.models import PublishedCommitment

pytestmark = pytest.mark.django_db
COMMITMENT = "本单位公开承诺：所提交材料真实有效，今后严格守法经营，不再发生同类失信行为。"
WHOLE_NUMBER = re.compile(r"(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])")


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def _received(listed, caseworker, commitment=COMMITMENT):
    return services.restoration_receive(
        commitment=commitment,
        actor=caseworker,
        reason="当事人申请",
        designation=listed,
        method="rectification",
        evidence="整改报告及验收意见",
    )


def _accepted(listed, caseworker):
    application = _received(listed, caseworker)
    return services.restoration_accept(application=application, actor=caseworker, reason="受理")


def _page(client, **params) -> str:
    response = client.get(reverse("public_commitments"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_r_nat_3_the_commitment_is_published_when_the_application_is_accepted(client, listed, caseworker_a):
    name = listed.subject.name
    application = _received(listed, caseworker_a)
    assert COMMITMENT not in _page(client)  # received, not yet accepted: nothing published
    application = services.restoration_accept(application=application, actor=caseworker_a, reason="受理")
    published = PublishedCommitment.objects.get(application=application)
    assert published.withdrawn_at is None and published.designation_id == listed.pk
    page = _page(client)
    assert COMMITMENT in page and name in page and listed.decision_number in page
    assert "严重失信主体名单" in page and listed.subject.identifier in page  # an organisation's code whole
    assert COMMITMENT in _page(client, q=name[:3]) and COMMITMENT in _page(client, q=listed.subject.identifier[:8])
    assert COMMITMENT not in _page(client, q="没有这个名字")
    # the list entry it concerns shows it
    entry = Publication.objects.get(designation=listed, withdrawn_at__isnull=True)
    assert COMMITMENT in client.get(reverse("public_entry", args=[entry.pk])).content.decode()


def test_r_nat_3_a_commitment_leaves_with_its_withdrawn_application_and_the_as_of_view_keeps_it(
    client, listed, caseworker_a
):
    ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
    application = services.restoration_accept(
        application=_received(listed, caseworker_a), actor=caseworker_a, reason="受理", now=ten_minutes_ago
    )
    published = PublishedCommitment.objects.get(application=application)
    services.restoration_withdraw(
        application=application,
        actor=caseworker_a,
        reason="当事人书面撤回",
        now=ten_minutes_ago + datetime.timedelta(minutes=5),
    )
    before = timezone.localtime(ten_minutes_ago + datetime.timedelta(minutes=2))
    published.refresh_from_db()
    assert published.withdrawn_at is not None and published.withdrawal_cause == "withdrawn"
    assert COMMITMENT not in _page(client)
    assert COMMITMENT in _page(client, as_of=before.strftime("%Y-%m-%dT%H:%M:%S"))
    earlier = timezone.localtime(published.published_at - datetime.timedelta(minutes=1))
    assert COMMITMENT not in _page(client, as_of=earlier.strftime("%Y-%m-%dT%H:%M"))


def test_r_nat_3_a_granted_restoration_keeps_the_commitment_published_while_the_entry_leaves_the_list(
    client, listed, caseworker_a, dept_a, django_capture_on_commit_callbacks
):
    application = _accepted(listed, caseworker_a)
    application = services.restoration_review(
        application=application, actor=caseworker_a, reason="审查", opinion="整改到位"
    )
    decider = user_with_role(Role.SUPERVISOR, dept_a, username="decider")
    with django_capture_on_commit_callbacks(execute=True):
        services.restoration_grant(application=application, actor=decider, reason="准予修复")
    assert not Publication.objects.filter(designation=listed, withdrawn_at__isnull=True).exists()
    assert listed.subject.name not in client.get(reverse("public_list")).content.decode()
    assert COMMITMENT in _page(client)


def test_r_nat_3_an_application_not_accepted_publishes_nothing(client, listed, caseworker_a):
    application = _received(listed, caseworker_a)
    services.restoration_refuse(application=application, actor=caseworker_a, reason="不予受理", reasons="材料不全")
    assert not PublishedCommitment.objects.exists() and COMMITMENT not in _page(client)


def test_r_dis_4_a_natural_persons_commitment_shows_the_number_masked(
    client, caseworker_a, supervisor_a, dept_a, catalog
):
    from designations.tests.helpers import draft, to_state
    from subjects import services as subject_services
    from subjects.tests.conftest import BASIS
    from subjects.tests.factories import PersonFactory

    person = PersonFactory(department=dept_a, name="李某某")
    persons_record = subject_services.record_create(
        actor=caseworker_a,
        subject=person,
        catalog_item=catalog[0],
        summary="拒不履行生效判决",
        determined_on=datetime.date(2026, 3, 2),
        basis={**BASIS, "number": "海口市监罚〔2026〕901号"},
        reason="Recorded",
    )
    designation = to_state(
        draft(caseworker=caseworker_a, department=dept_a, record=persons_record, catalog=catalog),
        "listed",
        caseworker=caseworker_a,
        supervisor=supervisor_a,
    )
    _accepted(designation, caseworker_a)
    typed = client.get(reverse("public_commitments"), {"q": person.identifier}, follow=True)
    assert typed.redirect_chain and "不按自然人身份证件号码查询" in typed.content.decode()
    for page in (_page(client), _page(client, q="李某某"), typed.content.decode()):
        assert "李某某" in page and COMMITMENT in page
        assert person.identifier not in page and not WHOLE_NUMBER.search(page)


def test_the_commitments_page_reads_with_a_constant_number_of_queries(
    client, listed, caseworker_a, django_assert_max_num_queries
):
    _accepted(listed, caseworker_a)
    with django_assert_max_num_queries(8):
        assert COMMITMENT in _page(client)
