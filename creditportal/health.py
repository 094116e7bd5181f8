"""``/healthz``: what the proxy and monitoring ask — what users meet now. The database, the cache, the broker, the
workers heard from per queue (their heartbeats through the shared cache; with a broker configured), and work that
is stuck.

No login and no case data: counts and ages only. The answer says ``status``: "ok", "degraded" (users are served,
but something they would notice is down: the cache — pages are slower —, the broker — issued documents wait for
their PDF —, or documents stuck; ``degraded`` names which) or "down" (the database does not answer: nothing can be
served). The status code is 200 while users are served, degraded included, and 503 only when they are not: the
load balancer takes a server out on 503, and the cache and the broker are shared by every server, so taking them
all out for a Redis outage would turn a slower portal into no portal (docs/deployment.md "Health").
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views import View

from .documents import pending_documents

#: Pending longer than this, a document is "stuck": the sweep re-queues it every two minutes.
STUCK_AFTER = datetime.timedelta(minutes=5)


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


def _broker_connection():
    """A connection to the broker with the transport's timeouts (settings.CELERY_BROKER_TRANSPORT_OPTIONS): a broker
    that accepts and never answers must not hold /healthz (nor a scrape) until the load balancer gives up."""
    from kombu import Connection

    return Connection(
        settings.CELERY_BROKER_URL, connect_timeout=2, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS
    )


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"  # no broker configured: tasks run in-process (quick start)
    try:
        with _broker_connection() as broker:
            broker.ensure_connection(max_retries=0)
        return "ok"
    except Exception:
        return "unreachable"


def worker_heartbeats(now: float | None = None) -> dict[str, int | None]:
    """Seconds since a worker of each queue last said it was alive (None: no worker heard from lately)."""
    import time

    from django.core.cache import cache

    from .celery import HEARTBEAT_KEY

    now = now or time.time()
    queues = _queue_names()
    seen = cache.get_many([HEARTBEAT_KEY.format(queue=queue) for queue in queues])
    return {
        queue: int(now - seen[key]) if (key := HEARTBEAT_KEY.format(queue=queue)) in seen else None for queue in queues
    }


def _cache() -> str:
    """The shared cache (Redis): "ok" when it answers now, "down" when it does not (pages are still served: they
    read the database, creditportal.cache); "local" for a per-process cache (the quick start, tests)."""
    from django.core.cache import cache

    ping = getattr(cache, "ping", None)  # creditportal.cache.FailSoftRedisCache asks Redis itself
    if ping is None:
        return "local"
    return "ok" if ping() else "down"


def health() -> dict:
    now = timezone.now()
    database = _database()
    report: dict = {
        "status": "ok",
        "database": "ok" if database else "unreachable",
        "cache": _cache(),
        "broker": _broker(),
    }
    if report["broker"] != "eager":
        # Which queues have a live worker: null for a queue no worker consumes (or whose workers are gone); unknown
        # while the cache, which carries their heartbeats, does not answer.
        if report["cache"] == "down":
            report["workers"] = "unknown"
        else:
            try:
                report["workers"] = worker_heartbeats()
            except Exception:
                report["workers"] = "unknown"
    if database:
        pending = pending_documents(now=now)
        oldest = pending.values_list("issued_at", flat=True).first()
        report["documents_pending"] = pending.count()
        report["documents_stuck"] = pending_documents(older_than=STUCK_AFTER, now=now).count()
        report["oldest_pending_seconds"] = int((now - oldest).total_seconds()) if oldest else 0
    degraded = [
        part
        for part, failing in (
            ("cache", report["cache"] == "down"),
            ("broker", report["broker"] == "unreachable"),
            ("documents_stuck", report.get("documents_stuck", 0) > 0),
        )
        if failing
    ]
    if not database:
        report["status"] = "down"
    elif degraded:
        report["status"] = "degraded"
        report["degraded"] = degraded
    return report


class HealthView(View):
    @transaction.non_atomic_requests
    def dispatch(self, request, *args, **kwargs):
        """Outside the request's transaction (ATOMIC_REQUESTS): a database that does not answer must be reported
        (503), not fail the request before the view runs (it answered 500)."""
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        report = health()
        # 200 while users are served (degraded included), 503 only when they are not (the module's docstring).
        return JsonResponse(report, status=503 if report["status"] == "down" else 200)


# Prometheus (issue 12) -------------------------------------------------------------------------------------------
#: The Celery queues a deployment runs (settings.CELERY_TASK_ROUTES sends each kind of task to one of them).
def _queue_names() -> list[str]:
    routes = getattr(settings, "CELERY_TASK_ROUTES", {}) or {}
    names = {"celery"} | {route["queue"] for route in routes.values() if isinstance(route, dict) and "queue" in route}
    return sorted(names)


def queue_lengths() -> dict[str, int] | None:
    """Messages waiting in each Celery queue, asked of the broker now; None when there is no broker or it does
    not answer (``creditportal_broker_up`` says which)."""
    if not settings.CELERY_BROKER_URL:
        return None
    from kombu.exceptions import ChannelError

    lengths: dict[str, int] = {}
    try:
        with _broker_connection() as broker:
            broker.ensure_connection(max_retries=0)
            channel = broker.default_channel
            for name in _queue_names():
                try:
                    lengths[name] = channel.queue_declare(queue=name, passive=True).message_count
                except ChannelError:  # a queue nobody declared yet (Redis: an empty list does not exist)
                    lengths[name] = 0
                    channel = broker.channel()  # AMQP closes the channel on a failed passive declare
    except Exception:
        return None
    return lengths


class PortalCollector:
    """Gauges read at scrape time (nothing is counted in the request path): documents waiting for their PDF,
    the age of the oldest, and the length of each Celery queue."""

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        now = timezone.now()
        pending = pending_documents(now=now)
        oldest = pending.values_list("issued_at", flat=True).first()
        yield GaugeMetricFamily(
            "creditportal_documents_pending", "Issued documents still without their PDF.", value=pending.count()
        )
        yield GaugeMetricFamily(
            "creditportal_documents_stuck",
            "Documents pending longer than five minutes (the sweep re-queues them).",
            value=pending_documents(older_than=STUCK_AFTER, now=now).count(),
        )
        yield GaugeMetricFamily(
            "creditportal_documents_oldest_pending_seconds",
            "Age of the oldest document still without its PDF (0 when none).",
            value=(now - oldest).total_seconds() if oldest else 0,
        )
        lengths = queue_lengths()
        yield GaugeMetricFamily(
            "creditportal_broker_up", "1 when the Celery broker answered this scrape.", value=int(lengths is not None)
        )
        queues = GaugeMetricFamily(
            "creditportal_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        for name, length in (lengths or {}).items():
            queues.add_metric([name], length)
        yield queues


def metrics_allowed(request) -> bool:
    """/metrics answers the monitoring only: from an address in ``PORTAL_METRICS_ALLOWED_IPS`` (default the
    machine itself), and with ``Authorization: Bearer <PORTAL_METRICS_TOKEN>`` when a token is set. Behind a
    proxy on the same machine every request comes from 127.0.0.1: the proxy refuses /metrics from outside
    (deploy/nginx.conf), and a token closes it for good."""
    import hmac

    if request.META.get("REMOTE_ADDR") not in settings.PORTAL_METRICS_ALLOWED_IPS:
        return False
    token = settings.PORTAL_METRICS_TOKEN
    if token:
        return hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}")
    return True


class MetricsView(View):
    """Prometheus' text format: django-prometheus' request latency, counts and database metrics (from every
    gunicorn worker when ``PROMETHEUS_MULTIPROC_DIR`` is set), then the portal's gauges. Anyone else gets a 404:
    the endpoint is not there for them."""

    def get(self, request):
        import os

        import prometheus_client
        from django.http import Http404, HttpResponse
        from prometheus_client import multiprocess

        if not metrics_allowed(request):
            raise Http404
        if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
            registry = prometheus_client.CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        else:
            registry = prometheus_client.REGISTRY
        portal = prometheus_client.CollectorRegistry(auto_describe=False)
        portal.register(PortalCollector())
        body = prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(portal)
        return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
