"""Batch imports of credit records (issue 23): the upload stored as a job, run by a Celery worker in batches.

The job row is the outbox and the resume point (``exchange.models.RecordImport``). A run:
1. claims the job (queued, or running with a heartbeat older than ``EXCHANGE_IMPORT_LEASE_SECONDS``: its worker
   died) and reads the file from the start, skipping the rows already committed (``rows_done``);
2. per batch of ``EXCHANGE_IMPORT_BATCH`` rows, in one transaction: locks the job row, checks it is still the
   one at that position (another worker that took over would have moved it), runs the batch
   (``exchange.records.process_batch``), writes its refused rows, and advances the job — so a batch either
   commits whole with its progress, or not at all, and is never applied twice;
3. finishes the job with its totals and one timeline event.
"""

from __future__ import annotations

import datetime
import logging
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.choices import StandardStatus
from creditportal.audit import record_event, tracked_save
from creditportal.permissions import department_ids_for

from . import defaulters, records
from .choices import ImportKind, ImportStatus
from .models import RecordImport, RecordImportError
from .reader import FileRefused, columns_of, detect_format, read_rows
from .workflow import RECORD_IMPORT

logger = logging.getLogger(__name__)


def record_import_create(
    *,
    actor,
    department,
    file,
    reason: str,
    kind: str = ImportKind.RECORDS,
    standard=None,
    listing_months: int | None = None,
    now=None,
) -> RecordImport:
    """Store the upload and queue its import once this transaction commits. The actor must be able to enter
    records for ``department`` (and, for a Judgment Defaulters List, draft designations there, on a published
    standard: R-DES-8, R-CAT-6); the file's format is read from its content."""
    if department.pk not in department_ids_for(actor, "subjects.add_creditrecord"):
        raise PermissionDenied(_("You cannot enter credit records for this department."))
    if kind == ImportKind.DEFAULTERS:
        if department.pk not in department_ids_for(actor, "designations.add_designation"):
            raise PermissionDenied(_("You cannot draft designations for this department."))
        if standard is None or standard.status != StandardStatus.PUBLISHED:
            raise ValidationError({"standard": _("Choose a published designation standard (R-CAT-6).")})
        if not listing_months or listing_months < 1:
            raise ValidationError({"listing_months": _("Propose a listing period of at least one month.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the file is imported.")})
    size = getattr(file, "size", None) or 0
    if size > settings.EXCHANGE_IMPORT_MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": settings.EXCHANGE_IMPORT_MAX_BYTES >> 20}}
        )
    head = file.read(8)
    file.seek(0)
    name = os.path.basename(getattr(file, "name", "") or "")
    try:
        fmt = detect_format(name, head)
    except FileRefused as error:
        raise ValidationError({"file": str(error)}) from None
    job = RecordImport(
        department=department,
        kind=kind,
        standard=standard if kind == ImportKind.DEFAULTERS else None,
        listing_months=listing_months if kind == ImportKind.DEFAULTERS else None,
        file=file,
        file_name=name[:255],
        format=fmt,
        reason=reason,
        bytes_total=size,
        created_by=actor,
    )
    tracked_save(job, actor=actor, reason=reason)
    record_event(action="exchange.import.queued", actor=actor, target=job, reason=reason, at=now)
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id: int) -> bool:
    """Queue one job; never fails the caller (the sweep re-queues what did not go out)."""
    from creditportal.celery import publish_at_once

    from .tasks import record_import_run_task

    try:
        publish_at_once(record_import_run_task, args=[job_id])
    except Exception:  # the broker is unreachable: the job stays queued, the sweep re-queues it
        logger.warning("Record import %s could not be queued; the sweep will retry", job_id, exc_info=True)
        return False
    return True


def _stale_before(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=settings.EXCHANGE_IMPORT_LEASE_SECONDS)


def record_imports_resume(*, now=None, limit: int = 50) -> int:
    """The sweep Celery beat runs: queue again every job still queued a minute after its upload, and every job
    running whose worker stopped reporting (a worker killed mid-file): the next run takes it over."""
    now = now or timezone.now()
    from django.db.models import Q

    waiting = RecordImport.objects.filter(
        Q(status=ImportStatus.QUEUED, created_at__lte=now - datetime.timedelta(minutes=1))
        | Q(status=ImportStatus.RUNNING, heartbeat_at__lt=_stale_before(now))
    )
    return sum(dispatch(pk) for pk in waiting.order_by("pk").values_list("pk", flat=True)[:limit])


def _claim(job_id: int, now: datetime.datetime) -> RecordImport | None:
    """The job, moved to running by this worker, or None when another worker holds it (its heartbeat is fresh) or
    it is over."""
    with transaction.atomic():
        job = (
            RecordImport.objects.select_for_update(of=("self",))
            .select_related("created_by", "department", "standard")
            .get(pk=job_id)
        )
        if job.status == ImportStatus.RUNNING and job.heartbeat_at and job.heartbeat_at >= _stale_before(now):
            return None
        if job.status not in RECORD_IMPORT.sources_of("start"):
            return None
        taken_over = job.status == ImportStatus.RUNNING
        RECORD_IMPORT.apply(job, "start", actor=job.created_by)
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        tracked_save(
            job,
            actor=job.created_by,
            reason=_("Import taken over from a stopped worker") if taken_over else _("Import started"),
            validate=False,
        )
        return job


def record_import_run(*, job_id: int, now=None) -> RecordImport:
    """Run (or resume) one job to its end. Safe to call twice at once: the second returns at once."""
    now = now or timezone.now()
    job = _claim(job_id, now)
    if job is None:
        return RecordImport.objects.get(pk=job_id)
    # The error report is written once, in the deployment's language (the pages' and the documents'), whoever reads it.
    with translation.override(settings.LANGUAGE_CODE):
        return _run(job, now)


def _run(job: RecordImport, now: datetime.datetime) -> RecordImport:
    job_id = job.pk
    ctx = records.Context(actor=job.created_by, department=job.department, now=now)
    try:
        refusal = ctx.refusal() or (records.department_reachable_refusal(ctx) if records.needs_reachable(ctx) else None)
        if refusal:
            raise FileRefused(refusal)
        done = job.rows_done
        batch: list[tuple[int, dict[str, str]]] = []
        position = 0
        with job.file.open("rb") as file:
            rows = read_rows(file, job.format, columns_of(job.kind))
            for index, (number, values, read) in enumerate(rows, start=1):
                if index <= done:
                    continue  # committed by an earlier run
                batch.append((number, values))
                position = read
                if len(batch) >= settings.EXCHANGE_IMPORT_BATCH:
                    job = _commit_batch(job, batch, ctx, start=index - len(batch), bytes_done=position)
                    batch = []
            if batch:
                job = _commit_batch(job, batch, ctx, start=job.rows_done, bytes_done=job.bytes_total)
    except _Overtaken:
        return RecordImport.objects.get(pk=job_id)
    except (FileRefused, PermissionDenied) as error:
        return _end(job, "fail", failure=str(error), reason=_("Import refused"))
    except Exception:
        logger.exception("Record import %s failed", job_id)
        return _end(
            job,
            "fail",
            failure=_(
                "The import stopped on an unexpected error. The rows before it are imported. Upload the file again: "
                "the rows already imported are recognised by their keys and not imported twice."
            ),
            reason=_("Import failed"),
        )
    return _end(job, "finish", failure="", reason=_("Import finished"))


class _Overtaken(Exception):
    """Another worker moved the job on (it took it over while this one was thought dead): this one stops."""


def _commit_batch(job: RecordImport, batch, ctx: records.Context, *, start: int, bytes_done: int) -> RecordImport:
    with transaction.atomic():
        locked = RecordImport.objects.select_for_update().get(pk=job.pk)
        if locked.rows_done != start or locked.status != ImportStatus.RUNNING:
            raise _Overtaken
        refusal = ctx.refusal()  # the actor's role, checked again at every batch
        if refusal:
            raise PermissionDenied(refusal)
        if connection.vendor == "postgresql":  # two imports into one department write one batch at a time
            with connection.cursor() as cursor:  # (the quick start's SQLite writes one transaction at a time anyway)
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7_230_023, job.department_id])
        if locked.kind == ImportKind.DEFAULTERS:
            result = defaulters.process_batch(batch, ctx, job=job)
        else:
            result = records.process_batch(batch, ctx)
        RecordImportError.objects.bulk_create(
            [
                RecordImportError(job=locked, row=number, column=column, message=message[:2000])
                for number, column, message in result.errors
            ]
        )
        refused_rows = len({number for number, _c, _m in result.errors})
        locked.rows_done = start + len(batch)
        locked.bytes_done = max(bytes_done, locked.bytes_done)
        locked.rows_written += len(result.written) + result.drafted
        locked.rows_unchanged += result.unchanged
        locked.rows_refused += refused_rows
        locked.subjects_created += result.subjects_created
        locked.heartbeat_at = timezone.now()
        tracked_save(locked, actor=job.created_by, reason=_("Import progress"), validate=False)
    locked.created_by, locked.department, locked.standard = job.created_by, job.department, job.standard
    return locked


def _end(job: RecordImport, act: str, *, failure: str, reason: str) -> RecordImport:
    with transaction.atomic():
        locked = RecordImport.objects.select_for_update().select_related("created_by").get(pk=job.pk)
        if locked.status != ImportStatus.RUNNING:
            return locked
        RECORD_IMPORT.apply(locked, act, actor=locked.created_by)
        locked.failure = failure
        locked.finished_at = timezone.now()
        if act == "finish":
            locked.bytes_done = locked.bytes_total
        tracked_save(locked, actor=locked.created_by, reason=reason, validate=False)
        record_event(
            action="exchange.import.finished" if act == "finish" else "exchange.import.failed",
            actor=locked.created_by,
            target=locked,
            reason=locked.reason,
            data={
                "rows": locked.rows_done,
                "written": locked.rows_written,
                "unchanged": locked.rows_unchanged,
                "refused": locked.rows_refused,
                "subjects_created": locked.subjects_created,
            },
        )
    return locked
