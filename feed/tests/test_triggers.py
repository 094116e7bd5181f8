"""What enters the change feed, written by the database in the transaction of each change (feed/sql.py): every path
that publishes, shares or withdraws — services one at a time, set-based jobs in bulk — lands once, with its cause."""

import datetime

import pytest

from creditportal.choices import Role
from creditportal.tests.factories import user_with_role
from feed.models import FeedEntry
from feed.tests.conftest import settle
from restoration import services as restoration_services
from subjects import services
from subjects.disclosure import records_expire
from subjects.tests.conftest import BASIS
from subjects.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _ops(found):
    return [(entry.operation, entry.cause) for entry in found]


def test_a_record_entered_is_shared_and_its_correction_changes_it(record, caseworker_a, entries):
    """A record on display enters the feed as new; a correction of what it says is a change, with the new summary."""
    assert _ops(entries(record)) == [("new", "")]
    services.record_correct(
        record=record, actor=caseworker_a, reason="Provider corrected", changes={"summary": "销售过期食品两次"}
    )
    found = entries(record)
    assert _ops(found) == [("new", ""), ("changed", "")]
    assert found[-1].payload["summary"] == "销售过期食品两次"
    assert found[-1].department_id == record.department_id


def test_a_persons_identifier_and_numbers_in_the_summary_are_masked(caseworker_a, catalog, dept_a, entries):
    """R-DIS-4: what leaves the product carries a person's number masked, in the identifier and in the summary."""
    person = PersonFactory(department=dept_a, name="李明华")
    whole = person.identifier
    record = services.record_create(
        actor=caseworker_a,
        subject=person,
        catalog_item=catalog[0],
        summary=f"当事人（身份证号{whole}）销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis=BASIS,
        reason="Recorded",
    )
    (entry,) = entries(record)
    text = str(entry.payload)
    assert whole not in text
    assert entry.payload["identifier"] == f"{whole[:4]}{'*' * 10}{whole[-4:]}"
    assert f"{whole[:4]}{'*' * 10}{whole[-4:]}" in entry.payload["summary"]


def test_the_nightly_expiry_withdraws_in_bulk_with_its_cause(record, make_record, entries):
    """The set-based expiry (one bulk update per batch, no service per row) lands in the feed too: each record
    withdrawn once, cause expired (R-DIS-3)."""
    other = make_record()
    settle()
    result = records_expire(today=record.disclosure_until + datetime.timedelta(days=1))
    assert result.archived >= 2
    for each in (record, other):
        assert _ops(entries(each)) == [("new", ""), ("withdrawn", "expired")]


def test_a_suspension_withdraws_and_a_resumption_shares_again(record, supervisor_a, entries):
    assert _ops(entries(record)) == [("new", "")]
    services.record_suspend(record=record, actor=supervisor_a, reason="Provider late (R-OBJ-5)")
    settle()  # committed: each transaction's net change is one entry
    services.record_resume(record=record, actor=supervisor_a, reason="Provider reported")
    assert _ops(entries(record)) == [("new", ""), ("withdrawn", "suspended"), ("new", "")]


def test_a_change_undone_within_its_transaction_writes_nothing(record, caseworker_a, entries):
    settle()
    before = FeedEntry.objects.count()
    services.record_correct(record=record, actor=caseworker_a, reason="Typo", changes={"summary": "临时"})
    services.record_correct(record=record, actor=caseworker_a, reason="Undo", changes={"summary": record.summary})
    settle()
    assert FeedEntry.objects.count() == before


# --- R-REC-3 (HB 22): the written notice before sharing --------------------------------------------------------------


@pytest.fixture
def enter(caseworker_a, catalog, organisation):
    def _enter():
        return services.record_create(
            actor=caseworker_a,
            subject=organisation,
            catalog_item=catalog[0],
            summary="多次销售过期食品",
            determined_on=datetime.date(2026, 3, 2),
            basis=BASIS,
            reason="录入行政处罚信息",
        )

    return _enter


def test_r_rec_3_hb_untrustworthiness_information_enters_the_feed_only_once_the_notice_is_served(
    settings, on, enter, caseworker_a, entries
):
    """R-REC-3 (HB 22): in Hubei the record is held out of the feed while its written notice is unserved; the
    recorded service lets it in, as new."""
    from creditportal.documents import document_render

    on(2026, 9, 28)
    settings.CREDIT_JURISDICTION = "HB"
    record = enter()
    assert entries(record) == []
    document_render(document=record.sharing_notice())
    services.sharing_notice_serve(
        record=record,
        actor=caseworker_a,
        reason="送达书面告知书",
        method="registered_mail",
        served_on=datetime.date(2026, 9, 28),
        recipient=record.subject.name,
    )
    assert _ops(entries(record)) == [("new", "")]


def test_r_rec_3_where_the_profile_does_not_require_the_notice_the_record_enters_at_once(settings, on, enter, entries):
    """R-REC-3 applies by the profile: in Hainan no notice is issued and nothing is held."""
    on(2026, 9, 28)
    settings.CREDIT_JURISDICTION = "HN"
    record = enter()
    assert record.sharing_notice() is None
    assert _ops(entries(record)) == [("new", "")]


# --- R-NAT-5 / R-RES-4: a granted restoration withdraws in step -----------------------------------------------------


def test_r_nat_5_r_res_4_a_granted_restoration_withdraws_the_listing_and_the_record_from_the_feed(
    listed, caseworker_a, dept_a, entries
):
    """R-NAT-5, R-RES-4: the grant, one act, withdraws the list entry and the shared record in its own transaction,
    each with the cause "restored"; the commitment published at acceptance stays (it is judged against later)."""
    decider = user_with_role(Role.SUPERVISOR, dept_a, username="feed-decider")
    record = listed.records.get()
    publication = listed.publications.get()
    assert _ops(entries(publication)) == [("new", "")]
    application = restoration_services.restoration_receive(
        commitment="承诺所提交材料真实有效，不再发生同类失信行为。",
        actor=caseworker_a,
        reason="Application",
        designation=listed,
        method="rectification",
        evidence="整改报告及验收意见",
    )
    application = restoration_services.restoration_accept(application=application, actor=caseworker_a, reason="Ok")
    application = restoration_services.restoration_review(
        application=application, actor=caseworker_a, reason="Reviewed", opinion="整改到位"
    )
    settle()
    restoration_services.restoration_grant(application=application, actor=decider, reason="Granted")
    settle()
    grant = FeedEntry.objects.filter(operation="withdrawn").order_by("-id")
    withdrawn = {(entry.kind, entry.object_id): entry for entry in grant}
    listing, shared = withdrawn[("list_entry", publication.pk)], withdrawn[("record", record.pk)]
    assert listing.cause == shared.cause == "restored"
    assert listing.xid == shared.xid  # in step: the same transaction
    commitment = application.publications.get()
    assert _ops(entries(commitment, kind="commitment")) == [("new", "")]


def test_a_published_penalty_enters_and_a_correction_withdraws_it_and_publishes_it_again(
    on, caseworker_a, dept_a, organisation, entries
):
    """SAMR-45 art. 12 through the feed: the corrected penalty's old row is withdrawn (cause corrected) and the new row
    enters as new, with the corrected summary."""
    from creditportal.models import JurisdictionProfile
    from creditportal.profiles import forget_profiles
    from tests.case_data import make_catalog

    on(2026, 9, 28)
    JurisdictionProfile.objects.filter(code="HN").unguarded().update(publishes_penalties=True)  # test data
    forget_profiles()
    item, _standard = make_catalog(
        actor=caseworker_a, department=dept_a, item={"info_class": "general", "display_max_months": 36}
    )
    record = services.record_create(
        actor=caseworker_a,
        subject=organisation,
        catalog_item=item,
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis=BASIS,
        reason="录入行政处罚信息",
    )
    first = record.publications.get()
    settle()
    services.record_correct(record=record, actor=caseworker_a, reason="Corrected", changes={"summary": "销售过期食品"})
    second = record.publications.get(withdrawn_at__isnull=True)
    assert _ops(entries(first)) == [("new", ""), ("withdrawn", "corrected")]
    (entry,) = entries(second)
    assert entry.operation == "new" and entry.payload["summary"] == "销售过期食品"


def test_the_flush_at_each_commit_runs_without_jit():
    """At provincial scale the flush's plan passed PostgreSQL's ``jit_above_cost`` and compiling it took most of every
    commit that touched a record (0.9 s against 0.17 s, docs/benchmarks.md): the function turns JIT off for itself."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT proconfig FROM pg_proc WHERE proname = 'feed_flush_xact'")
        (config,) = cursor.fetchone()
    assert "jit=off" in (config or [])
