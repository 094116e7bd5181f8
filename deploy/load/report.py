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
    lines.append("")
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
