"""One end-to-end run through the real Redis broker and a real Celery worker process.

Every other test runs tasks eagerly. This one starts ``celery worker`` against the test database and
sends a task through Redis (CELERY_INTEGRATION_BROKER_URL, default redis://127.0.0.1:6379/15).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection

from creditportal.tests.factories import DepartmentFactory

ROOT = Path(__file__).resolve().parent.parent
BROKER = os.environ.get("CELERY_INTEGRATION_BROKER_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def worker():
    try:
        redis.Redis.from_url(BROKER).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(
            f"Redis does not answer at {BROKER} ({error}); start it (.ci/run does) or set "
            "CELERY_INTEGRATION_BROKER_URL."
        )
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "creditportal.settings.dev",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "SECRET_KEY": "integration-test-only",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "creditportal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_answers_through_redis_and_reads_the_database(worker):
    DepartmentFactory(code="HN-DRC")
    producer = Celery(broker=BROKER, backend=BROKER, set_as_current=False)  # later tests keep the project's app
    started = time.monotonic()
    result = producer.send_task("creditportal.system_health")
    try:
        answer = result.get(timeout=90)
    except Exception:
        worker.terminate()
        output = worker.communicate(timeout=20)[0]
        pytest.fail(f"The worker did not answer within {time.monotonic() - started:.0f} s:\n{output[-4000:]}")
    assert answer["database"] is True
    assert answer["departments"] == 1
