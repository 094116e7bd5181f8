"""Fixtures of the feed tests: the subjects tests' catalog, organisation and record, and the restoration tests'
listed designation (walked through its due process by the services), reused as they are."""

import pytest
from django.db import connection

from restoration.tests.conftest import listed, promised_period  # noqa: F401  (fixtures)
from subjects.tests.conftest import catalog, make_record, organisation, record  # noqa: F401  (fixtures)


def settle() -> None:
    """Run the feed's triggers now, as the commit would (they are deferred to it; a test's transaction never
    commits)."""
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def entries():
    """The feed's entries about one object, in order, after settling: ``entries(obj)``."""
    from feed.models import FeedEntry

    kinds = {"CreditRecord": "record", "Publication": "list_entry", "PublishedPenalty": "penalty"}

    def _entries(obj, kind=None):
        settle()
        return list(
            FeedEntry.objects.filter(kind=kind or kinds[type(obj).__name__], object_id=obj.pk).order_by(
                "order_xid", "id"
            )
        )

    return _entries
