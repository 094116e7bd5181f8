"""Celery tasks of the catalog app: thin, they load by id and call a service."""

import datetime

from celery import shared_task


@shared_task(name="catalog.import_run", acks_late=True)
def import_run_task(job_id: int) -> str:
    """Run a background import (queued after the upload commits, or again by the sweep); runs a job once."""
    from .jobs import import_job_run

    return import_job_run(job_id=job_id).status


@shared_task(name="catalog.import_jobs_queue_pending")
def import_jobs_queue_pending_task(minutes: int = 3) -> int:
    """Celery beat: queue again the import jobs still waiting a few minutes after their upload."""
    from .jobs import import_jobs_queue_pending

    return import_jobs_queue_pending(older_than=datetime.timedelta(minutes=minutes))
