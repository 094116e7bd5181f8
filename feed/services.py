"""Writing for the change feed (issue 23): the nightly snapshot, file-mode packages, and the outbox's housekeeping.

The entries themselves are written by PostgreSQL, in the transaction of each change (``feed/sql.py``); nothing here
changes case data."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import secrets
import tempfile
from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from creditportal.audit import record_event, system_user

from . import cursor as cursors
from .models import FeedEntry, FeedFile, FeedMark, FeedState
from .pages import PAGE_MAX, feed_page, retention_days

#: Entries deleted per statement when pruning; entries per page when packaging.
BATCH = 5000
#: The format named in every manifest, so a platform knows what it reads.
FORMAT = "creditportal-feed/1 (JSON Lines, gzip)"


def _watermark() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT feed_watermark()")
        return cur.fetchone()[0]


def _name(kind: str, now: datetime.datetime) -> str:
    """A name nobody can guess: the day and 128 random bits."""
    return f"feed/{kind}s/{timezone.localtime(now):%Y%m%d-%H%M%S}-{secrets.token_urlsafe(16)}.jsonl.gz"


class _GzipLines:
    """JSON Lines written through gzip into a temporary file, counted and hashed as they go (constant memory)."""

    def __init__(self):
        self.raw = tempfile.TemporaryFile()  # noqa: SIM115  (closed by ``_store`` once saved)
        self.gz = gzip.GzipFile(fileobj=self.raw, mode="wb", mtime=0)
        self.lines = 0

    def write(self, item: dict[str, Any]) -> None:
        self.gz.write(json.dumps(item, ensure_ascii=False, separators=(",", ":"), default=str).encode() + b"\n")
        self.lines += 1

    def finish(self) -> str:
        self.gz.close()
        self.raw.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: self.raw.read(1 << 20), b""):
            digest.update(chunk)
        self.raw.seek(0)
        return digest.hexdigest()


def _store(kind: str, lines: _GzipLines, *, manifest: dict, cursor: str, now, action: str) -> FeedFile:
    sha256 = lines.finish()
    name = default_storage.save(_name(kind, now), File(lines.raw))
    lines.raw.close()
    manifest = {**manifest, "format": FORMAT, "file": name.rsplit("/", 1)[-1], "lines": lines.lines, "sha256": sha256}
    default_storage.save(
        name.removesuffix(".jsonl.gz") + ".manifest.json",
        ContentFile(json.dumps(manifest, ensure_ascii=False, indent=2, default=str).encode()),
    )
    feed_file = FeedFile.objects.create(
        kind=kind, file=name, manifest=manifest, cursor=cursor, lines=lines.lines, sha256=sha256, created_at=now
    )
    record_event(
        action=action,
        actor=system_user(),
        target=feed_file,
        reason=str(FeedFile.Kind(kind).label),
        data={"lines": lines.lines, "sha256": sha256},
        at=now,
    )
    return feed_file


def feed_snapshot_write(*, now: datetime.datetime | None = None) -> FeedFile:
    """The nightly snapshot: everything published or shared now, one line per object (key, kind, department,
    payload), with the cursor to read the feed from afterwards. Read in one repeatable-read transaction through a
    server-side cursor (constant memory at any size); the cursor is the watermark of that transaction's snapshot:
    every entry below it is in the snapshot, and the entries from it on are read again by the client, which is
    harmless (each entry carries the object's whole state, so applying it twice gives the same copy)."""
    now = now or timezone.now()
    lines = _GzipLines()
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        watermark = _watermark()
        rows = (
            FeedState.objects.filter(payload__isnull=False)
            .order_by("kind", "object_id")
            .values_list("kind", "object_id", "department__code", "payload")
        )
        counts: Counter[str] = Counter()
        for kind, object_id, department, payload in rows.iterator(chunk_size=2000):
            lines.write({"key": f"{kind}:{object_id}", "kind": kind, "department": department, "payload": payload})
            counts[kind] += 1
    cursor = cursors.encode(cursors.Position.below(watermark))
    manifest = {"kind": "snapshot", "taken_at": now.isoformat(), "cursor": cursor, "counts": dict(counts)}
    return _store(
        FeedFile.Kind.SNAPSHOT, lines, manifest=manifest, cursor=cursor, now=now, action="feed.snapshot.written"
    )


def _pages(after: str | None, *, department_ids=None, max_entries: int | None = None) -> Iterator:
    read = 0
    while True:
        limit = PAGE_MAX if max_entries is None else max(1, min(PAGE_MAX, max_entries - read))
        page = feed_page(after=after, limit=limit, department_ids=department_ids)
        read += len(page.entries)
        yield page
        after = page.cursor
        if not page.more or (max_entries is not None and read >= max_entries):
            return


def feed_package_write(
    *,
    after: str | None,
    department_ids=None,
    max_entries: int | None = None,
    now: datetime.datetime | None = None,
) -> FeedFile:
    """A file-mode package (GB/T 39443's file mode, for platforms that take files): the feed from the cursor
    ``after`` to what is deliverable now (or ``max_entries``), one entry a line, and a manifest with the counts by
    kind and operation, the SHA-256 and the cursors from and to. The next package starts at this one's ``cursor``.
    Refused like a page (``FeedCursorExpired``) when ``after`` is older than the retention."""
    now = now or timezone.now()
    lines = _GzipLines()
    counts: Counter[str] = Counter()
    to = after
    for page in _pages(after, department_ids=department_ids, max_entries=max_entries):
        for entry in page.entries:
            lines.write(entry.as_json())
            counts[f"{entry.kind}.{entry.operation}"] += 1
        to = page.cursor
    manifest = {
        "kind": "package",
        "written_at": now.isoformat(),
        "from_cursor": after,
        "to_cursor": to,
        "counts": dict(sorted(counts.items())),
    }
    return _store(
        FeedFile.Kind.PACKAGE, lines, manifest=manifest, cursor=to or "", now=now, action="feed.package.written"
    )


def feed_prune(*, now: datetime.datetime | None = None) -> int:
    """The outbox's own housekeeping: entries written more than ``FEED_RETENTION_DAYS`` ago are deleted, as a prefix
    of the feed's order (so "older than the retention" is one comparison with the mark, ``FeedMark``). The mark is
    moved first, so a client whose cursor falls in the pruned part is refused from then on, never served a page with a
    gap. Case data is untouched: the feed's state (``FeedState``) and the snapshots keep what is published."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    watermark = _watermark()
    # The longest prefix of the order whose entries are all past the retention (and below the watermark).
    old = FeedEntry.objects.filter(created_at__lt=cutoff, order_xid__lt=watermark)
    first_kept = FeedEntry.objects.filter(created_at__gte=cutoff).order_by("order_xid", "id").first()
    if first_kept is not None:
        old = old.filter(
            Q(order_xid__lt=first_kept.order_xid) | Q(order_xid=first_kept.order_xid, id__lt=first_kept.id)
        )
    last = old.order_by("-order_xid", "-id").values_list("order_xid", "id").first()
    if last is None:
        return 0
    boundary = cursors.Position(*last)
    with transaction.atomic():
        mark = FeedMark.objects.select_for_update().first()
        if mark is not None and boundary <= cursors.Position(mark.order_xid, mark.entry_id):
            return 0
        if mark is None:
            mark = FeedMark(order_xid=boundary.order_xid, entry_id=boundary.entry_id, pruned_at=now)
        mark.order_xid, mark.entry_id, mark.pruned_at = boundary.order_xid, boundary.entry_id, now
        mark.save()
    deleted = 0
    while True:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                """
                DELETE FROM feed_feedentry WHERE id IN (
                  SELECT id FROM feed_feedentry WHERE (order_xid, id) <= (%s, %s) ORDER BY order_xid, id LIMIT %s)
                """,
                [boundary.order_xid, boundary.entry_id, BATCH],
            )
            deleted += cur.rowcount
            if cur.rowcount < BATCH:
                break
    with transaction.atomic():
        FeedMark.objects.filter(pk=mark.pk).update(pruned=mark.pruned + deleted)
        record_event(
            action="feed.entries.pruned",
            actor=system_user(),
            reason=_("Change feed entries past their retention"),
            data={"deleted": deleted, "retention_days": retention_days()},
            at=now,
        )
    return deleted
