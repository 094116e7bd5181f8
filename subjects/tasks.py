"""Celery tasks of the subjects app: thin, they load by id and call a service."""

from celery import shared_task


@shared_task(name="subjects.service_notify", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def service_notify_task(record_id: int) -> bool:
    """Tell a consenting subject of a document served on it on paper (issue 22); retried while the mail server
    does not answer."""
    from .services.notifications import service_notify

    return service_notify(record_id) is not None


@shared_task(name="subjects.deadline_notices")
def deadline_notices_task() -> dict:
    """Celery beat, every morning: remind subjects whose own clock (the statement period) is about to end."""
    from django.utils import timezone

    from .services.notifications import deadline_notices_send

    return deadline_notices_send(today=timezone.localdate())


@shared_task(name="subjects.penalties_sync")
def penalties_sync_task() -> dict:
    """Celery beat, every night after the expiry: the published administrative penalties made to agree with what is
    on display today and with the profile (R-NAT-2, SAMR-45; ``subjects.publication.penalties_sync``). Idempotent."""
    from django.utils import timezone

    from .publication import penalties_sync

    return penalties_sync(today=timezone.localdate())
