"""docs/benchmarks.md (or, under BENCH_SMOKE=1, a temporary file): the sections in the order they ran. The "Load"
section ``make load`` writes (deploy/load/report.py) is kept as it was.

``update``: only some sections measured again (``python scripts/bench lists load --report``): their parts of the
report replaced, every other part kept as its own run wrote it, and the report's head says which parts were
measured when."""

from __future__ import annotations

import os
import platform
import re
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
        f"- Date: {time.strftime('%Y-%m-%d %H:%M %Z')}; the whole run took {_minutes(minutes)}.",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL {pg_version}. The server, PostgreSQL, the load generator and the measuring client share these "
        f"cores (load average at the end {_load_average()}): the figures are noisy (a p95 most of all); compare "
        f"medians, and within one run. Speed: {_speed()}.",
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


#: The sections ``update`` can measure again alone: their key in NOTES, and the heading their part starts with
#: ("scope": its rows of the "Other measurements" table, by their labels).
PARTIAL = {
    "lists": "## Case lists",
    "load": "## Throughput under load",
    "scope": "## Other measurements",
    "feed": "## Change feed",
    "import": "## Batch import of credit records",
}
_REMEASURED = "- Re-measured since: "


def _minutes(minutes: float) -> str:
    return "under a minute" if minutes < 0.5 else "1 minute" if minutes < 1.5 else f"{minutes:.0f} minutes"


def _speed() -> str:
    """How fast this machine runs Python, so that runs on different machines can be told apart: the best of three
    timings of a fixed loop (the sum of the squares below ten million), with the load average beside it."""
    import timeit

    seconds = min(timeit.repeat("sum(i * i for i in range(10_000_000))", number=1, repeat=3))
    return f"a fixed Python loop (the sum of the squares below 10,000,000) takes {seconds:.2f} s here"


def _load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def update(keys: list[str]) -> Path:
    """Replace the parts of the report the sections ``keys`` wrote by their new figures (NOTES), keep the others
    as they are, and say in the head what was measured again, when, and under what load."""
    path = report_path()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if not text:
        return write()
    for key in keys:
        if key == "scope":  # its rows of the table, each replaced where its label is
            for label, ms in RESULTS:
                row = f"| {label} | {ms:.1f} |"
                text, found = re.subn(
                    rf"^\| {re.escape(label)} \| [^|\n]* \|$", row.replace("\\", "\\\\"), text, flags=re.M
                )
                if not found:
                    raise SystemExit(f"bench: no row {label!r} in {path} to replace")
            continue
        new = "\n".join(NOTES.get(key, [])).rstrip("\n")
        if not new:
            continue
        heading = PARTIAL[key]
        start = text.find(f"\n{heading}")
        if start == -1:
            text = text.rstrip("\n") + "\n\n" + new + "\n"
            continue
        end = text.find("\n## ", start + 1)
        text = text[: start + 1] + new + "\n" + (text[end:] if end != -1 else "")
    names = {
        "lists": "the case lists, lookups and searches",
        "load": "the throughput under load",
        "scope": "the scope helper's rows of the other measurements (scoped pages, detail, dashboard)",
        "feed": "the change feed",
        "import": "the record import",
    }
    stamp = (
        f"{_REMEASURED}{time.strftime('%Y-%m-%d %H:%M %Z')}: {' and '.join(names[k] for k in keys)} "
        f"(`python scripts/bench {' '.join(keys)} --report`, {_minutes((time.monotonic() - STARTED) / 60)}; load "
        f"average at the end {_load_average()}; speed: {_speed()}, which the whole run's line above may not "
        "match: compare a figure only with one of the same speed). Every "
        "other section (the data's description among them) is the whole run's above and was not measured again; the "
        "figures re-measured here read data the same harness generated at the same sizes."
    )
    lines = text.split("\n")
    lines = [line for line in lines if not line.startswith(_REMEASURED)]  # the latest partial run is said
    at = next((i for i, line in enumerate(lines) if line.startswith("- Machine: ")), 0) + 1
    lines.insert(at, stamp)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    return path
