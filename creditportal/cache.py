"""The shared cache (Redis) is optional at runtime (issue 16): when it does not answer, pages are served all the same.

Everything the portal caches can be computed again — the jurisdiction profile and the working-day calendar from
their tables, the dashboard counts from theirs — so a cache that fails is a cache that misses: a read answers "not
cached" and the caller falls back to the database, a write is dropped. Django's own ``RedisCache`` raises instead,
and with the production default (the cache on the broker's Redis) one Redis stopped answered every page with a
500, as every page reads the profile.

Why not django-redis' ``IGNORE_EXCEPTIONS``: it tries Redis again on every call and logs every failure, so an
outage costs a connection attempt (up to its connect timeout when the host is unreachable) per cache call, several
per page, and a log line for each. Here, once a call has failed, this process leaves Redis alone for
``RETRY_AFTER`` seconds (30 by default; a key of the cache in ``CACHES``) and pages go straight to the database; the
outage is logged once when it starts and once when Redis answers again, not per call. ``/healthz`` asks Redis
itself (``ping``), whatever this process believes, and says "down" while it does not answer.

What is lost while the cache is down: speed (every page reads the profile and the calendar from PostgreSQL), the
workers' heartbeats (/healthz says their queues are "unknown"), and the deletes that follow an edit of the profile
or the calendar: should Redis come back with its data, an edited value may be read stale until its entry expires
(a minute for the profile, five for the calendar).
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: What a failing Redis raises: redis-py's own errors (connection refused or reset, timeouts, a server that is
#: loading or out of memory), and the socket's should any come through unwrapped.
FAILURES = (RedisError, OSError)

#: Per process and per Redis location: since when it has been failing, and until when it is left alone. Shared by
#: the cache objects of every thread (Django makes one per thread) so that one outage is noticed once.
_failing_since: dict[str, float] = {}
_resting_until: dict[str, float] = {}
_state_lock = threading.Lock()


class FailSoftRedisCache(RedisCache):
    """Django's ``RedisCache`` whose failures are misses: a read answers its default, a write is dropped."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self.retry_after = float(params.get("RETRY_AFTER", 30))

    # The breaker -------------------------------------------------------------------------------------------------
    def _resting(self) -> bool:
        until = _resting_until.get(self._location)
        return until is not None and time.monotonic() < until

    def _failed(self, error: BaseException) -> None:
        with _state_lock:
            first = self._location not in _failing_since
            if first:
                _failing_since[self._location] = time.monotonic()
            _resting_until[self._location] = time.monotonic() + self.retry_after
        if first:
            logger.warning(
                "The cache (%s) does not answer: pages read from the database until it does; asked again every "
                "%.0f s (%s: %s)",
                self._location,
                self.retry_after,
                type(error).__name__,
                error,
            )

    def _answered(self) -> None:
        if self._location not in _failing_since:  # the usual case: one dictionary look-up per call
            return
        with _state_lock:
            since = _failing_since.pop(self._location, None)
            _resting_until.pop(self._location, None)
        if since is not None:
            logger.warning(
                "The cache (%s) answers again after %.0f s without it", self._location, time.monotonic() - since
            )

    def _call(self, fallback, method, *args, **kwargs):
        if self._resting():
            return fallback
        try:
            result = method(*args, **kwargs)
        except FAILURES as error:
            self._failed(error)
            return fallback
        self._answered()
        return result

    def ping(self) -> bool:
        """Ask Redis now, even while this process leaves it alone: True when it answers (/healthz)."""
        try:
            answered = bool(self._cache.get_client(write=True).ping())
        except FAILURES as error:
            self._failed(error)
            return False
        self._answered()
        return answered

    # The cache API (django.core.cache.backends.base.BaseCache): each method's answer when Redis does not -------
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        """A counter cannot be made up: while Redis does not answer, ``incr`` says what it says of a missing key."""
        missing = object()
        value = self._call(missing, super().incr, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache does not answer)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(None, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, super().clear)
