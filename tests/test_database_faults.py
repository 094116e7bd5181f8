"""Two deadline sweeps at once (two beat workers, or a sweep still running when the next starts) act on each
deadline once: the rows are locked and the other sweep skips what it finds locked."""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection

from creditportal import deadlines
from creditportal.audit import system_user
from creditportal.choices import DayCount
from creditportal.models import Deadline
from creditportal.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_sweeps_at_once_act_on_each_deadline_once(django_db_blocker):
    """Two beat workers sweep at the same moment: each expired clock is handled once (the other skips the row
    it finds locked)."""
    handled: list[int] = []
    lock = threading.Lock()

    def handler(*, deadline, actor, today):
        with lock:
            handled.append(deadline.pk)
        deadlines.deadline_close(deadline=deadline, actor=actor, reason="Handled")

    department = DepartmentFactory(code="HK-SAMR")
    deadlines.register_expiry("creditportal.department", "R-TEST-1", handler)
    actor = system_user()
    for _ in range(20):
        deadlines.deadline_open(
            case=department,
            department=department,
            rule_id="R-TEST-1",
            article="",
            anchor_event="test",
            anchor_date=datetime.date(2026, 11, 2),
            days=1,
            unit=DayCount.WORKING_DAYS,
            actor=actor,
            reason="Test clock",
        )
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            results.append(deadlines.deadline_sweep(today=datetime.date(2026, 11, 20)))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    assert sorted(handled) == sorted(set(handled)) and len(handled) == 20
    assert sum(r["processed"] for r in results) == 20
    assert not Deadline.objects.filter(rule_id="R-TEST-1", status="open").exists()
