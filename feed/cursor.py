"""The feed's cursor: opaque to the client, signed so a hand-made one is refused rather than read.

It holds a position in the feed's order, ``(order_xid, id)``: everything at or before it was delivered. When a page
reaches the watermark (nothing more is deliverable now) the position becomes ``(watermark - 1, MAX)``, "everything
below the watermark", so an idle client's cursor moves on with the feed and a filtered client's does not walk other
departments' entries again."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "feed.cursor"
#: The largest entry id: a position "after every entry of that transaction".
MAX_ID = 2**63 - 1


@dataclass(frozen=True, order=True)
class Position:
    order_xid: int
    entry_id: int

    @classmethod
    def below(cls, watermark: int) -> Position:
        """Everything ordered before the transaction ``watermark``."""
        return cls(watermark - 1, MAX_ID)


#: Before the first entry.
START = Position(-1, 0)


class BadCursor(ValueError):
    pass


def encode(position: Position) -> str:
    return signing.dumps([position.order_xid, position.entry_id], salt=SALT, compress=False)


def decode(cursor: str | None) -> Position:
    """The position a cursor names; None or empty: the start. ``BadCursor`` for one this deployment did not issue."""
    if not cursor:
        return START
    try:
        order_xid, entry_id = signing.loads(cursor, salt=SALT)
        return Position(int(order_xid), int(entry_id))
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise BadCursor(str(error)) from error
