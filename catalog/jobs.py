"""Large imports run in the background (issue 9): the upload is stored with an ``ImportJob`` row, which is the
outbox — a Celery task is queued after the upload commits, and a sweep queues again any job still waiting a few
minutes later (a broker that was down, a message lost), as ``creditportal.documents.dispatch_render`` does for
documents. The job runs the same import service the page runs, reporting its progress per batch."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditportal.audit import tracked_save

from . import imports, workflow
from .choices import ImportJobStatus, ImportKind
from .models import CatalogVersion, ImportJob, MeasureList

logger = logging.getLogger(__name__)


def import_job_create(
    *,
    actor,
    kind: str,
    target_id: int | None,
    jurisdiction: str,
    file,
    fmt: str | None,
    dry_run: bool,
    reason: str,
    rows_total: int,
) -> ImportJob:
    """Store the upload and queue its import once this transaction commits."""
    job = ImportJob(
        kind=kind,
        target_id=target_id,
        jurisdiction=jurisdiction,
        file=file,
        format=fmt or "",
        dry_run=dry_run,
        reason=reason,
        rows_total=rows_total,
        created_by=actor,
    )
    tracked_save(job, actor=actor, reason=reason)
    transaction.on_commit(lambda: dispatch_import(job.pk))
    return job


def dispatch_import(job_id: int) -> bool:
    """Queue one job; never fails the caller (the sweep re-queues what did not go out)."""
    from creditportal.celery import publish_at_once

    from .tasks import import_run_task

    try:
        publish_at_once(import_run_task, args=[job_id])  # the upload never waits on the broker (issue 16)
    except Exception:  # the broker is unreachable: the job stays queued, the sweep re-queues it
        logger.warning("Import job %s could not be queued; the sweep will retry", job_id, exc_info=True)
        return False
    return True


def import_jobs_queue_pending(*, older_than: datetime.timedelta, now=None, limit: int = 100) -> int:
    """The sweep Celery beat runs: queue again every job still queued ``older_than`` after its upload.
    Running a job is idempotent (a job that has started is never started again)."""
    now = now or timezone.now()
    pending = ImportJob.objects.filter(status=ImportJobStatus.QUEUED, created_at__lte=now - older_than)
    return sum(dispatch_import(pk) for pk in pending.order_by("created_at").values_list("pk", flat=True)[:limit])


def _move(job: ImportJob, act: str, reason: str) -> None:
    workflow.IMPORT_JOB.apply(job, act, actor=job.created_by)  # the job moves on its uploader's behalf
    tracked_save(job, actor=job.created_by, reason=reason, validate=False)


def import_job_run(*, job_id: int, now=None) -> ImportJob:
    """Run a queued job once: its rows checked are saved per batch (the page's progress bar), then its report."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("created_by").get(pk=job_id)
        if job.status != ImportJobStatus.QUEUED:
            return job  # queued twice (the sweep and the first message): run once
        _move(job, "start", _("Import started"))

    def progress(done: int) -> None:
        job.rows_done = done
        tracked_save(
            job,
            actor=job.created_by,
            reason=_("Import progress"),
            validate=False,
            update_fields=["rows_done", "updated_at"],
        )

    try:
        with job.file.open("rb") as file:
            report = _run(job, file, progress)
    except (ValidationError, PermissionDenied) as error:  # the file or the target refused as a whole
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        job.report = imports.ImportReport(
            dry_run=job.dry_run, errors=[imports.RowError(0, "", message) for message in messages]
        ).as_json()
        job.finished_at = now or timezone.now()
        _move(job, "fail", _("Import refused"))
        return job
    except Exception:
        logger.exception("Import job %s failed", job_id)
        job.report = imports.ImportReport(
            dry_run=job.dry_run,
            errors=[
                imports.RowError(0, "", _("The import stopped on an unexpected error. Nothing was written; try again."))
            ],
        ).as_json()
        job.finished_at = now or timezone.now()
        _move(job, "fail", _("Import failed"))
        return job
    job.report, job.rows_done, job.finished_at = report.as_json(), report.rows, now or timezone.now()
    _move(job, "finish", _("Import finished"))
    return job


def _run(job: ImportJob, file, progress) -> imports.ImportReport:
    common = {
        "actor": job.created_by,
        "file": file,
        "fmt": job.format or None,
        "dry_run": job.dry_run,
        "reason": job.reason,
        "progress": progress,
    }
    if job.kind == ImportKind.STANDARDS:
        return imports.import_standards(jurisdiction=job.jurisdiction or settings.CREDIT_JURISDICTION, **common)
    assert job.target_id is not None  # noqa: S101 — an items or measures import names its version or list
    if job.kind == ImportKind.ITEMS:
        return imports.import_catalog_items(version=CatalogVersion.objects.get(pk=job.target_id), **common)
    return imports.import_measures(measure_list=MeasureList.objects.get(pk=job.target_id), **common)
