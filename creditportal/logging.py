"""Request ids on every log line, from the proxy through the application into the Celery tasks it queues.

- ``creditportal.middleware.RequestIdMiddleware`` gives each request an id: the proxy's ``X-Request-ID`` when it sent a sensible one
  (nginx: ``proxy_set_header X-Request-ID $request_id``, ``deploy/nginx.conf``), else a new one. The response
  carries it back in ``X-Request-ID``, so a user's report or the proxy's access log leads to the lines.
- The id lives in a context variable for the request's duration; a log record factory puts it on every record
  (``record.request_id``, ``-`` outside a request), whichever logger or handler, so the JSON formatter of
  ``settings.LOGGING`` writes it on every line.
- A task queued during the request carries the id in its message headers (``before_task_publish``); the worker
  sets it again around the task (``task_prerun``/``task_postrun``), so the task's lines carry the id of the
  request that queued it, and the task's id too (``record.task_id``).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import uuid
from collections.abc import Iterator

REQUEST_ID_HEADER = "X-Request-ID"
#: What we accept from the proxy: printable, short, no separators that could forge a log line or a header.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
current_task_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str:
    """The proxy's id when it is a sensible one, else a new id."""
    if value and _VALID_ID.match(value):
        return value
    return new_request_id()


@contextlib.contextmanager
def bound_request_id(request_id: str | None) -> Iterator[None]:
    """Log (and queue tasks) under ``request_id`` inside the block."""
    token = current_request_id.set(request_id)
    try:
        yield
    finally:
        current_request_id.reset(token)


_base_factory = logging.getLogRecordFactory()


def _record_factory(*args, **kwargs) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    record.request_id = current_request_id.get() or "-"
    record.task_id = current_task_id.get() or "-"
    return record


def install_record_factory() -> None:
    """Every log record gets ``request_id`` and ``task_id`` (idempotent)."""
    if logging.getLogRecordFactory() is not _record_factory:
        logging.setLogRecordFactory(_record_factory)


install_record_factory()


class RequestIdFilter(logging.Filter):
    """For handlers: a record made before the factory was installed still has the two fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get() or "-"
        if not hasattr(record, "task_id"):
            record.task_id = current_task_id.get() or "-"
        return True


# Celery: the id travels in the task message's headers and is set again around the task in the worker.
def _publish_request_id(headers=None, **_kwargs) -> None:
    request_id = current_request_id.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


_task_tokens: dict[str, tuple[contextvars.Token, contextvars.Token]] = {}


def _task_started(task_id=None, task=None, **_kwargs) -> None:
    request_id = getattr(task.request, "request_id", None) if task is not None else None
    # An eager task runs inside the request: it keeps the request's id when the message carries none.
    tokens = (current_request_id.set(request_id or current_request_id.get()), current_task_id.set(task_id))
    if task_id:
        _task_tokens[task_id] = tokens


def _task_finished(task_id=None, **_kwargs) -> None:
    tokens = _task_tokens.pop(task_id, None) if task_id else None
    if tokens:
        with contextlib.suppress(ValueError):  # reset from another context (should not happen)
            current_task_id.reset(tokens[1])
            current_request_id.reset(tokens[0])


# Django: the id is bound from the moment the request starts until its response is closed, so the lines Django
# itself writes outside the middleware chain ("Not Found: …", "Internal Server Error: …") carry it too.
def _request_started(sender=None, environ=None, scope=None, **_kwargs) -> None:
    header = None
    if environ is not None:
        header = environ.get("HTTP_X_REQUEST_ID")
    elif scope is not None:
        header = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1") or None
    current_request_id.set(accepted_request_id(header))


def _request_finished(sender=None, **_kwargs) -> None:
    current_request_id.set(None)


def connect_signals() -> None:
    """Bind the id around each request (Django's request signals) and carry it through Celery's messages."""
    from celery import signals
    from django.core.signals import request_finished, request_started

    request_started.connect(_request_started, weak=False, dispatch_uid="creditportal.request_id")
    request_finished.connect(_request_finished, weak=False, dispatch_uid="creditportal.request_id")

    signals.before_task_publish.connect(_publish_request_id, weak=False, dispatch_uid="creditportal.request_id")
    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="creditportal.request_id")
    signals.task_postrun.connect(_task_finished, weak=False, dispatch_uid="creditportal.request_id")
