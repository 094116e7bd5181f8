"""What every section shares: the sizes (from the environment, tiny under BENCH_SMOKE=1), the database, timing
helpers and the parts of the report the sections fill."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

#: BENCH_SMOKE=1: every section end to end at tiny sizes, into a database of its own; the report goes to a
#: temporary file, never docs/benchmarks.md (CI proves the harness runs; such figures mean nothing).
SMOKE = os.environ.get("BENCH_SMOKE", "") not in ("", "0")


def size(name: str, default: int, smoke: int) -> int:
    """A size from the environment (``BENCH_<name>``), else the benchmark's default, else the smoke run's."""
    value = os.environ.get(f"BENCH_{name}")
    if value:
        return int(value.replace("_", "").replace(",", ""))
    return smoke if SMOKE else default


N_SUBJECTS = size("SUBJECTS", 1_000_000, 3_000)
N_RECORDS = size("RECORDS", 3 * N_SUBJECTS, 3 * N_SUBJECTS)
N_DESIGNATIONS = size("DESIGNATIONS", 40_000, 300)
N_OBJECTIONS = size("OBJECTIONS", 30_000, 240)
N_RESTORATIONS = size("RESTORATIONS", 20_000, 160)
REPEAT = size("REPEAT", 15, 2)
#: Requests per list measurement (p50 and p95 of these, after one warm-up).
LIST_SAMPLES = size("LIST_SAMPLES", 40, 3)
#: Throughput: seconds per page under load, gunicorn workers, concurrent connections.
LOAD_SECONDS = size("LOAD_SECONDS", 15, 1)
LOAD_WORKERS = size("LOAD_WORKERS", 3, 2)
LOAD_CONNECTIONS = size("LOAD_CONNECTIONS", 16, 4)

#: Lines of the report, by section, in the order the sections ran (each section fills its own).
NOTES: dict[str, list[str]] = {}
#: The older sections' figures: (label, median milliseconds).
RESULTS: list[tuple[str, float]] = []
STARTED = time.monotonic()


def setup() -> None:
    """Point Django at the bench database (``<name>_bench``, or ``<name>_bench_smoke``) and start it."""
    import django
    from django.conf import settings

    database = settings.DATABASES["default"]
    suffix = os.environ.get("BENCH_DATABASE_SUFFIX") or ("_bench_smoke" if SMOKE else "_bench")
    if not database["NAME"].endswith(suffix):
        database["NAME"] = f"{database['NAME']}{suffix}"
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    django.setup()


def report_path() -> Path:
    if SMOKE:
        return Path(tempfile.gettempdir()) / "creditportal-bench-smoke.md"
    return ROOT / "docs" / "benchmarks.md"


def percentiles(samples: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile (nearest rank) of ``samples``."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * 95 // 100))  # ceil(0.95 n)
    return statistics.median(ordered), ordered[rank - 1]


def timed(fn) -> float:
    """Median milliseconds of REPEAT runs after one warm-up."""
    fn()
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def add(label: str, fn) -> float:
    """Time ``fn`` (median of REPEAT) into RESULTS, and say so."""
    ms = timed(fn)
    RESULTS.append((label, ms))
    print(f"  {label}: {ms:.1f} ms", flush=True)
    return ms


def say(message: str) -> None:
    print(f"bench [{time.monotonic() - STARTED:6.0f} s]: {message}", flush=True)


def with_defaults(sql: str) -> str:
    """``INSERT INTO <table> (columns) SELECT … FROM …`` with every other NOT NULL column of the table's model added
    with its model default as a literal: a column another engineer adds (with a default) does not break the bench's
    generators. Only the outer SELECT's list is extended (the first FROM after the column list ends it)."""
    import re

    from django.apps import apps
    from django.db import connection
    from psycopg import sql as psql

    match = re.search(r"INSERT INTO (\w+)\s*\(([^)]*)\)", sql)
    if match is None:
        return sql
    table, named = match.group(1), {c.strip() for c in match.group(2).split(",")}
    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if model is None:
        return sql
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.column in named or not field.has_default():
            continue
        value = field.get_db_prep_save(field.get_default(), connection)
        columns.append(field.column)
        connection.ensure_connection()
        values.append(psql.Literal(value).as_string(connection.connection))
    if not columns:
        return sql
    end = match.end(2)
    sql = sql[:end] + ", " + ", ".join(columns) + sql[end:]
    select_from = re.compile(r"\bFROM\b").search(sql, sql.index("SELECT", end))
    return sql[: select_from.start()] + ", " + ", ".join(values) + " " + sql[select_from.start() :]


class indexes_deferred:
    """A bulk load's standard practice: ``tables``' secondary indexes dropped before the rows are written and built
    again after (one sort each instead of millions of insertions). Their definitions are kept in var/ first, so an
    interrupted build gets them back on its next start (``restore_deferred_indexes``)."""

    def __init__(self, *tables: str):
        self.tables = tables

    def __enter__(self):
        import json

        from django.db import connection

        kept = _deferred_file()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """,
                [list(self.tables)],
            )
            self.definitions = dict(cursor.fetchall())
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(json.dumps(self.definitions))
            for name in self.definitions:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        return self

    def __exit__(self, *exc):
        restore_deferred_indexes()
        return False


def _deferred_file() -> Path:
    from django.conf import settings

    return ROOT / "var" / f"bench-deferred-indexes-{settings.DATABASES['default']['NAME']}.json"


def restore_deferred_indexes() -> None:
    """Build the indexes a bulk load dropped (see ``indexes_deferred``) that are missing, then forget them."""
    import json

    from django.db import connection

    kept = _deferred_file()
    if not kept.exists():
        return
    definitions = json.loads(kept.read_text())
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for name, definition in definitions.items():
            cursor.execute("SELECT 1 FROM pg_indexes WHERE schemaname = 'public' AND indexname = %s", [name])
            if cursor.fetchone() is None:
                started = time.monotonic()
                cursor.execute(definition)
                say(f"index {name} built in {time.monotonic() - started:.0f} s")
    kept.unlink()


def demo_once() -> None:
    """The demo data (catalog, standards, the demo departments' users and cases), seeded once: seeding again over the
    bench data would make its penalties ledger agree with millions of generated records (``penalties_sync``), which
    is the nightly job's cost, not the section's."""
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(username="hk-caseworker").exists():
        from demo.seed import seed_demo

        seed_demo()
