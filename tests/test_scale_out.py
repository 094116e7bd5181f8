"""The scale-out layout exercised on this machine (issue 12): processes that share PostgreSQL and Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from creditportal.celery import BEAT_LOCK_KEY
from tests.test_celery_integration import BROKER
from tests.test_worker_faults import stop

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def start_beat(schedule: Path) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "creditportal.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "SECRET_KEY": "integration-test-only",
        "CELERY_BEAT_LOCK_POLL_SECONDS": "0.5",
    }
    command = [sys.executable, "-m", "celery", "-A", "creditportal", "beat", "--loglevel=WARNING"]
    command += ["--schedule", str(schedule)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def lock_holders() -> list[int]:
    """The PostgreSQL backends holding the scheduler lock (a bigint key: high and low 32 bits)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %s AND objid = %s "
            "AND objsubid = 1",
            [BEAT_LOCK_KEY >> 32, BEAT_LOCK_KEY & 0xFFFF_FFFF],
        )
        return [row[0] for row in cursor.fetchall()]


def waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND query LIKE %s",
            ["%pg_try_advisory_lock%"],
        )
        return cursor.fetchone()[0]


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout:.0f} s")


def test_exactly_one_beat_schedules_and_a_standby_takes_over_when_it_dies(tmp_path):
    """Two ``celery beat`` processes: one holds the scheduler lock, the other waits; the holder is killed with
    SIGKILL and the standby takes the lock (its connection went with the dead process)."""
    first = start_beat(tmp_path / "first-schedule")
    second = None
    try:
        wait_for(lambda: len(lock_holders()) == 1, 60, "the first beat did not take the scheduler lock")
        (holder,) = lock_holders()
        second = start_beat(tmp_path / "second-schedule")
        wait_for(lambda: waiters() == 2, 60, "the second beat did not start waiting")
        time.sleep(2)  # it keeps trying, and keeps failing, while the first runs
        assert lock_holders() == [holder]

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        wait_for(lambda: lock_holders() not in ([], [holder]), 30, "the standby did not take over")
        assert len(lock_holders()) == 1
        assert second.poll() is None
    finally:
        first_output = stop(first)
        second_output = stop(second) if second is not None else ""
    assert "waiting as a standby" in second_output, second_output[-3000:]
    assert "holds the scheduler lock and schedules" in first_output, first_output[-3000:]
