"""Write the figures of a ``make load`` run into docs/benchmarks.md, section "Load" (replaced on each run): the
requests and failures, each request's latency, the acts done and refused, the time from each act to its verified PDF
(from the database: the document's issue and the first version of it with its signed PDF, R-DES-5), the worker's
memory. Run by deploy/load/run.sh, with the run's DATABASE_URL and DJANGO_SETTINGS_MODULE."""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Issue 23's targets: pages p95 < 300 ms; an act to its verified PDF p95 < 10 s.
GOAL_P95_MS = 300
GOAL_PDF_P95_S = 10
#: The acts of the scenario: the audit event each leaves (counted in the ledger, which also holds the acts whose answer
#: came after the run's end, when locust no longer counts), and the name of its request in the scenario.
ACTS = {
    "designations.designation.created": "draft a designation",
    "designations.designation.issue_notice": "issue notice",
    "designations.designation.approve": "approve",
    "designations.designation.return": "return to the caseworker",
    "designations.designation.issue_decision": "issue decision",
}


def pdf_times(started: int) -> tuple[list[float], int, dict[str, int]]:
    """Seconds from each document issued since ``started`` to its first version with a signed, complete PDF; the
    number still without one; the documents by kind."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from creditportal.models import IssuedDocument

    since = datetime.fromtimestamp(started, tz=UTC)
    documents = IssuedDocument.objects.filter(issued_at__gte=since)
    times, pending, kinds = [], 0, {}
    for document in documents.only("pk", "kind", "issued_at"):
        kinds[document.kind] = kinds.get(document.kind, 0) + 1
        ready = (
            document.history.filter(signed=True, missing_elements="")
            .exclude(sha256="")
            .order_by("history_date")
            .values_list("history_date", flat=True)
            .first()
        )
        if ready is None:
            pending += 1
        else:
            times.append((ready - document.issued_at).total_seconds())
    return times, pending, kinds


def acts_done(started: int) -> dict[str, int]:
    """The scenario's acts done since ``started``, by the audit events they left (the services record each)."""
    from django.db.models import Count

    from creditportal.models import AuditEvent

    since = datetime.fromtimestamp(started, tz=UTC)
    counted = AuditEvent.objects.filter(at__gte=since, action__in=ACTS).values_list("action").annotate(n=Count("pk"))
    return {ACTS[action]: n for action, n in counted}


def _seconds(duration: str) -> float:
    """Locust's run time (``10m``, ``60s``, ``1h``) in seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    return float(duration[:-1]) * units[duration[-1]] if duration[-1] in units else float(duration)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--started", type=int, required=True)
    parser.add_argument("--users", required=True)
    parser.add_argument("--time", required=True)
    parser.add_argument("--health", default="{}")
    parser.add_argument("--data", choices=("bench", "demo"), default="bench")
    parser.add_argument(
        "--smoke", action="store_true", help="CI's short run: to var/load/smoke.md, and exit 1 on any failure"
    )
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
    over = [r["Name"] for r in pages if float(r["95%"]) >= GOAL_P95_MS]
    refused = {r["Name"]: int(r["Request Count"]) for r in rows if r["Type"] == "REFUSED"}
    times, still, kinds = pdf_times(args.started)
    done = acts_done(args.started)
    accounts = json.loads((args.out / "accounts.json").read_text())
    pdf_p95 = _p95(times)
    data = (
        "the 1,000,000 subjects of `make bench` (BENCH-A and BENCH-B), each simulated person signing in with an "
        "account of those departments made for the run (deploy/load/prepare.py)"
        if args.data == "bench"
        else "the demo data and accounts"
    )

    lines = [
        "## Load",
        "",
        f"Written by `make load` (deploy/load/run.sh) on {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}: "
        f"{args.users} simulated users (caseworkers and supervisors 10:1, deploy/load/locustfile.py) for "
        f"{args.time} against gunicorn and one Celery worker on PostgreSQL and Redis, on this machine "
        f"({platform.machine()}, {os.cpu_count()} cores, shared with the load generator, load average at the end "
        f"{' / '.join(f'{v:.1f}' for v in os.getloadavg())}), on {data}.",
        "",
        f"- Requests: {total:,} ({total / _seconds(args.time):.0f} a second); failures (server errors and refused "
        f"logins): **{failures}**. Each simulated person clicks every 1–5 s (about {int(args.users) / 3:.0f} requests "
        "a second in all, each POST followed by its page): where the server answers fewer, requests wait in its "
        'queue and the latencies below are mostly that wait, not a page\'s own time (for that: "Case lists").',
        f"- Slowest page at the 95th percentile (logging in apart): **{worst:.0f} ms** (target < {GOAL_P95_MS} ms: "
        f"{'met' if worst < GOAL_P95_MS else 'not met by ' + ', '.join(over)}).",
        f"- Cases waiting for approval at the start: {accounts.get('awaiting', 0):,}; accounts: "
        f"{len(accounts['caseworkers']):,} caseworkers, {len(accounts['supervisors']):,} supervisors.",
        "- Acts done (the audit events of the run): "
        + ", ".join(f"{name} {done.get(name, 0):,}" for name in ACTS.values())
        + "; refused with the reason a person reads (another was quicker, a guard): "
        + (", ".join(f"{name} {n:,}" for name, n in sorted(refused.items())) or "none")
        + ".",
        f"- Documents issued during the run: {sum(kinds.values()):,} ("
        + (", ".join(f"{kind} {n:,}" for kind, n in sorted(kinds.items())) or "none")
        + f"); from the act to its signed, complete PDF: median {statistics.median(times) if times else 0:.1f} s, "
        f"p95 **{pdf_p95:.1f} s** (target < {GOAL_PDF_P95_S} s: {'met' if times and pdf_p95 < GOAL_PDF_P95_S else 'not met'}); "
        f"{still} still without their PDF when the report was written.",
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
        "The scenario: caseworkers browse the subject and designation lists and case files, draft designations and",
        "issue their prior notices, and issue the decisions of approved cases; supervisors (second factor at sign-in)",
        "work through the approval queue. The cases waiting for approval at the start were walked there through the",
        "services on a timeline in the past by deploy/load/prepare.py (a notice's statement period is five working",
        "days: no case drafted during a ten-minute run can reach approval). The application, PostgreSQL, Redis, the",
        "worker and the load generator share this machine's cores, so the latencies are an upper bound. Lost updates:",
        "every form sends back the version it showed, and the optimistic lock refuses a stale one (counted as REFUSED",
        "rows above, never as a second write).",
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

    if args.smoke:
        (args.out / "smoke.md").write_text(section)
        print(section)
        problems = [
            *(
                [f"{failures} failed requests (var/load/locust_failures.csv, var/load/gunicorn.log)"]
                if failures
                else []
            ),
            *([] if total else ["no request was answered"]),
            *([f"{still} documents without their PDF"] if still else []),
        ]
        if problems:
            raise SystemExit("load smoke: " + "; ".join(problems))
        print("load smoke: passed (figures of a one-minute run on shared cores: they mean nothing)")
        return
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
