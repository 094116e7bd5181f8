"""docs/benchmarks.md (or, under BENCH_SMOKE=1, a temporary file): the sections in the order they ran. The "Load"
section ``make load`` writes (deploy/load/report.py) is kept as it was."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

from django.db import connection

from . import sections
from .common import NOTES, REPEAT, RESULTS, SMOKE, STARTED, report_path


def _kept_load_section(path: Path) -> list[str]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    start = text.find("\n## Load\n")
    if start == -1:
        return []
    end = text.find("\n## ", start + 1)
    return ["", text[start + 1 : end if end != -1 else len(text)].rstrip("\n"), ""]


def write() -> Path:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    path = report_path()
    minutes = (time.monotonic() - STARTED) / 60
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench/); do not edit by hand.",
        "",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}; the whole run took {minutes:.0f} minutes.",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL {pg_version}. The server, PostgreSQL, the load generator and the measuring client share these "
        "2 cores, and while this run was measured three other engineers ran test suites on them too: the "
        "figures are noisy (a p95 most of all); compare medians, and within one run.",
        *(["- SMOKE RUN (BENCH_SMOKE=1): tiny sizes, the figures mean nothing."] if SMOKE else []),
        "",
    ]
    for key in ("data", "lists", "load", "import", "feed"):
        lines += NOTES.get(key, [])
    lines += [
        "## Other measurements",
        "",
        f"Each figure is the median of {REPEAT} runs after a warm-up, in milliseconds, unless the label says "
        "otherwise.",
        "",
        "| what | median (ms) |",
        "| --- | ---: |",
        *[f"| {label} | {ms:.1f} |" for label, ms in RESULTS],
        "",
        "Reading: the department filter walks the `(department, -id)` and `(department, name)` indexes, so a page",
        "costs about the same on page 1 and page 200, and pages never count rows. The shared rows come as a",
        'second bounded query merged in Python; the "for comparison" lines are the designs we did not take',
        "(shares OR-ed into the main query; guardian's `get_objects_for_user`). Figures for the HTTP pages include",
        "the session, the user's roles and shares, and rendering the template.",
        "",
        *sections.EXPIRY_NOTES,
        *sections.ACCESS_NOTES,
        *sections.LEDGER_NOTES,
        *sections.PUBLIC_NOTES,
        *_kept_load_section(path),
    ]
    path.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    return path
