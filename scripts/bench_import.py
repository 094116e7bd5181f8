"""The record import's throughput (issue 23): a generated file of credit records with bad rows mixed in, imported
through ``exchange.services`` as a worker runs it, then the same file again.

    DJANGO_SETTINGS_MODULE=creditportal.settings.test .venv/bin/python scripts/bench_import.py [rows] [MB]

``rows`` (default 100,000) rows are written, or, with a second argument, rows until the file reaches that many
megabytes (a 1 GB file: ``scripts/bench_import.py 0 1024``). ``run(rows=…)`` is what ``make bench`` calls. The data go
into a department of their own (BENCH-IMP), created once; each run uses new provider keys, so it measures new records.
"""

from __future__ import annotations

import contextlib
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditportal.settings.test")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402
from django.db import transaction  # noqa: E402

#: Every 50th row is bad in one of five ways (a bad code, a date to come, a catalog item not published, prohibited
#: data in the summary, an untrustworthy record without its basis document).
BAD_EVERY = 50


def _setup():
    from catalog.selectors import catalog_published
    from creditportal.choices import Role
    from creditportal.models import Department
    from creditportal.tests.factories import user_with_role
    from tests.case_data import make_catalog

    department, _created = Department.objects.get_or_create(
        code="BENCH-IMP", defaults={"name": "基准测试导入局", "level": "province", "kind": "industry_regulator"}
    )
    user = department_user = None
    from django.contrib.auth import get_user_model

    department_user = get_user_model().objects.filter(username="bench-importer").first()
    user = department_user or user_with_role(Role.CASEWORKER, department, username="bench-importer")
    version = catalog_published()
    item = version.items.filter(is_untrustworthy=True).first() if version else None
    if item is None:
        with transaction.atomic():
            item, _standard = make_catalog(actor=user, department=department)
    return department, user, item


def write_file(path: Path, *, rows: int, max_bytes: int, item_code: str, run_id: str) -> tuple[int, int]:
    """The file: ``rows`` rows, or rows until it holds ``max_bytes``. Returns (rows, bad rows)."""
    from stdnum.cn import ric

    from exchange.reader import header_row
    from subjects.tests.factories import valid_uscc

    def valid_ric(n: int) -> str:  # one number per n (the factories' repeat after 9,000,000)
        import datetime

        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=n // 1000)
        body = f"110105{birth:%Y%m%d}{n % 1000:03d}"
        return body + ric.calc_check_digit(body + "0")

    bad = written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header_row())
        n = 0
        while (rows and n < rows) or (max_bytes and out.tell() < max_bytes):
            n += 1
            person = n % 3 == 0
            identifier = valid_ric(n) if person else valid_uscc(n)
            cells = [
                f"{run_id}-{n:09d}",
                "自然人" if person else "法人",
                f"张{n}" if person else f"导入测试{n}有限公司",
                "",
                identifier,
                item_code,
                f"销售过期食品，罚款{n % 97 + 1}千元",
                "2026-03-02",
                "",
                "punishment_decision",
                f"琼市监罚〔2026〕{run_id}-{n}号",
                "海南省市场监督管理局",
                "2026-03-02",
                "否",
            ]
            if n % BAD_EVERY == 0:
                bad += 1
                kind = (n // BAD_EVERY) % 5
                if kind == 0:
                    cells[4] = "91460100XXXXXXXX"
                elif kind == 1:
                    cells[7] = "2099-01-01"
                elif kind == 2:
                    cells[5] = "NOT-PUBLISHED"
                elif kind == 3:
                    cells[6] = "当事人患有传染病"
                else:
                    cells[9:14] = ["", "", "", "", ""]
            writer.writerow(cells)
            written += 1
    return written, bad


def run(rows: int = 100_000, max_bytes: int = 0) -> dict:
    """Import a generated file twice; the figures of both runs."""
    from django.test import override_settings

    from exchange import services
    from subjects.models import CreditRecord

    department, user, item = _setup()
    _reset_peak_memory()  # the import's own peak, not the bench's sections before it (the feed's reader copy …)
    resident_before = _memory_mb("VmRSS:")  # what the process held already (make bench: the sections before it)
    run_id = f"B{int(time.time()) % 100000:05d}"
    with (
        tempfile.TemporaryDirectory() as folder,
        override_settings(
            # the upload stored on disk, as deployed (the test settings keep files in memory: a 1 GB file would be in RAM)
            MEDIA_ROOT=folder,
            STORAGES={**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}},
        ),
    ):
        path = Path(folder) / "records.csv"
        started = time.monotonic()
        total, bad = write_file(path, rows=rows, max_bytes=max_bytes, item_code=item.code, run_id=run_id)
        generated = time.monotonic() - started
        size = path.stat().st_size
        figures: dict = {"rows": total, "bad": bad, "bytes": size, "generate_s": generated}
        for label in ("first", "again"):
            started = time.monotonic()
            with path.open("rb") as handle, transaction.atomic():
                job = services.record_import_create(
                    actor=user, department=department, file=File(handle, name="records.csv"), reason="bench"
                )
            # Celery runs the job as the upload commits where tasks are eager (the test settings); else here.
            job = services.record_import_run(job_id=job.pk)
            elapsed = time.monotonic() - started
            figures[label] = {
                "status": job.status,
                "seconds": elapsed,
                "rows_per_s": job.rows_done / elapsed if elapsed else 0,
                "written": job.rows_written,
                "unchanged": job.rows_unchanged,
                "refused": job.rows_refused,
                "subjects_created": job.subjects_created,
            }
        figures["records_with_key"] = CreditRecord.objects.filter(
            department=department, provider_key__startswith=run_id
        ).count()
    figures["rss_before_mb"] = resident_before
    figures["max_rss_mb"] = _peak_memory_mb()
    figures["import_rss_growth_mb"] = figures["max_rss_mb"] - resident_before
    return figures


def _reset_peak_memory() -> None:
    """Linux: writing 5 to /proc/self/clear_refs resets the process's peak resident size (VmHWM)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_memory_mb() -> float:
    """The peak resident size since ``_reset_peak_memory`` (VmHWM), else since the process started (ru_maxrss)."""
    return _memory_mb("VmHWM:") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _memory_mb(field: str) -> float:
    """A size the kernel gives in /proc/self/status (``VmRSS:``, ``VmHWM:``), in MB; 0 where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


if __name__ == "__main__":
    wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    megabytes = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    print(run(rows=wanted, max_bytes=megabytes * 1024 * 1024))
