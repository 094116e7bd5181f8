"""``/healthz``: what the proxy and monitoring ask — the database, the broker, and work that is stuck.

No login and no case data: counts and ages only. 200 while the database answers (documents still pending
while the broker is down are reported, not fatal: they are rendered when it returns); 503 otherwise.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection
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


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"  # no broker configured: tasks run in-process (quick start)
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1)
        return "ok"
    except Exception:
        return "unreachable"


def health() -> dict:
    now = timezone.now()
    database = _database()
    report: dict = {"database": "ok" if database else "unreachable", "broker": _broker()}
    if database:
        pending = pending_documents(now=now)
        oldest = pending.values_list("issued_at", flat=True).first()
        report["documents_pending"] = pending.count()
        report["documents_stuck"] = pending_documents(older_than=STUCK_AFTER, now=now).count()
        report["oldest_pending_seconds"] = int((now - oldest).total_seconds()) if oldest else 0
    return report


class HealthView(View):
    def get(self, request):
        report = health()
        return JsonResponse(report, status=200 if report["database"] == "ok" else 503)
