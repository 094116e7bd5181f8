"""The change feed's pages (issue 23): what ``feed_page`` serves and how a cursor is refused; read by the selectors
and by the services that write packages."""

from __future__ import annotations

import datetime
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from . import cursor as cursors
from .models import FeedFile, FeedMark

#: The most entries one page holds, whatever the client asks.
PAGE_MAX = 1000


class FeedCursorRefused(Exception):
    """The client's cursor cannot be read from: ``code`` says why, ``str()`` says it in the user's language."""

    code = "cursor_refused"

    def __init__(self, message: str, *, snapshot: FeedFile | None = None):
        super().__init__(message)
        self.snapshot = snapshot


class FeedCursorExpired(FeedCursorRefused):
    """The entries after the cursor were pruned (``FEED_RETENTION_DAYS``): restart from the latest nightly snapshot
    (``snapshot``, None when none was written yet) and read the feed from its cursor."""

    code = "cursor_expired"


class FeedCursorInvalid(FeedCursorRefused):
    code = "cursor_invalid"


@dataclass(frozen=True)
class FeedItem:
    id: int
    kind: str
    object_id: int
    operation: str
    cause: str
    department_code: str
    payload: dict[str, Any] | None
    written_at: datetime.datetime
    xid: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"

    def as_json(self) -> dict[str, Any]:
        """One line of the feed as the platform receives it (the API, the packages)."""
        return {
            "id": self.id,
            "key": self.key,
            "kind": self.kind,
            "operation": self.operation,
            "cause": self.cause or None,
            "department": self.department_code,
            "payload": self.payload,
            "written_at": self.written_at.isoformat(),
        }


@dataclass(frozen=True)
class FeedPage:
    entries: list[FeedItem]
    #: Where the next page starts: pass it back as ``after``.
    cursor: str
    #: More entries are deliverable now (ask again at once); False: the client is up to date.
    more: bool
    watermark: int = field(default=0, compare=False)


def _refuse_pruned(position: cursors.Position) -> None:
    mark = FeedMark.objects.order_by("-order_xid", "-entry_id").first()
    if mark is not None and position < cursors.Position(mark.order_xid, mark.entry_id):
        raise FeedCursorExpired(
            _(
                "The change feed no longer holds the changes after this cursor (they are kept %(days)s days). "
                "Restart from the latest nightly snapshot and read the feed from the cursor it gives."
            )
            % {"days": retention_days()},
            snapshot=latest_snapshot(),
        )


def retention_days() -> int:
    return int(getattr(settings, "FEED_RETENTION_DAYS", 30))


def feed_page(*, after: str | None, limit: int, department_ids: Collection[int] | None = None) -> FeedPage:
    """The next ``limit`` entries after the cursor ``after`` (None: from the start), in order, each once.

    Refuses (``FeedCursorInvalid``) a cursor this deployment did not issue and (``FeedCursorExpired``) one older than
    the retention: the client then restarts from the latest nightly snapshot (``latest_snapshot``)."""
    try:
        position = cursors.decode(after)
    except cursors.BadCursor:
        raise FeedCursorInvalid(
            _("This change feed cursor was not issued here or was altered. Use the cursor of the last page read.")
        ) from None
    _refuse_pruned(position)
    limit = max(1, min(int(limit), PAGE_MAX))
    department_filter = ""
    params: list[Any] = [position.order_xid, position.entry_id]
    if department_ids is not None:
        department_filter = "AND e.department_id = ANY(%s)"
        params.append(list(department_ids))
    with connection.cursor() as cur:
        # One statement: its snapshot is the one the watermark is read from.
        cur.execute(
            f"""
            WITH w AS (SELECT feed_watermark() AS watermark)
            SELECT w.watermark, e.id, e.kind, e.object_id, e.operation, e.cause, d.code, e.payload, e.created_at,
                   e.xid, e.order_xid
              FROM w LEFT JOIN LATERAL (
                SELECT * FROM feed_feedentry e
                 WHERE (e.order_xid, e.id) > (%s, %s) AND e.order_xid < w.watermark {department_filter}
                 ORDER BY e.order_xid, e.id LIMIT %s) e ON true
              LEFT JOIN creditportal_department d ON d.id = e.department_id
             ORDER BY e.order_xid, e.id
            """,  # noqa: S608  (the filter is a fixed clause; values are parameters)
            [*params, limit + 1],
        )
        rows = cur.fetchall()
    watermark = rows[0][0]
    found = [row for row in rows if row[1] is not None]
    more = len(found) > limit
    found = found[:limit]
    entries = [
        FeedItem(
            id=row[1],
            kind=row[2],
            object_id=row[3],
            operation=row[4],
            cause=row[5],
            department_code=row[6],
            payload=_json(row[7]),
            written_at=row[8],
            xid=row[9],
        )
        for row in found
    ]
    if more:
        end = cursors.Position(found[-1][10], found[-1][1])
    else:  # every entry below the watermark was delivered: the cursor moves up to it
        end = max(position, cursors.Position.below(watermark))
    return FeedPage(entries=entries, cursor=cursors.encode(end), more=more, watermark=watermark)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def latest_snapshot() -> FeedFile | None:
    """The latest nightly snapshot: a platform restarts from it and reads the feed from its ``cursor``."""
    return FeedFile.objects.filter(kind=FeedFile.Kind.SNAPSHOT).order_by("-created_at", "-id").first()
