"""Celery tasks of the cross-cutting code: thin, they load by id and call a service or selector."""

import logging
import socket

from celery import shared_task
from django.db import connection

from .models import Department

logger = logging.getLogger(__name__)


@shared_task(name="creditportal.system_health")
def system_health_task() -> dict:
    """Answer from a worker: its host, whether it reaches the database, and how many departments it sees.

    Operators run ``celery -A creditportal call creditportal.system_health`` to check a worker end to end
    (broker → worker → PostgreSQL → result).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        database_ok = cursor.fetchone()[0] == 1
    answer = {"worker": socket.gethostname(), "database": database_ok, "departments": Department.objects.count()}
    logger.info("System health checked: %s", answer)
    return answer


@shared_task(name="creditportal.deadline_sweep")
def deadline_sweep_task() -> dict:
    """Celery beat: run out the clocks that expired (designations' statement periods, …)."""
    from django.utils import timezone

    from .deadlines import deadline_sweep

    return deadline_sweep(today=timezone.localdate())


@shared_task(
    name="creditportal.document_render",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def document_render_task(document_id: int) -> str:
    """Render an issued document's PDF (queued after the issuing transaction commits, or again by the sweep).

    Idempotent: a document already rendered is returned as it is; acknowledged only once done (``acks_late``),
    so a worker killed mid-render leaves the message to another worker.
    """
    from .documents import document_render
    from .models import IssuedDocument

    logger.info("Rendering document %s", document_id)
    return document_render(document=IssuedDocument.objects.get(pk=document_id)).sha256


@shared_task(name="creditportal.documents_render_pending")
def documents_render_pending_task(minutes: int = 2) -> int:
    """Celery beat: queue again the documents still without a PDF a few minutes after they were issued."""
    import datetime

    from .documents import documents_render_pending

    return documents_render_pending(older_than=datetime.timedelta(minutes=minutes))


@shared_task(name="creditportal.ledger_seal")
def ledger_seal_task() -> int:
    """Celery beat, every minute: chain the audit ledger's new entries (creditportal.ledger)."""
    from . import ledger

    return ledger.seal_all()


@shared_task(name="creditportal.ledger_anchor")
def ledger_anchor_task() -> str:
    """Celery beat, daily: the audit ledger's head, signed, to a file outside the database (creditportal.ledger)."""
    from . import ledger

    path = ledger.anchor()
    return str(path) if path else ""


@shared_task(name="creditportal.access_purge")
def access_purge_task() -> dict | None:
    """Celery beat, daily (R-SEC-3): the access log's entries past the profile's keeping period go, leaving a signed
    count (creditportal.access)."""
    from . import access

    return access.purge_expired()
