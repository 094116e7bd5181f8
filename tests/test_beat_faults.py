"""The beat's leadership is lost with its connection (issue 16): a ``celery beat`` whose database connection is
terminated (``pg_terminate_backend``: a database restart, a failover, a proxy's idle timeout) stops scheduling
at once; the standby takes the lock and schedules; never both. When the new leader dies, the first takes over
again.

Two real ``celery beat`` processes on the test database, scheduling the outbox sweep every second
(``PORTAL_OUTBOX_SWEEP_SECONDS``) into a Redis of their own; what each sends is read from its log
("Sending due task"), stamped when the line arrives.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time

import pytest
from django.db import connection

from tests.test_cache_faults import start_redis
from tests.test_gunicorn_faults import free_port, stop
from tests.test_scale_out import lock_holders, start_beat, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SENT = "Sending due task documents-render-pending"


class Beat:
    """A running ``celery beat`` and the lines it logged, each with the moment it was read."""

    def __init__(self, schedule, broker: str):
        self.process = start_beat(
            schedule,
            extra_env={"CELERY_BROKER_URL": broker, "PORTAL_OUTBOX_SWEEP_SECONDS": "1", "LOG_FORMAT": "text"},
            loglevel="INFO",
        )
        self.lines: list[tuple[float, str]] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append((time.monotonic(), line))

    def said(self, text: str, after: float = 0.0) -> int:
        return sum(1 for moment, line in list(self.lines) if text in line and moment > after)

    def sent(self, after: float = 0.0) -> int:
        return self.said(SENT, after)

    def output(self) -> str:
        return "".join(line for _moment, line in self.lines)[-4000:]

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.reader.join(timeout=10)


def terminate_backend(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def beat_broker(tmp_path):
    """A Redis of the test's own for the beats' broker: what they send every second is thrown away with it."""
    port = free_port()
    server = start_redis(port, tmp_path)
    yield f"redis://127.0.0.1:{port}/0"
    stop(server)


def test_a_beat_whose_connection_is_terminated_stops_scheduling_and_the_standby_takes_over(tmp_path, beat_broker):
    first = Beat(tmp_path / "first-schedule", beat_broker)
    second = None
    try:
        wait_for(lambda: len(lock_holders()) == 1, 60, "the first beat did not take the scheduler lock")
        (first_backend,) = lock_holders()
        wait_for(lambda: first.sent() >= 2, 30, "the first beat did not schedule the sweep every second")
        second = Beat(tmp_path / "second-schedule", beat_broker)
        wait_for(lambda: second.said("waiting as a standby") == 1, 60, "the second beat did not wait as a standby")
        time.sleep(2)
        assert second.sent() == 0  # a standby schedules nothing
        assert first.sent() >= 3

        terminate_backend(first_backend)
        cut = time.monotonic()
        wait_for(lambda: lock_holders() not in ([], [first_backend]), 30, "the standby did not take the lock")
        took_over = time.monotonic()
        time.sleep(3)
        # The first beat may have sent once between its last check and the cut; after that, nothing.
        assert first.sent(after=cut + 1) == 0, first.output()
        assert first.said("lost the scheduler lock") == 1, first.output()
        assert second.sent(after=took_over) >= 2, second.output()
        assert first.process.poll() is None  # it lives on, as the standby now
        assert len(lock_holders()) == 1

        # the new leader dies: the first beat, standing by on a new connection, takes the lock and schedules again
        second.stop(signal.SIGKILL)
        died = time.monotonic()
        wait_for(lambda: first.sent(after=died) >= 2, 30, "the first beat did not take over again")
        assert first.said("holds the scheduler lock and schedules") == 2, first.output()
    finally:
        first.stop()
        if second is not None:
            second.stop()
    assert "Traceback" not in first.output(), first.output()
