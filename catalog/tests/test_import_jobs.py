"""Large imports run in the background (issue 9): a file over PORTAL_IMPORT_BACKGROUND_ROWS rows is stored as
an ImportJob, run by the Celery task after the upload commits (eager in tests), and its page shows the progress
then the report."""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from catalog import jobs, services
from catalog.choices import ImportJobStatus
from catalog.models import ImportJob
from catalog.tests.test_imports import GOOD_1, HEADER

pytestmark = pytest.mark.django_db


def _rows(n: int, bad_row: int | None = None) -> list[str]:
    rows = [GOOD_1.replace("HN-09-001", f"HN-09-{i:04d}") for i in range(1, n + 1)]
    if bad_row:
        rows[bad_row - 1] = rows[bad_row - 1].replace(",3,36,", ",3,90,")  # beyond HN's 60 months (R-DIS-1)
    return rows


def _csv(rows, name="catalog.csv"):
    file = io.BytesIO(("\n".join([HEADER, *rows]) + "\n").encode("utf-8"))
    file.name = name
    return file


@pytest.fixture
def draft(drafter, published):
    return services.catalog_version_create(
        actor=drafter, jurisdiction="HN", title="v2", reason="next", based_on=published[0].version
    )


def _upload(client, draft, rows, *, dry_run: bool, capture):
    data = {"file": _csv(rows), "format": "csv", "reason": "National file"}
    if dry_run:
        data["dry_run"] = "on"
    with capture(execute=True):
        return client.post(reverse("catalog_version_import", args=[draft.pk]), data)


def test_a_400_row_file_becomes_a_job_that_writes_and_reports(
    client, drafter, draft, django_capture_on_commit_callbacks
):
    client.force_login(drafter)
    response = _upload(client, draft, _rows(400), dry_run=False, capture=django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("catalog_import_job", args=[job.pk])
    assert (job.status, job.rows_total, job.rows_done) == (ImportJobStatus.DONE, 400, 400)
    assert draft.items.count() == 401  # the copied item and the 400 imported
    page = client.get(response.url)
    html = page.content.decode()
    assert "400 rows written." in html and reverse("catalog_version_detail", args=[draft.pk]) in html
    assert "Refresh" not in page  # done: the page no longer reloads itself


def test_a_dry_run_job_shows_the_error_by_row_and_column(client, drafter, draft, django_capture_on_commit_callbacks):
    client.force_login(drafter)
    response = _upload(client, draft, _rows(350, bad_row=123), dry_run=True, capture=django_capture_on_commit_callbacks)
    html = client.get(response.url).content.decode()
    assert "1 problem found; nothing was written." in html
    # the column as the page and the file's header name it, its code kept in the title (issue 9: no raw codes)
    assert '<td>123</td><td><span title="display_max_months">display period, maximum (months)</span>' in html
    assert draft.items.count() == 1


def test_a_small_file_stays_on_the_page(client, drafter, draft):
    client.force_login(drafter)
    response = client.post(
        reverse("catalog_version_import", args=[draft.pk]), {"file": _csv(_rows(5)), "format": "csv", "reason": "small"}
    )
    assert response.status_code == 302 and not ImportJob.objects.exists() and draft.items.count() == 6


@override_settings(PORTAL_IMPORT_BACKGROUND_ROWS=10)
def test_progress_advances_per_batch_and_a_queued_job_refreshes(client, drafter, draft):
    """The running page reloads itself; the rows checked are saved once per batch of 500, then the total."""
    job = jobs.import_job_create(
        actor=drafter,
        kind="items",
        target_id=draft.pk,
        jurisdiction="HN",
        file=ContentFile("\n".join([HEADER, *_rows(1200)]).encode(), name="big.csv"),
        fmt="csv",
        dry_run=True,
        reason="big",
        rows_total=1200,
    )
    client.force_login(drafter)
    page = client.get(reverse("catalog_import_job", args=[job.pk]))
    assert page["Refresh"] == "2" and "0 of 1200 rows checked" in page.content.decode()

    jobs.import_job_run(job_id=job.pk)
    seen = list(job.history.order_by("history_date", "history_id").values_list("rows_done", flat=True))
    assert [n for i, n in enumerate(seen) if i == 0 or n != seen[i - 1]] == [0, 500, 1000, 1200]
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert jobs.import_job_run(job_id=job.pk).status == ImportJobStatus.DONE  # queued twice: run once


def test_the_sweep_requeues_a_job_still_queued(drafter, draft):
    """The outbox: a job whose message never reached a worker is queued again and run once."""
    import datetime

    from django.utils import timezone

    job = jobs.import_job_create(
        actor=drafter,
        kind="items",
        target_id=draft.pk,
        jurisdiction="HN",
        file=ContentFile("\n".join([HEADER, *_rows(3)]).encode(), name="lost.csv"),
        fmt="csv",
        dry_run=False,
        reason="lost",
        rows_total=3,
    )
    assert jobs.import_jobs_queue_pending(older_than=datetime.timedelta(minutes=3)) == 0  # too recent
    later = timezone.now() + datetime.timedelta(minutes=5)
    assert jobs.import_jobs_queue_pending(older_than=datetime.timedelta(minutes=3), now=later) == 1
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and draft.items.count() == 4
