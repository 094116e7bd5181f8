"""The cache is optional at runtime (issue 16): with the cache's Redis stopped, or never there, pages are served
from the database, /healthz answers 200 and says the cache is down, and the outage is logged once, not per call.

The cache is configured as every deployment configures it (``creditportal.settings.base.shared_cache``), pointed
at a Redis that does not answer: nothing listens on port 1, or a ``redis-server`` this test started is stopped.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from creditportal.choices import Role
from creditportal.profiles import current_profile
from creditportal.settings.base import shared_cache
from creditportal.tests.factories import DepartmentFactory, user_with_role
from tests.test_broker_faults import _draft, silent_server
from tests.test_gunicorn_faults import Browser, free_port, start_gunicorn, stop, wait_serving

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def dead_redis(db: int) -> str:
    """A Redis address where nothing listens; each test its own database number, so its own outage."""
    return f"redis://127.0.0.1:1/{db}"


def start_redis(port: int, directory: Path) -> subprocess.Popen:
    """A ``redis-server`` of the test's own on ``port`` (nothing saved), ready: one it may stop, unlike the shared
    one."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (.ci/run installs it)")
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [*command, "--dir", str(directory)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process.poll() is None:
        try:
            redis.Redis(port=port).ping()
            return process
        except redis.exceptions.ConnectionError:
            time.sleep(0.1)
    pytest.fail(f"redis-server did not start on port {port}: {stop(process)}")


@pytest.fixture
def case(client):
    """A caseworker logged in, and a designation of theirs (its case page reads the jurisdiction profile)."""
    department = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局")
    caseworker = user_with_role(Role.CASEWORKER, department, username="caseworker_a")
    designation = _draft(department, caseworker)
    client.force_login(caseworker)
    return designation


def cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "creditportal.cache" and r.levelno >= logging.WARNING]


def test_pages_are_served_from_the_database_when_the_cache_does_not_answer(settings, client, case, caplog):
    settings.CACHES = {"default": shared_cache(dead_redis(3))}
    caplog.set_level(logging.WARNING, logger="creditportal.cache")
    pages = [reverse("subject_list"), reverse("designation_detail", args=[case.pk]), reverse("dashboard")]
    for _ in range(3):
        for page in pages:
            assert client.get(page).status_code == 200, page
    assert current_profile() is not None  # read from the database, as the pages did

    health = client.get(reverse("healthz"))
    assert health.status_code == 200  # users are served
    assert health.json()["cache"] == "down"
    assert health.json()["status"] == "degraded" and health.json()["degraded"] == ["cache"]
    # nine pages, each reading the profile and the calendar through the cache: one line says the cache is down
    assert len(cache_warnings(caplog)) == 1, cache_warnings(caplog)


def test_a_process_leaves_a_silent_cache_alone_and_asks_again_after_a_while(settings, monkeypatch):
    """Once a call failed, the process does not ask Redis again for RETRY_AFTER seconds (a page does not pay a
    connection attempt per cache call), then asks again; /healthz asks Redis itself, whatever the process
    believes."""
    settings.CACHES = {"default": {**shared_cache(dead_redis(4)), "RETRY_AFTER": 0.5}}
    attempts: list[int] = []
    connect = redis.connection.AbstractConnection.connect

    def counted(self, *args, **kwargs):  # the edge, counted: a socket opened to Redis
        attempts.append(1)
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "connect", counted)
    assert cache.get("a", "fallback") == "fallback"
    for _ in range(20):
        assert cache.get("a") is None
        cache.set("a", 1)
    assert len(attempts) == 1  # the first call tried; the next 40 did not
    time.sleep(0.6)
    assert cache.get("a") is None
    assert len(attempts) == 2  # after RETRY_AFTER it asks again
    assert cache.ping() is False
    assert len(attempts) == 3


def test_a_cache_that_accepts_and_never_answers_costs_one_timeout_not_one_per_call(settings):
    """A hung Redis (it accepts the connection and says nothing): the first call waits the socket timeout (1 s),
    the next ones none (without a timeout a page would wait forever; without the pause, a second per call)."""
    calls: list[float] = []

    def pages() -> None:
        for _ in range(20):
            assert cache.get("a") is None
            cache.set("a", 1)
            calls.append(time.monotonic())

    with silent_server() as address:
        settings.CACHES = {"default": shared_cache(f"redis://{address}/0")}
        started = time.monotonic()
        worker = threading.Thread(target=pages, daemon=True)  # a hang fails the test instead of holding it
        worker.start()
        worker.join(timeout=15)
    assert len(calls) == 20, f"{len(calls)} of 20 cache round trips done in 15 s"
    assert calls[-1] - started < 2.5, f"{calls[-1] - started:.1f} s for 20 round trips"


@pytest.mark.integration
def test_stopping_the_caches_redis_under_a_running_server_leaves_the_pages_serving(settings, tmp_path):
    """The production layout on this machine: gunicorn with the cache on a Redis of its own (CACHE_URL), serving
    a caseworker; the Redis is stopped (SIGTERM) and the pages go on answering 200 while /healthz says the cache
    is down; started again, the cache is used again and /healthz says so."""
    from tests.test_scale_out import _people_and_record

    company, _record, _standard = _people_and_record(settings)
    redis_port, port = free_port(), free_port()
    cache_server = start_redis(redis_port, tmp_path)
    cache_url = f"redis://127.0.0.1:{redis_port}/0"
    server = start_gunicorn(port=port, extra_env={"CACHE_URL": cache_url, "CACHE_RETRY_AFTER": "1"})
    base = f"http://127.0.0.1:{port}"
    pages = ["/subjects/", f"/subjects/{company.pk}/", "/"]
    try:
        wait_serving(base, server)
        caseworker = Browser(base)
        caseworker.login("hk-caseworker")
        for page in pages:
            assert caseworker.request(page)[0] == 200, page
        assert redis.Redis(port=redis_port).dbsize() > 0  # the pages did go through this cache

        stop(cache_server)
        for _ in range(3):
            for page in pages:
                status, body, _headers = caseworker.request(page)
                assert status == 200, (page, status, body[-2000:])
        status, body, _headers = caseworker.request("/healthz")
        assert status == 200 and '"cache": "down"' in body, body

        cache_server = start_redis(redis_port, tmp_path)
        time.sleep(1.2)  # RETRY_AFTER: the server asks Redis again
        for page in pages:
            assert caseworker.request(page)[0] == 200, page
        status, body, _headers = caseworker.request("/healthz")
        assert status == 200 and '"cache": "ok"' in body, body
        assert redis.Redis(port=redis_port).dbsize() > 0  # cached again
    finally:
        output = stop(server)
        stop(cache_server)
    assert output.count("does not answer") == 1, output[-4000:]  # once, in one worker, for the whole outage
    assert "answers again" in output, output[-4000:]
    assert "Traceback" not in output, output[-4000:]
