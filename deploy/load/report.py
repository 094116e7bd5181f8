"""Write the figures of a ``make load`` run into docs/benchmarks.md, section "Load" (replaced on each run)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOAL_P95_MS = 500


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--started", type=int, required=True)
    parser.add_argument("--users", required=True)
    parser.add_argument("--time", required=True)
    parser.add_argument("--health", default="{}")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    with (args.out / "locust_stats.csv").open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["Name"] != "Aggregated"]
    rss = [int(line.split("\t")[1]) for line in (args.out / "worker-rss.tsv").read_text().splitlines() if "\t" in line]
    health = json.loads(args.health or "{}")
    total = sum(int(r["Request Count"]) for r in rows)
    failures = sum(int(r["Failure Count"]) for r in rows)
    # Pages a person works with; logging in (a deliberately slow password hash, once a day) is reported apart.
    pages = [r for r in rows if r["Type"] == "GET" and r["Name"] != "login page"]
    worst = max((float(r["95%"]) for r in pages), default=0.0)

    lines = [
        "## Load",
        "",
        f"Written by `make load` (deploy/load/run.sh) on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: "
        f"{args.users} simulated users (caseworkers and supervisors 10:1, deploy/load/locustfile.py) for "
        f"{args.time} against gunicorn and one Celery worker on PostgreSQL and Redis, on this machine "
        f"({platform.machine()}, {os.cpu_count()} cores, shared with the load generator), with the demo data.",
        "",
        f"- Requests: {total:,}; failures (server errors and refused logins): **{failures}**.",
        f"- Slowest page at the 95th percentile (logging in apart): **{worst:.0f} ms** (goal < {GOAL_P95_MS} ms: "
        f"{'met' if worst < GOAL_P95_MS else 'not met'}).",
        f"- Worker memory (all its processes): {rss[0] // 1024 if rss else 0} MB at the start, "
        f"{max(rss) // 1024 if rss else 0} MB at most, {rss[-1] // 1024 if rss else 0} MB at the end "
        f"({len(rss)} samples, every 10 s).",
        f"- Documents still pending at the end: {health.get('documents_pending', '?')} "
        f"(stuck: {health.get('documents_stuck', '?')}).",
        "",
        "| request | count | failures | median (ms) | p95 (ms) | max (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in sorted(rows, key=lambda r: -int(r["Request Count"])):
        lines.append(
            f"| {r['Type']} {r['Name']} | {int(r['Request Count']):,} | {r['Failure Count']} | "
            f"{float(r['Median Response Time']):.0f} | {float(r['95%']):.0f} | {float(r['Max Response Time']):.0f} |"
        )
    lines += [
        "",
        "What this run is not (yet): the issue's full run is 50 caseworkers and 5 supervisors for 10 minutes on the",
        "1,000,000-subject data of `make bench`, on a machine of its own; `make load` runs that scenario with",
        "`LOAD_TIME=10m` on whatever database `LOAD_DATABASE_URL` names (seed the million subjects first with",
        "`make bench`'s generator). Here the application, PostgreSQL, Redis, the worker and the load generator share",
        "two cores, often with other test suites running, so the latencies are an upper bound. The scenario drafts",
        "designations and issues prior notices (PDFs through the worker); approvals happen only for cases that",
        "already wait for one (the demo data has few), since a notice must be served and its period closed first.",
        "Lost updates: every form sends back the version it showed, and the optimistic lock refuses a stale one",
        "(counted as REFUSED rows above, never as a second write).",
        "",
        "Worker memory, measured apart (`scripts/render_memory.py 1000`: one process rendering the same two-page",
        "Chinese document through `creditportal.pdf`, as a worker does): with one WeasyPrint font configuration per",
        "process it is flat, 130 MB after the first render, 164 MB at render 100 and 165 MB at render 1,000 (with a new",
        "configuration per render, as before, it grew about 0.23 MB a render without end). The worker's figure above",
        "is all its processes (the pool child and the main process) while it also renders the scenario's notices;",
        "`CELERY_WORKER_MAX_MEMORY_PER_CHILD` (400 MB) stays as a backstop.",
        "",
    ]
    section = "\n".join(lines)

    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    start = text.find("\n## Load\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[: start + 1] + section + (text[end:] if end != -1 else "")
    path.write_text(text)
    print(section)
    print("load: written to docs/benchmarks.md")


if __name__ == "__main__":
    main()
