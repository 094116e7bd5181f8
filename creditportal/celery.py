"""The Celery application. With CELERY_BROKER_URL unset, tasks run eagerly in-process.

Exactly one beat (issue 12): a ``celery beat`` holds a PostgreSQL advisory lock for as long as it runs; a second
one started by mistake (or as a standby) waits for the lock and schedules nothing until the first is gone.
"""

import logging
import os
import threading
import time

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditportal.settings.dev")

from .logging import connect_signals  # noqa: E402

app = Celery("creditportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# A task logs under the id of the request that queued it (creditportal.logging).
connect_signals()

logger = logging.getLogger(__name__)

#: The advisory lock a running beat holds (any bigint unique to this application: "creditbt" in ASCII).
BEAT_LOCK_KEY = int.from_bytes(b"creditbt", "big") & 0x7FFF_FFFF_FFFF_FFFF
BEAT_LOCK_POLL_SECONDS = float(os.environ.get("CELERY_BEAT_LOCK_POLL_SECONDS", "5"))
_beat_lock_connection = None


@signals.beat_init.connect(weak=False)
def hold_beat_lock(sender=None, **_kwargs) -> None:
    """Before beat schedules anything, take the scheduler lock on a connection of its own, waiting while another
    beat holds it. The lock goes with the connection: a beat that dies (even by SIGKILL) releases it, and the
    standby takes over within BEAT_LOCK_POLL_SECONDS. The sweeps stay safe to run twice regardless (row locks)."""
    global _beat_lock_connection
    from django.db import connections

    connection = connections.create_connection("default")
    if connection.vendor != "postgresql":
        return  # the quick start (SQLite) runs one process of everything anyway
    waited = False
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [BEAT_LOCK_KEY])
            if cursor.fetchone()[0]:
                break
        if not waited:
            logger.warning("Another celery beat holds the scheduler lock: waiting as a standby")
            waited = True
        time.sleep(BEAT_LOCK_POLL_SECONDS)
    _beat_lock_connection = connection
    logger.warning("This celery beat holds the scheduler lock and schedules the periodic tasks")


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
