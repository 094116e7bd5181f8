"""Issue 22: the list of seriously untrustworthy entities as the public reads it (HL 23, HN 16; R-DIS-3, R-DIS-4).

A designation walked to "listed" by its services is published, with what the public sees; removing it from the list
(R-DIS-3: expiry; R-RES-4: restoration) withdraws the entry with its cause, and it is gone from the list and its
search; the "as of" view reproduces the list at any past moment from the publication ledger; a natural person's
number is never whole on any public page; the list reads without signing in."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from designations import services
from designations.choices import RemovalReason
from designations.models import Publication
from designations.tests.helpers import draft, to_state
from subjects.tests.conftest import catalog, organisation, record  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
WHOLE_NUMBER = re.compile(r"(?<![0-9A-Z])\d{17}[\dX](?![0-9A-Z])")


@pytest.fixture
def listed(caseworker_a, supervisor_a, dept_a, record, catalog, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        designation = draft(caseworker=caseworker_a, department=dept_a, record=record, catalog=catalog)
        return to_state(designation, "listed", caseworker=caseworker_a, supervisor=supervisor_a)


def _page(client, **params) -> str:
    response = client.get(reverse("public_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_listed_designation_is_published_as_the_public_sees_it(client, listed):
    entry = Publication.objects.get(designation=listed)
    subject = listed.subject
    assert entry.withdrawn_at is None and entry.published_at <= timezone.now()
    assert (entry.subject_name, entry.identifier) == (subject.name, subject.masked_id_number)
    assert (entry.listed_from, entry.listed_until) == (listed.listed_from, listed.listed_until)
    assert entry.standard_title == listed.standard.title and entry.department_name == listed.department.name
    page = _page(client)  # anonymous: no sign-in
    assert subject.name in page and subject.masked_id_number in page
    detail = client.get(reverse("public_entry", args=[entry.pk])).content.decode()
    assert listed.standard.title in detail and listed.department.name in detail


def test_r_dis_3_an_entry_removed_from_the_list_leaves_the_list_and_its_search(client, listed, time_machine):
    """R-DIS-3: the listing period over, the system removes the designation (the nightly sweep's act): the entry
    is withdrawn with that cause, gone from the list, its search and its page; the list as it stood before still
    shows it."""
    from creditportal.audit import system_user

    entry = Publication.objects.get(designation=listed)
    name = listed.subject.name
    assert name in _page(client, q=name[:3])
    before = timezone.now()
    time_machine.move_to(
        timezone.make_aware(datetime.datetime.combine(listed.listed_until, datetime.time(1)))
        + datetime.timedelta(days=1)
    )
    services.designation_remove(
        designation=listed, actor=system_user(), removal_reason=RemovalReason.EXPIRY, reason="公示期满"
    )
    entry.refresh_from_db()
    assert entry.withdrawn_at is not None and entry.withdrawal_cause == RemovalReason.EXPIRY
    assert name not in _page(client) and name not in _page(client, q=name[:3])
    assert client.get(reverse("public_entry", args=[entry.pk])).status_code == 404
    # the list as it stood before the removal still shows it (the publication ledger)
    as_of = timezone.localtime(before).strftime("%Y-%m-%dT%H:%M:%S")
    assert name in _page(client, as_of=as_of)
    assert client.get(reverse("public_entry", args=[entry.pk]), {"as_of": as_of}).status_code == 200
    earlier = timezone.localtime(entry.published_at - datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    assert name not in _page(client, as_of=earlier)


def test_the_as_of_view_refuses_the_future(client, listed):
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    page = _page(client, as_of=future)
    # refused with why, the date kept; nothing listed under a refused filter, as on every list
    assert "is-invalid" in page and "Give a past date and time" in page and future in page
    assert listed.subject.name not in page


def test_r_dis_4_no_public_page_shows_a_whole_identity_number(
    client,
    caseworker_a,
    supervisor_a,
    dept_a,
    catalog,  # noqa: F811
    settings,
):
    settings.LANGUAGE_CODE = "zh-hans"
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
    entry = Publication.objects.get(designation=designation)
    typed = client.get(reverse("public_list"), {"q": person.identifier}, follow=True)
    assert typed.redirect_chain and "不按自然人身份证件号码查询" in typed.content.decode()
    pages = [
        _page(client),
        _page(client, q="李某某"),
        typed.content.decode(),
        client.get(reverse("public_entry", args=[entry.pk])).content.decode(),
    ]
    assert "李某某" in pages[0]
    for page in pages:
        assert person.identifier not in page
        assert not WHOLE_NUMBER.search(page), WHOLE_NUMBER.search(page)


def test_search_by_an_organisations_code_and_filters(client, listed, dept_a):
    code = listed.subject.identifier
    assert listed.subject.name in _page(client, q=code[:8])
    assert listed.subject.name in _page(client, department=dept_a.pk, sector=listed.standard.sector)
    assert listed.subject.name not in _page(client, listed_after=(listed.listed_from + datetime.timedelta(days=1)))


def test_the_list_is_read_with_a_constant_number_of_queries(client, listed, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        _page(client)


def test_r_obj_2_a_past_moment_shows_the_objection_label_as_it_stood_then(
    client, listed, caseworker_a, time_machine, settings
):
    """The "under objection" label (R-OBJ-2) on the list as of a past moment is the one the designation bore then
    (its history), not today's: labelled for an hour, then cleared; the list now shows none, the list as of that hour
    shows it, the list before it none; the entry's page likewise."""
    from designations.services.common import designation_objection_label

    settings.LANGUAGE_CODE = "en"
    entry = Publication.objects.get(designation=listed)
    start = timezone.now().replace(second=0, microsecond=0)
    time_machine.move_to(start + datetime.timedelta(hours=1), tick=False)
    designation_objection_label(designation=listed, actor=caseworker_a, reason="核查期间标注", since=timezone.now())
    time_machine.move_to(start + datetime.timedelta(hours=2), tick=False)
    designation_objection_label(designation=listed, actor=caseworker_a, reason="异议办结", since=None)
    time_machine.move_to(start + datetime.timedelta(hours=3), tick=False)

    def moment(hours: float) -> str:
        return timezone.localtime(start + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")

    label = "Under objection"
    assert listed.subject.name in _page(client) and label not in _page(client)
    assert label in _page(client, as_of=moment(1.5))
    assert label not in _page(client, as_of=moment(0.5))
    detail = reverse("public_entry", args=[entry.pk])
    assert label in client.get(detail, {"as_of": moment(1.5)}).content.decode()
    assert label not in client.get(detail).content.decode()
