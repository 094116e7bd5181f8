"""A request id on every response and log line, carried into the tasks a request queues (issue 12)."""

from __future__ import annotations

import io
import json
import logging
import re
import time

import pytest
from django.conf import settings as django_settings
from pythonjsonlogger.json import JsonFormatter

from creditportal.logging import bound_request_id, current_request_id
from creditportal.tasks import system_health_task
from tests.test_worker_faults import QUEUES, redis_queue, start_worker, stop  # noqa: F401  (the redis_queue fixture)


def test_the_proxys_request_id_is_returned_and_kept(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-7f3a9c")
    assert response["X-Request-ID"] == "nginx-7f3a9c"


@pytest.mark.parametrize("sent", [None, "", "a" * 200, "bad id with spaces", "x\r\nSet-Cookie: a=b"])
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(client, db, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    first = client.get("/healthz", **headers)["X-Request-ID"]
    second = client.get("/healthz", **headers)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_every_log_line_of_a_request_carries_its_id(client, db, caplog):
    """A line logged anywhere while the request runs (here Django's own "Not Found") has the request's id."""
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    lines = [r for r in caplog.records if r.name == "django.request"]
    assert lines and {r.request_id for r in lines} == {"req-404"}
    assert current_request_id.get() is None  # and the id does not outlive the request


def json_handler(stream) -> logging.Handler:
    """The console handler exactly as the deployed settings declare it (base LOGGING, LOG_FORMAT=json)."""
    from creditportal.settings import base

    config = base.LOGGING
    formatter = config["formatters"]["json"]
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter(formatter["fmt"], rename_fields=formatter["rename_fields"], json_ensure_ascii=False)
    )
    return handler


def test_the_deployed_log_format_is_one_json_object_a_line_with_the_ids():
    stream = io.StringIO()
    logger = logging.getLogger("creditportal.test_request_id")
    handler = json_handler(stream)
    logger.addHandler(handler)
    try:
        with bound_request_id("req-json"):
            logger.warning("文书 %s 正在生成", "琼信用告〔2026〕3号")
        logger.warning("outside a request")
    finally:
        logger.removeHandler(handler)
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["request_id"] == "req-json" and inside["message"] == "文书 琼信用告〔2026〕3号 正在生成"
    assert {"time", "level", "logger", "task_id"} <= inside.keys()
    assert outside["request_id"] == "-"


def test_an_eager_task_logs_under_the_request_that_ran_it(db, caplog):
    with caplog.at_level(logging.INFO, logger="creditportal.tasks"), bound_request_id("req-eager"):
        system_health_task.delay()
    (line,) = [r for r in caplog.records if r.getMessage().startswith("System health checked")]
    assert line.request_id == "req-eager" and line.task_id != "-"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_workers_task_logs_under_the_id_of_the_request_that_queued_it(redis_queue, tmp_path):  # noqa: F811
    """The id travels in the task message's headers through Redis to a real worker, whose JSON log lines for
    that task carry it; a task queued outside any request logs without one."""
    assert django_settings.LOGGING  # the worker runs the dev profile with LOG_FORMAT=json
    worker = start_worker(media_root=tmp_path, extra_env={"LOG_FORMAT": "json"}, loglevel="INFO")
    output = ""
    try:
        with bound_request_id("req-from-the-proxy"):
            queued = system_health_task.delay()
        unrelated = system_health_task.delay()
        deadline = time.monotonic() + 60
        lines: list[dict] = []
        while time.monotonic() < deadline and len(lines) < 2:
            time.sleep(0.5)
            if worker.poll() is not None:
                break
            if not any(redis_queue.llen(q) for q in QUEUES) and redis_queue.hlen("unacked") == 0:
                output = stop(worker)
                lines = [
                    json.loads(line)
                    for line in output.splitlines()
                    if line.startswith("{") and "System health checked" in line
                ]
    finally:
        output = output or stop(worker)
    by_task = {line["task_id"]: line for line in lines}
    assert set(by_task) == {queued.id, unrelated.id}, output[-4000:]
    assert by_task[queued.id]["request_id"] == "req-from-the-proxy"
    assert by_task[unrelated.id]["request_id"] == "-"
    assert by_task[queued.id]["level"] == "INFO" and by_task[queued.id]["logger"] == "creditportal.tasks"
