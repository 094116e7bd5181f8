"""What falls when a record falls (issue 17): the one announcement every path that ends a credit record makes.

A record ends by expiry (R-DIS-3), restoration (R-RES-4), revocation of its basis (R-RES-6), deletion after a
sustained objection (R-OBJ-6), or a correction the decider says removes what rested on it. Whatever the path, the
record's service calls ``announce_record_end`` once, with the records and the cause, and every app that keeps
something resting on records handles it once, in one place: ``designations`` registers the handler that ends the
designations resting on them through the designation workflow (``designations.services.endings``).

Handlers run inside the caller's transaction, not after commit: the record's end and everything resting on it end
together or not at all (a handler that refuses, e.g. because the actor may not withdraw another department's
designation, refuses the record's end as well, with the reason). ``subjects`` imports no app above it: the apps
above register here (in their ``ready()``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .choices import RecordEndCause


@dataclass(frozen=True)
class RecordEnd:
    """Records that ended together, why, by whom, and when."""

    record_ids: tuple[int, ...]
    cause: RecordEndCause
    actor: object
    reason: str
    now: datetime.datetime


Handler = Callable[[RecordEnd], object]
_handlers: dict[str, Handler] = {}


def on_record_end(name: str, handler: Handler) -> None:
    """Register ``handler`` (once per ``name``: an app's ``ready()`` may run twice in tests)."""
    _handlers[name] = handler


def announce_record_end(*, records: Iterable, cause: RecordEndCause, actor, reason: str, now) -> None:
    """Tell every registered app that ``records`` ended for ``cause``. Called by ``subjects.services`` (one
    record) and the nightly expiry (a batch), inside their transaction."""
    ids = tuple(sorted({getattr(record, "pk", record) for record in records}))
    if not ids:
        return
    end = RecordEnd(record_ids=ids, cause=RecordEndCause(cause), actor=actor, reason=reason, now=now)
    for handler in _handlers.values():
        handler(end)
