"""Celery tasks of the exchange app: thin, they load by id and call a service."""

from celery import shared_task


@shared_task(name="exchange.record_import_run", acks_late=True)
def record_import_run_task(job_id: int) -> str:
    """Run or resume a record import (queued after the upload commits, or again by the sweep)."""
    from .services import record_import_run

    return record_import_run(job_id=job_id).status


@shared_task(name="exchange.record_imports_resume")
def record_imports_resume_task() -> int:
    """Celery beat: imports still queued, or whose worker stopped, queued again (taken over by the next run)."""
    from .services import record_imports_resume

    return record_imports_resume()
