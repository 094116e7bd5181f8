"""Reading the change feed (feed/selectors.py): ordered, resumable, nothing skipped when a transaction commits late,
nothing twice; a copy replayed from it equals the source; a snapshot and the feed after its cursor equal it too; a
cursor older than the retention is refused with the snapshot to restart from.

These tests commit for real (``transaction=True``): the watermark is the oldest running transaction, and a test's own
transaction is one."""

import datetime
import gzip
import hashlib
import json

import pytest
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.utils import timezone

from catalog.tests.factories import CatalogItemFactory
from creditportal.audit import system_user
from feed import services as feed_services
from feed.models import FeedEntry
from feed.selectors import (
    FeedCursorExpired,
    FeedCursorInvalid,
    feed_head,
    feed_page,
    latest_snapshot,
    replay,
    source_state,
)
from subjects import services
from subjects.disclosure import records_expire
from subjects.tests.factories import OrganisationFactory

committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _insert_record(cur, *, department, subject, item, actor, summary="shared") -> int:
    cur.execute(
        """INSERT INTO subjects_creditrecord (created_at, updated_at, version, department_id, subject_id,
             catalog_item_id, kind, status, summary, determined_on, recorded_by_id, archive_reason, sharing_flag,
             deletion_application, provider_key)
           VALUES (now(), now(), 1, %s, %s, %s, 'trustworthy', 'active', %s, current_date, %s, '', '', '', '')
           RETURNING id""",
        [department.pk, subject.pk, item.pk, summary, actor.pk],
    )
    return cur.fetchone()[0]


def _read_all(cursor, *, limit=2):
    """Every page from ``cursor`` until the feed has nothing more deliverable: (entries, the last cursor)."""
    entries = []
    while True:
        page = feed_page(after=cursor, limit=limit)
        entries += page.entries
        cursor = page.cursor
        if not page.more:
            return entries, cursor


@committed
def test_a_transaction_that_commits_late_is_not_skipped_and_a_chaos_run_loses_nothing(dept_a):
    """The early transaction writes its entry first (its trigger run at once, as a long transaction's may be) and
    commits last; a later one commits in between and the feed is read. The page read meanwhile holds back the later
    entry (it is above the watermark, the early transaction still running); the next page, after the early one
    commits, delivers both in order, each once. A bare id cursor would have passed the later entry's id and skipped
    the early one. Then scripts/feed_chaos.py, small: 0 lost, 0 duplicated, the copy equal to the source."""
    subject, item, actor = OrganisationFactory(department=dept_a), CatalogItemFactory(), system_user()
    with connection.cursor() as cur:
        early_id = _insert_record(cur, department=dept_a, subject=subject, item=item, actor=actor)
        later_id = _insert_record(cur, department=dept_a, subject=subject, item=item, actor=actor)
    _entries, cursor = _read_all(None)

    early = connections.create_connection("default")
    try:
        early.set_autocommit(False)
        with early.cursor() as cur:
            cur.execute("UPDATE subjects_creditrecord SET summary = 'early' WHERE id = %s", [early_id])
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # its entry is written now, before the later one's
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("UPDATE subjects_creditrecord SET summary = 'later' WHERE id = %s", [later_id])
        meanwhile = feed_page(after=cursor, limit=10)
        assert meanwhile.entries == [] and not meanwhile.more
        early.commit()
    finally:
        early.close()
    after = feed_page(after=meanwhile.cursor, limit=10)
    assert [(e.object_id, e.payload["summary"]) for e in after.entries] == [(early_id, "early"), (later_id, "later")]
    assert after.entries[0].id < after.entries[1].id  # the early entry's id is the lower: an id cursor skips it
    assert feed_page(after=after.cursor, limit=10).entries == []

    # scripts/feed_chaos.py, small: 4 writers, random rollbacks, a reader following the feed at the same time
    from scripts.feed_chaos import run

    figures = run(120, writers=4)
    assert figures["changes"] >= 120 and figures["entries"] > 0
    assert figures["lost"] == 0 and figures["duplicated"] == 0 and figures["copy_matches"], figures


@committed
def test_a_replayed_copy_a_snapshot_and_a_package_match_the_source_and_an_expired_cursor_is_refused(
    record, make_record, caseworker_a, supervisor_a, settings
):
    """Mixed changes (new, corrected, suspended, expired and shared again), read two entries a page from the start and
    applied to a dict: the copy equals the source's published and shared state. The nightly snapshot plus the feed
    after its cursor equals it too; a package carries the entries with a manifest that checks. Past the retention the
    pruned feed refuses the old cursor and points to the snapshot."""
    other, third = make_record(), make_record()
    services.record_correct(record=record, actor=caseworker_a, reason="Corrected", changes={"summary": "更正后"})
    services.record_suspend(record=other, actor=supervisor_a, reason="Provider late (R-OBJ-5)")
    copy = {}
    entries, cursor = _read_all(None)
    replay(copy, entries)
    records_expire(today=third.disclosure_until + datetime.timedelta(days=1))  # all three archived in bulk
    fresh = make_record(determined_on=timezone.localdate() - datetime.timedelta(days=30))
    snapshot = feed_services.feed_snapshot_write()
    services.record_correct(record=fresh, actor=caseworker_a, reason="Corrected", changes={"summary": "又更正"})

    more, end = _read_all(cursor)
    replay(copy, more)
    all_entries = entries + more
    assert len({e.id for e in all_entries}) == len(all_entries) == FeedEntry.objects.count()  # none lost, none twice
    assert {e.operation for e in all_entries} == {"new", "changed", "withdrawn"}
    assert copy == source_state()
    assert f"record:{fresh.pk}" in copy and f"record:{record.pk}" not in copy

    # the snapshot, then the feed from its cursor
    with default_storage.open(snapshot.file.name, "rb") as raw:
        body = raw.read()
    assert hashlib.sha256(body).hexdigest() == snapshot.sha256
    restored = {line["key"]: line["payload"] for line in map(json.loads, gzip.decompress(body).splitlines())}
    assert len(restored) == snapshot.lines
    after_snapshot, _ = _read_all(snapshot.cursor)
    assert replay(restored, after_snapshot) == source_state()

    # file mode: a package from the start, its manifest checks
    package = feed_services.feed_package_write(after=None)
    with default_storage.open(package.file.name, "rb") as raw:
        lines = gzip.decompress(raw.read()).splitlines()
    assert len(lines) == package.lines == len(all_entries) and package.manifest["to_cursor"] == package.cursor
    assert sum(package.manifest["counts"].values()) == package.lines

    # past the retention: the old cursor is refused, pointing to the snapshot; the current one reads on
    settings.FEED_RETENTION_DAYS = 30
    assert feed_services.feed_prune(now=timezone.now() + datetime.timedelta(days=31)) == len(all_entries)
    with pytest.raises(FeedCursorExpired) as refused:
        feed_page(after=cursor, limit=10)
    assert refused.value.snapshot == latest_snapshot() and "snapshot" in str(refused.value)
    assert feed_page(after=end, limit=10).entries == []
    assert feed_page(after=feed_head(), limit=10).entries == []


@pytest.mark.django_db
def test_a_cursor_not_issued_here_is_refused():
    with pytest.raises(FeedCursorInvalid):
        feed_page(after="eyJ4IjoxfQ:forged", limit=10)
