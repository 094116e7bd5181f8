"""The restoration app's tasks: the daily expiry (R-DIS-3) is ``subjects.disclosure.records_expire``, run each
morning by the Celery beat task ``restoration.records_expire``."""

import datetime

import pytest

from restoration.tasks import records_expire_task
from subjects.tests.test_disclosure import _many

pytestmark = pytest.mark.django_db


def test_r_dis_3_the_daily_task_runs_the_expiry(record, settings):
    """The Celery beat task (restoration.records_expire) runs the same job for today."""
    _many(record, 3, until=datetime.date(2026, 3, 31))
    assert records_expire_task.delay().get()["archived"] == 3
