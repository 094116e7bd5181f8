"""Celery tasks of the restoration app: thin, they call a service."""

from celery import shared_task


@shared_task(name="restoration.records_expire")
def records_expire_task(batch_size: int = 5000) -> dict:
    """Celery beat, once a day in the early morning: archive every record whose disclosure period ended before
    today (R-DIS-3; ``subjects.disclosure.records_expire``). Idempotent and resumable: run it again at any time."""
    from django.utils import timezone

    from subjects.disclosure import records_expire

    return records_expire(today=timezone.localdate(), batch_size=batch_size).as_dict()
