"""Reading the change feed (issue 23): pages in commit-safe order, the state it describes, and its restart points.

The order is ``(order_xid, id)`` (``feed.models.FeedEntry``), and a page holds only entries whose transaction is
below the watermark ``pg_snapshot_xmin(pg_current_snapshot())``, the oldest transaction still running: every
transaction below it has ended, so no entry can still appear before the cursor. A transaction that commits late
(it began before others that committed first) is delivered when it commits, after what was already read, never
skipped; a bare id or timestamp cursor would have stepped over it.

The API (``/api/v1/feed/``) and the file-mode packages read ``feed_page``; the platform is not a user, so the caller
scopes it by the departments its credential may read (``department_ids``)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import connection

from . import cursor as cursors
from . import sql
from .models import FeedFile
from .pages import (  # noqa: F401 — the feed's pages, read through the selectors
    PAGE_MAX,
    FeedCursorExpired,
    FeedCursorInvalid,
    FeedCursorRefused,
    FeedItem,
    FeedPage,
    _json,
    feed_page,
    latest_snapshot,
    retention_days,
)


def feed_files(*, kind: str) -> list[FeedFile]:
    """The snapshots or packages written, newest first (at most 100)."""
    return list(FeedFile.objects.filter(kind=kind).order_by("-created_at", "-id")[:100])


def feed_state() -> dict[str, Any]:
    """What a platform that read the whole feed holds: key → payload of everything published or shared."""
    from .models import FeedState

    return {
        f"{kind}:{object_id}": payload
        for kind, object_id, payload in FeedState.objects.filter(payload__isnull=False).values_list(
            "kind", "object_id", "payload"
        )
    }


#: What is published or shared, read from the source tables (the ledgers' open rows, the records on display) through
#: the feed's own rule (``feed.sql``): the state a replayed copy must equal.
SOURCE_STATE_SQL = sql._current(
    {
        "list_entry": "p.withdrawn_at IS NULL",
        "commitment": "c.withdrawn_at IS NULL",
        "penalty": "x.withdrawn_at IS NULL",
        "record": "r.status = 'active'",
    }
)


def source_state(*, department_ids: Collection[int] | None = None) -> dict[str, dict]:
    """The source's current published and shared state (key → payload), for checking a copy built from the feed."""
    query, params = f"SELECT * FROM ({SOURCE_STATE_SQL}) t(kind, id, department_id, payload, cause)", []  # noqa: S608
    if department_ids is not None:
        query = f"SELECT * FROM ({query}) t WHERE t.department_id = ANY(%s)"  # noqa: S608
        params = [list(department_ids)]
    with connection.cursor() as cur:
        cur.execute(query, params)
        return {f"{row[0]}:{row[1]}": _json(row[3]) for row in cur.fetchall() if row[3] is not None}


def feed_head() -> str:
    """A cursor at the feed's end as of now: a client that starts here receives every change from now on."""
    with connection.cursor() as cur:
        cur.execute("SELECT feed_watermark()")
        watermark = cur.fetchone()[0]
    return cursors.encode(cursors.Position.below(watermark))


def replay(copy: dict[str, dict], entries) -> dict[str, dict]:
    """Apply entries to a platform's copy, as a platform does: new or changed → the payload; withdrawn → gone."""
    for entry in entries:
        if entry.operation == "withdrawn":
            copy.pop(entry.key, None)
        else:
            copy[entry.key] = entry.payload
    return copy
