"""The Celery application. With CELERY_BROKER_URL unset, tasks run eagerly in-process.

Exactly one beat (issues 12 and 16): a ``celery beat`` schedules only while it holds a PostgreSQL advisory lock on a
connection of its own, and it checks that it still holds it before every schedule (``LeaderScheduler``). A second
beat, started by mistake or as a standby, schedules nothing until the lock is free; a beat whose connection is
gone (it died, its database restarted, its backend was terminated) has lost the lock with it and stops scheduling.

An act never waits on the broker (issue 16): ``publish_at_once`` queues work from a request with one connection
attempt and no retries; what did not go out stays a row that a sweep queues again.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import TYPE_CHECKING

from celery import Celery, signals
from celery.beat import PersistentScheduler

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditportal.settings.dev")

from .logging import connect_signals  # noqa: E402

app = Celery("creditportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# A task logs under the id of the request that queued it (creditportal.logging).
connect_signals()

logger = logging.getLogger(__name__)


def publish_at_once(task, *, args: list) -> None:
    """Queue ``task`` now or fail now: one attempt to reach the broker (refused at once; at most the transport's
    ``socket_connect_timeout`` when its host does not answer), no publish retries, and no subscription to a result
    nobody reads (Celery's Redis result backend would otherwise retry its own connection 20 times, 19 s, before the
    act answered). Raises kombu's ``OperationalError`` when the broker does not answer: the caller keeps the work as
    a row that a sweep queues again (the outbox), so the act that queued it succeeds all the same."""
    if app.conf.task_always_eager:
        task.apply_async(args=args)
        return
    with app.producer_or_acquire() as producer:
        producer.connection.ensure_connection(max_retries=0)
        task.apply_async(args=args, producer=producer, retry=False, ignore_result=True)


# Exactly one beat ------------------------------------------------------------------------------------------------
#: The advisory lock a scheduling beat holds (any bigint unique to this application: "creditbt" in ASCII).
BEAT_LOCK_KEY = int.from_bytes(b"creditbt", "big") & 0x7FFF_FFFF_FFFF_FFFF
BEAT_LOCK_POLL_SECONDS = float(os.environ.get("CELERY_BEAT_LOCK_POLL_SECONDS", "5"))
#: True when this session holds the lock (an advisory lock with a bigint key shows as its two 32-bit halves).
_HOLDS_LOCK = (
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() "
    "AND classid = %s AND objid = %s AND objsubid = 1)"
)


class BeatLeadership:
    """The scheduler lock, held by a database connection of the beat's own: it goes with the connection, so a beat
    that dies (even by SIGKILL, or with its machine) or whose connection is cut releases it, and a standby takes it
    within BEAT_LOCK_POLL_SECONDS. The sweeps stay safe to run twice regardless (row locks), but scheduling twice
    doubles every sweep's work and every reminder's chance to race."""

    def __init__(self) -> None:
        self.connection: BaseDatabaseWrapper | None = None
        self.leading = False
        self.standby_said = False

    def lead(self) -> bool:
        """True when this beat may schedule now: it still holds the lock (asked of PostgreSQL on its own connection,
        not remembered), or it has just taken it. A failed query means the connection, and the lock, are gone."""
        from django.db import Error, connections

        if self.connection is None:
            self.connection = connections.create_connection("default")
        connection = self.connection
        if connection.vendor != "postgresql":
            return True  # the quick start (SQLite) runs one process of everything anyway
        try:
            with connection.cursor() as cursor:
                if self.leading:
                    cursor.execute(_HOLDS_LOCK, [BEAT_LOCK_KEY >> 32, BEAT_LOCK_KEY & 0xFFFF_FFFF])
                else:
                    cursor.execute("SELECT pg_try_advisory_lock(%s)", [BEAT_LOCK_KEY])
                holds = bool(cursor.fetchone()[0])
        except Error as error:
            holds = False
            self._forget_connection()
            if not self.leading:
                logger.debug("The scheduler lock could not be asked for: %s", error)
        if holds and not self.leading:
            logger.warning("This celery beat holds the scheduler lock and schedules the periodic tasks")
            self.standby_said = False
        elif not holds and self.leading:
            logger.warning(
                "This celery beat lost the scheduler lock (its database connection went): it schedules nothing "
                "until it holds the lock again"
            )
            self._forget_connection()  # a new connection asks for the lock again, as a standby
        elif not holds and not self.standby_said:
            logger.warning("Another celery beat holds the scheduler lock: waiting as a standby")
            self.standby_said = True
        self.leading = holds
        return holds

    def _forget_connection(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # already broken: nothing to close
                logger.debug("Closing the scheduler lock's connection failed", exc_info=True)
        self.connection = None


class LeaderScheduler(PersistentScheduler):
    """Celery's default scheduler (the schedule kept in ``--schedule``'s file) that sends a due task only while
    this beat leads: leadership is checked at every tick, right before the due entries are sent, so a beat that
    lost its lock while it slept sends nothing when it wakes (``CELERY_BEAT_SCHEDULER``)."""

    leadership: BeatLeadership | None = None

    def tick(self, *args, **kwargs):
        if self.leadership is None:  # made in the beat's own thread: a database connection stays in its thread
            self.leadership = BeatLeadership()
        if not self.leadership.lead():
            return BEAT_LOCK_POLL_SECONDS
        return super().tick(*args, **kwargs)


HEARTBEAT_KEY = "creditportal:worker-heartbeat:{queue}"


def beat_heart(queues: list[str]) -> None:
    """Say "a worker consumes these queues, now" through the shared cache (read by /healthz)."""
    from django.conf import settings
    from django.core.cache import cache

    now = time.time()
    ttl = 3 * settings.PORTAL_WORKER_HEARTBEAT_SECONDS
    cache.set_many({HEARTBEAT_KEY.format(queue=queue): now for queue in queues}, timeout=ttl)


@signals.worker_ready.connect(weak=False)
def start_heartbeat(sender=None, **_kwargs) -> None:
    """A thread of the worker's main process beats every PORTAL_WORKER_HEARTBEAT_SECONDS for each queue the
    worker consumes. It tells that the worker is up and connected, not that a task is moving: the queue lengths
    and the oldest pending document (/healthz, /metrics) tell that."""
    from django.conf import settings

    try:
        queues = sorted(queue.name for queue in sender.task_consumer.queues)
    except AttributeError:
        queues = [app.conf.task_default_queue]

    def beat() -> None:
        while True:
            try:
                beat_heart(queues)
            except Exception:  # the cache is down: /healthz will say the queue is silent
                logger.warning("Worker heartbeat could not be written", exc_info=True)
            time.sleep(settings.PORTAL_WORKER_HEARTBEAT_SECONDS)

    threading.Thread(target=beat, name="creditportal-heartbeat", daemon=True).start()
