"""A real Celery worker killed with SIGKILL in the middle of rendering a document (issue 12): afterwards the
document is rendered exactly once — one PDF, its SHA-256 stable, one "PDF rendered" entry in its history.

How the kill lands mid-render, honestly: nothing of ours is mocked or slowed. The test watches PostgreSQL for
the worker's connection sitting inside the rendering transaction (``document_render`` holds the document's row
lock, ``SELECT … FOR UPDATE``, while WeasyPrint sets the PDF, which takes a second or more) and sends SIGKILL
the moment it sees it; it then checks that the document still has no SHA-256, so the kill did land before the
render committed. Two kinds of death are covered: the whole worker (a machine or container gone: a new worker
starts, the outbox sweep and the broker's visibility timeout both hand the message out again) and the pool
process rendering the document (the kernel's OOM killer: the parent worker sees it lost and, with
``task_reject_on_worker_lost``, puts the message back at once).

The broker's visibility timeout is an hour in production; the test does not wait an hour: it asks Redis to
hand back the unacknowledged messages now (kombu's own ``restore_visible`` with a timeout of 0), which is what
the broker does when the timeout has passed.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.core.files.base import ContentFile
from django.db import connection
from kombu import Connection, pools
from pypdf import PdfReader

from creditportal.celery import app
from creditportal.choices import Role
from creditportal.documents import documents_render_pending
from creditportal.models import IssuedDocument
from creditportal.tests.factories import DepartmentFactory, user_with_role
from designations import services
from tests.test_broker_faults import _draft
from tests.test_celery_integration import BROKER

ROOT = Path(__file__).resolve().parent.parent
QUEUES = ("celery", "documents", "imports", "sweeps", "mail")
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def start_worker(
    *, media_root: Path, pool: str = "solo", queues: str | None = None, extra_env=None, loglevel: str = "WARNING"
):
    """A real ``celery worker`` process on the test database and the real Redis broker."""
    try:
        redis.Redis.from_url(BROKER).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"Redis does not answer at {BROKER} ({error}); start it (.ci/run does).")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "creditportal.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "SECRET_KEY": "integration-test-only",
        "MEDIA_ROOT": str(media_root),
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "creditportal", "worker", f"--pool={pool}", "--concurrency=1"]
    command += [f"--loglevel={loglevel}", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if queues:
        command += ["--queues", queues]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def child_processes(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc: no dependency on procps)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def stop(process: subprocess.Popen) -> str:
    """Stop a subprocess (SIGTERM, then SIGKILL) and return what it printed."""
    if process.poll() is None:
        process.terminate()
    try:
        return process.communicate(timeout=20)[0] or ""
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate(timeout=10)[0] or ""


def rendering_backend(document_id: int, timeout: float = 90) -> int:
    """The PostgreSQL backend of a worker that holds the document's row lock inside the rendering transaction."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.relation = 'creditportal_issueddocument'::regclass AND l.mode = 'RowShareLock' "
                "AND l.granted AND l.pid <> pg_backend_pid() AND a.datname = current_database()"
            )
            row = cursor.fetchone()
            if row:
                return row[0]
            time.sleep(0.02)
    raise AssertionError(f"No worker started rendering document {document_id} within {timeout:.0f} s")


def wait_gone(pid: int, timeout: float = 30) -> None:
    """PostgreSQL notices the dead worker's socket closed and rolls its transaction back."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)
    raise AssertionError(f"backend {pid} of the killed worker is still there after {timeout:.0f} s")


def wait_rendered(document: IssuedDocument, worker: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.sha256:
            return
        if worker.poll() is not None:
            break
        time.sleep(0.3)
    pytest.fail(f"document {document.pk} was not rendered within {timeout:.0f} s:\n{stop(worker)[-4000:]}")


def wait_queue_drained(timeout: float = 60) -> None:
    """Every message delivered and acknowledged (none waiting in the queue, none unacknowledged)."""
    client = redis.Redis.from_url(BROKER)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(client.llen(queue) for queue in QUEUES) and client.hlen("unacked") == 0:
            return
        time.sleep(0.3)
    raise AssertionError("messages still waiting or unacknowledged in Redis")


def restore_unacknowledged() -> int:
    """What Redis does once the visibility timeout has passed: hand the unacknowledged messages out again."""
    client = redis.Redis.from_url(BROKER)
    count = client.hlen("unacked")
    with Connection(BROKER, transport_options={"visibility_timeout": 0}) as conn:
        conn.default_channel.qos.restore_visible(num=100)
    return count


def issue_notice(department, caseworker):
    designation = _draft(department, caseworker)
    services.designation_issue_notice(designation=designation, actor=caseworker, reason="Notice", statement_period_wd=5)
    return IssuedDocument.objects.get(kind="notice")


def assert_rendered_once(document: IssuedDocument, media_root: Path) -> None:
    document.refresh_from_db()
    pdfs = sorted(media_root.rglob("*.pdf"))
    assert [p.name for p in pdfs] == [Path(document.file.name).name], pdfs  # one PDF, the one the row names
    content = pdfs[0].read_bytes()
    assert hashlib.sha256(content).hexdigest() == document.sha256  # its SHA-256 verifies
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert document.number in text
    # one rendering in the document's history: the row went from "no PDF" to its SHA-256 once, never again
    renders = document.history.exclude(sha256="")
    assert renders.count() == 1, list(renders.values_list("history_date", "history_change_reason", "sha256"))
    assert renders.get().sha256 == document.sha256


@pytest.fixture
def media_root(tmp_path):
    return tmp_path / "media"


def _reset_producers() -> None:
    """Forget the app's broker connections, and kombu's process-wide pools too: a pool closed by one test stays
    in kombu's registry and would refuse the next test's messages ("Acquire on closed pool")."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()
    # Tasks (shared_task proxies) go through the current app: another test's Celery() may have become current.
    app.set_current()
    app.set_default()


@pytest.fixture
def redis_queue(settings):
    """Tasks go through the real Redis broker (tests otherwise run them eagerly); the queue starts empty."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "result_backend")}
    settings.CELERY_BROKER_URL = BROKER
    app.conf.update(broker_url=BROKER, task_always_eager=False, result_backend=None)
    _reset_producers()
    client = redis.Redis.from_url(BROKER)
    client.delete(*QUEUES, "unacked", "unacked_index")
    yield client
    client.delete(*QUEUES, "unacked", "unacked_index")
    app.conf.update(**saved)
    _reset_producers()


def test_a_worker_killed_mid_render_leaves_the_document_rendered_exactly_once(redis_queue, media_root):
    """The whole worker dies with SIGKILL while it renders: a new worker renders the document once, though
    the message comes back twice (the outbox sweep re-queues it and the broker hands the unacknowledged one out
    again)."""
    department = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局")
    caseworker = user_with_role(Role.CASEWORKER, department, username="caseworker_a")
    first = start_worker(media_root=media_root)
    second = None
    try:
        notice = issue_notice(department, caseworker)
        backend = rendering_backend(notice.pk)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        wait_gone(backend)
        notice.refresh_from_db()
        assert not notice.sha256, "the kill came too late: the render had committed"
        assert redis_queue.hlen("unacked") == 1  # the message was never acknowledged (acks_late)

        second = start_worker(media_root=media_root)
        assert documents_render_pending(older_than=datetime.timedelta(0)) == 1  # the sweep
        assert restore_unacknowledged() == 1  # the visibility timeout passes
        wait_rendered(notice, second)
        wait_queue_drained()
        time.sleep(1)  # the second message, consumed, finds the document rendered and leaves it alone
        assert_rendered_once(notice, media_root)
    finally:
        stop(first)
        if second is not None:
            stop(second)


def test_a_pool_process_killed_mid_render_is_replaced_and_the_document_rendered_once(redis_queue, media_root):
    """The pool process rendering the document dies with SIGKILL (the OOM killer's way): its parent worker
    sees it lost, puts the message back (``task_reject_on_worker_lost`` with ``acks_late``), and a fresh pool
    process renders the document once."""
    department = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局")
    caseworker = user_with_role(Role.CASEWORKER, department, username="caseworker_a")
    worker = start_worker(media_root=media_root, pool="prefork")
    try:
        notice = issue_notice(department, caseworker)
        backend = rendering_backend(notice.pk)
        children = child_processes(worker.pid)
        assert len(children) == 1, children
        os.kill(children[0], signal.SIGKILL)
        wait_gone(backend)
        notice.refresh_from_db()
        assert not notice.sha256, "the kill came too late: the render had committed"
        wait_rendered(notice, worker)
        wait_queue_drained()
        assert worker.poll() is None  # the worker itself lived on
        assert_rendered_once(notice, media_root)
    finally:
        stop(worker)


def test_healthz_hears_each_queues_workers_and_notices_when_they_are_gone(redis_queue, media_root, settings, client):
    """A worker beats for each queue it consumes, through the shared cache (Redis); /healthz shows the age of the
    last beat per queue, and null for a queue whose workers are gone or that none consumes."""
    from django.core.cache import cache

    cache_url = BROKER.rsplit("/", 1)[0] + "/13"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": cache_url}}
    settings.PORTAL_WORKER_HEARTBEAT_SECONDS = 1
    cache.clear()
    worker = start_worker(
        media_root=media_root,
        queues="documents",
        extra_env={"CACHE_URL": cache_url, "PORTAL_WORKER_HEARTBEAT_SECONDS": "1"},
    )

    def workers() -> dict:
        return client.get("/healthz").json()["workers"]

    try:
        deadline = time.monotonic() + 60
        while workers()["documents"] is None and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.5)
        heard = workers()
        assert heard["documents"] is not None and heard["documents"] <= 3, heard
        assert heard["imports"] is None and heard["sweeps"] is None  # no worker consumes them
    finally:
        stop(worker)
    deadline = time.monotonic() + 20
    while workers()["documents"] is not None and time.monotonic() < deadline:
        time.sleep(0.5)
    assert workers()["documents"] is None  # three beats missed: the queue has no live worker
    cache.clear()


def _wait_job(job, condition, worker: subprocess.Popen, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return job
        if worker.poll() is not None:
            break
        time.sleep(0.05)
    pytest.fail(
        f"record import {job.pk}: {what} not seen within {timeout:.0f} s ({job.status}, {job.rows_done} rows):"
        f"\n{stop(worker)[-4000:]}"
    )


def test_a_worker_killed_mid_import_is_taken_over_and_every_row_lands_once(redis_queue, media_root, settings):
    """Issue 23: a real worker importing a file dies with SIGKILL between two batches' commits; the beat's sweep
    queues the job again once its heartbeat is older than the lease, the broker hands the dead worker's message out
    again, and the next worker takes the job over at the last committed batch: every good row written once, none
    lost, the refused ones reported once."""
    from django.db import transaction

    from exchange import services as exchange_services
    from exchange.choices import ImportStatus
    from exchange.models import RecordImportError
    from exchange.tests.test_record_import import csv_file, row
    from subjects.models import CreditRecord
    from tests.case_data import make_catalog

    lease, batch, total = 3, 50, 1500
    # The upload is stored on the disk the worker reads (the suite otherwise keeps files in memory).
    settings.MEDIA_ROOT = str(media_root)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.EXCHANGE_IMPORT_LEASE_SECONDS = lease
    env = {"EXCHANGE_IMPORT_BATCH": str(batch), "EXCHANGE_IMPORT_LEASE_SECONDS": str(lease)}
    department = DepartmentFactory(code="HK-SAMR", name="海口市市场监督管理局")
    caseworker = user_with_role(Role.CASEWORKER, department, username="caseworker_a")
    item, _standard = make_catalog(actor=caseworker, department=department)
    rows = [row(n, item) for n in range(1, total + 1)]
    for n in range(100, total + 1, 100):
        rows[n - 1][7] = "2999-01-01"  # a determination later than today: refused, reported once
    bad = total // 100
    first = start_worker(media_root=media_root, queues="imports", extra_env=env)
    second = None
    try:
        with transaction.atomic():
            job = exchange_services.record_import_create(
                actor=caseworker,
                department=department,
                file=ContentFile(csv_file(rows), name="records.csv"),
                reason="海口市监局月度报送",
            )
        _wait_job(job, lambda j: j.rows_done >= 2 * batch, first, 120, "two batches committed")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        job.refresh_from_db()
        assert job.status == ImportStatus.RUNNING and 0 < job.rows_done < total, "the kill came too late"
        assert job.rows_done % batch == 0  # a batch commits whole with its position, or not at all

        second = start_worker(media_root=media_root, queues="imports", extra_env=env)
        time.sleep(lease + 1)
        assert exchange_services.record_imports_resume() == 1  # the sweep: the worker stopped reporting
        restore_unacknowledged()  # and the broker's visibility timeout passes
        done = _wait_job(job, lambda j: j.status != ImportStatus.RUNNING, second, 300, "the end of the job")
        wait_queue_drained()

        assert (done.status, done.rows_done, done.rows_written, done.rows_refused) == (
            ImportStatus.DONE,
            total,
            total - bad,
            bad,
        )
        keys = list(CreditRecord.objects.filter(department=department).values_list("provider_key", flat=True))
        assert len(keys) == len(set(keys)) == total - bad  # nothing twice, nothing lost
        assert sorted(RecordImportError.objects.filter(job=job).values_list("row", flat=True)) == [
            n + 1 for n in range(100, total + 1, 100)
        ]
    finally:
        stop(first)
        if second is not None:
            stop(second)
