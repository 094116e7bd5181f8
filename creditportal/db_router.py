"""Reads that may come from a PostgreSQL read replica: exports, reports and the public pages (issue 12).

A replica is configured with ``DATABASE_REPLICA_URL`` (the ``replica`` alias); without it everything reads the
primary and nothing here changes a query. Everything else reads the primary: a caseworker who has just saved
sees what was saved (a replica lags by a moment), and every write and every row lock goes to the primary.

Three ways in:
- ``queryset.using(reporting_database())`` for a queryset evaluated later, such as a streamed export (the
  stream is read after the view returned);
- ``with reading_from_replica():`` around a report built in one go;
- ``ReplicaReadMixin`` on a read-only view (the public list and catalog): its template is rendered inside.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings

PRIMARY = "default"
REPLICA = "replica"

_reading_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("reading_from_replica", default=False)


def reporting_database() -> str:
    """The alias exports and reports read from: the replica when one is configured (and ``REPLICA_READS`` is on,
    the default), else the primary. The test settings configure the alias but leave its reads off, so the suite's
    transactions see their own rows; tests/test_db_router.py turns them on."""
    if REPLICA in settings.DATABASES and getattr(settings, "REPLICA_READS", True):
        return REPLICA
    return PRIMARY


@contextlib.contextmanager
def reading_from_replica() -> Iterator[str]:
    """Reads inside the block go to the replica (when configured); writes still go to the primary."""
    token = _reading_from_replica.set(True)
    try:
        yield reporting_database()
    finally:
        _reading_from_replica.reset(token)


class PrimaryReplicaRouter:
    """``settings.DATABASE_ROUTERS``: the primary for writes and for every read unless asked otherwise."""

    def db_for_read(self, model, **hints):
        if _reading_from_replica.get():
            return reporting_database()
        return None  # Django's default: the primary, or the database the related instance came from

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True  # the same data: the replica is a copy of the primary
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the replica gets its schema and rows by replication, never by migrate


class ReplicaReadMixin:
    """For read-only views: the view and its template (rendered here, not later) read from the replica."""

    def dispatch(self, request, *args, **kwargs):
        with reading_from_replica():
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin: the view it is combined with defines it
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response
