"""Thin tasks of the API app: the receipts of signed requests purged after their window (``api.services``)."""

from celery import shared_task

from . import services


@shared_task(name="api.receipts_purge")
def receipts_purge_task() -> dict[str, int]:
    return services.receipts_purge()
