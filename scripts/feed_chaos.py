"""The change feed under chaos (issue 23): 16 concurrent writer processes make ~N changes to credit records shared with the
platform (new, changed, withdrawn and shared again), a tenth of their transactions rolled back, while a reader pulls
pages of the feed and applies them to a plain dict, as a platform would. Then: 0 lost (every entry written was
delivered), 0 duplicated, the copy equal to the source's current shared state; and the figures: commit-to-feed
latency p50/p95 (a writer's commit to the reader's page holding it), entries/s, changes/s.

    FEED_CHAOS_CHANGES=2000 [FEED_CHAOS_WRITERS=16 FEED_CHAOS_PER_TRANSACTION=3] \
        DJANGO_SETTINGS_MODULE=creditportal.settings.dev .venv/bin/python scripts/feed_chaos.py

``run(n_changes, writers=16) -> dict`` is what ``scripts/bench.py`` calls (N = 1,000,000 there). The writers touch
the table directly, as a set-based job does (the feed's triggers do not care who writes); each run works in its own
new department, so its objects and entries are its own and the data beside them is untouched."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path

if __name__ == "__main__":  # pragma: no cover - run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditportal.settings.dev")
    import django

    django.setup()

#: Share of the writers' transactions rolled back.
ROLLBACK_SHARE = 0.1
#: Entries per page the reader asks for.
PAGE = 500


class _Rollback(Exception):
    pass


def _setup(pool_size: int):
    """A new department and ``pool_size`` shared records of an existing subject and catalog item."""
    from django.db import connection, transaction

    from catalog.models import CatalogItem
    from creditportal.audit import system_user, tracked_save
    from creditportal.models import Department
    from subjects.models import CreditSubject

    item, subject = CatalogItem.objects.order_by("pk").first(), CreditSubject.objects.order_by("pk").first()
    if item is None or subject is None:
        raise SystemExit("feed_chaos: the database has no catalog item or subject (seed it first)")
    actor = system_user()
    code = f"CHAOS-{secrets.token_hex(4)}"
    with transaction.atomic():
        department = Department(code=code, name=f"变更流压测部门 {code}", level="province", kind="other")
        tracked_save(department, actor=actor, reason="feed_chaos")
        with connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO subjects_creditrecord (created_at, updated_at, version, department_id, subject_id,
                  catalog_item_id, kind, status, summary, determined_on, recorded_by_id, archive_reason, sharing_flag,
                  deletion_application, provider_key)
                SELECT now(), now(), 1, %s, %s, %s, 'trustworthy', 'active', 'chaos ' || g, current_date, %s, '', '',
                       '', ''
                  FROM generate_series(1, %s) g RETURNING id
                """,
                [department.pk, subject.pk, item.pk, actor.pk, pool_size],
            )
            pool = [row[0] for row in cur.fetchall()]
    return department, subject, item, actor, pool


def _writer(job: dict, results) -> None:
    """One writer process: ``job["target"]`` committed changes on records picked at random from the shared pool (the
    same records as the other writers: their changes to one record are serialised by its row lock)."""
    from django.db import OperationalError, connection, transaction

    rng = random.Random(job["seed"])  # noqa: S311  (a reproducible load, not a secret)
    pool = list(job["pool"])
    commits: dict[int, float] = {}
    changes = rollbacks = deadlocks = 0
    try:
        while changes < job["target"]:
            ids = sorted(rng.sample(pool, min(len(pool), rng.randint(1, job["per_transaction"]))))
            made, new_ids = 0, []
            try:
                with transaction.atomic(), connection.cursor() as cur:
                    for record_id in ids:
                        roll = rng.random()
                        if roll < 0.4:  # changed
                            cur.execute(
                                "UPDATE subjects_creditrecord SET summary = %s, version = version + 1 WHERE id = %s",
                                [f"chaos {secrets.token_hex(6)}", record_id],
                            )
                        elif roll < 0.8:  # withdrawn (suspended, revoked, archived) or shared again
                            status = rng.choice(["suspended", "revoked", "archived"])
                            cur.execute(
                                """UPDATE subjects_creditrecord
                                      SET status = CASE WHEN status = 'active' THEN %s ELSE 'active' END,
                                          archive_reason = CASE WHEN status = 'active' AND %s = 'archived'
                                                                THEN 'period_ended' ELSE '' END,
                                          version = version + 1
                                    WHERE id = %s""",
                                [status, status, record_id],
                            )
                        else:  # new
                            cur.execute(
                                """INSERT INTO subjects_creditrecord (created_at, updated_at, version, department_id,
                                     subject_id, catalog_item_id, kind, status, summary, determined_on, recorded_by_id,
                                     archive_reason, sharing_flag, deletion_application, provider_key)
                                   VALUES (now(), now(), 1, %s, %s, %s, 'trustworthy', 'active', %s, current_date, %s,
                                     '', '', '', '') RETURNING id""",
                                [job["department"], job["subject"], job["item"], "chaos new", job["actor"]],
                            )
                            new_ids.append(cur.fetchone()[0])
                        made += 1
                    cur.execute("SELECT pg_current_xact_id()::text::bigint")
                    xid = cur.fetchone()[0]
                    if rng.random() < ROLLBACK_SHARE:
                        raise _Rollback
                commits[xid] = time.time()
                changes += made
                pool.extend(new_ids)
            except _Rollback:
                rollbacks += 1
            except OperationalError:  # a deadlock between writers: rolled back like any other
                deadlocks += 1
    finally:
        connection.close()
        results.put({"commits": commits, "changes": changes, "rollbacks": rollbacks, "deadlocks": deadlocks})


def _reader(state: dict) -> None:
    from django.db import connection

    from feed.selectors import feed_page

    cursor, copy, seen, first_seen = state["head"], state["copy"], state["seen"], state["first_seen"]
    try:
        while True:
            done = state["writers_done"].is_set()
            page = feed_page(after=cursor, limit=PAGE, department_ids=[state["department"]])
            now = time.time()
            for entry in page.entries:
                if entry.id in seen:
                    state["duplicates"] += 1
                seen.add(entry.id)
                first_seen.setdefault(entry.xid, now)
                if entry.operation == "withdrawn":
                    copy.pop(entry.key, None)
                else:
                    copy[entry.key] = entry.payload
            cursor = page.cursor
            state["pages"] += 1
            if not page.more:
                if done:  # every writer committed before this page's watermark was read: it held the rest
                    return
                time.sleep(0.002)
    finally:
        connection.close()


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(n_changes: int, writers: int = 16, *, per_transaction: int = 3, seed: int = 23) -> dict:
    """Make ~``n_changes`` committed changes with ``writers`` concurrent writer processes (1 to ``per_transaction``
    records changed per transaction, a tenth rolled back) while a reader follows the feed; return the figures and the
    checks (``lost``, ``duplicated``, ``copy_matches``)."""
    from django.db import connection, connections

    from feed.models import FeedEntry
    from feed.selectors import feed_head, source_state

    head = feed_head()
    department, subject, item, actor, pool = _setup(max(32, min(n_changes // 4, 20_000)))
    state = {
        "department": department.pk,
        "head": head,
        "copy": {},
        "seen": set(),
        "first_seen": {},
        "duplicates": 0,
        "pages": 0,
        "writers_done": threading.Event(),
    }
    connections.close_all()  # the writers are forked: none inherits an open connection
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    share, extra = divmod(n_changes, writers)
    processes = [
        context.Process(
            target=_writer,
            args=(
                {
                    "seed": seed * 1000 + n,
                    "per_transaction": per_transaction,
                    "target": share + (1 if n < extra else 0),
                    "pool": pool,
                    "department": department.pk,
                    "subject": subject.pk,
                    "item": item.pk,
                    "actor": actor.pk,
                },
                results,
            ),
            name=f"feed-writer-{n}",
        )
        for n in range(writers)
    ]
    started = time.perf_counter()
    for process in processes:  # forked before the reader's thread exists
        process.start()
    reader = threading.Thread(target=_reader, args=(state,), name="feed-reader")
    reader.start()
    outcomes = [results.get() for _process in processes]
    for process in processes:
        process.join()
    writers_done = time.perf_counter()
    state["writers_done"].set()
    reader.join()
    elapsed = time.perf_counter() - started
    written = FeedEntry.objects.filter(department_id=department.pk).count()
    source = source_state(department_ids=[department.pk])
    copy = state["copy"]
    latencies = [
        (state["first_seen"][xid] - committed) * 1000
        for outcome in outcomes
        for xid, committed in outcome["commits"].items()
        if xid in state["first_seen"]
    ]
    connection.close()
    return {
        "writers": writers,
        "per_transaction": per_transaction,
        "changes": sum(outcome["changes"] for outcome in outcomes),
        "rollbacks": sum(outcome["rollbacks"] for outcome in outcomes),
        "deadlocks": sum(outcome["deadlocks"] for outcome in outcomes),
        "entries": written,
        "delivered": len(state["seen"]),
        "lost": written - len(state["seen"]),
        "duplicated": state["duplicates"],
        "copy_matches": copy == source,
        "copy_size": len(copy),
        "source_size": len(source),
        "mismatched": sorted(key for key in copy.keys() | source.keys() if copy.get(key) != source.get(key))[:5],
        "pages": state["pages"],
        "seconds": round(elapsed, 2),
        "writers_seconds": round(writers_done - started, 2),
        "changes_per_second": round(
            sum(outcome["changes"] for outcome in outcomes) / max(writers_done - started, 1e-9)
        ),
        "entries_per_second": round(written / max(elapsed, 1e-9)),
        "latency_ms_p50": round(statistics.median(latencies), 1) if latencies else 0.0,
        "latency_ms_p95": round(_percentile(latencies, 0.95), 1),
        "department": department.code,
    }


if __name__ == "__main__":  # pragma: no cover - run as a script
    figures = run(
        int(os.environ.get("FEED_CHAOS_CHANGES", "2000")),
        int(os.environ.get("FEED_CHAOS_WRITERS", "16")),
        per_transaction=int(os.environ.get("FEED_CHAOS_PER_TRANSACTION", "3")),
    )
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    sys.exit(0 if figures["lost"] == 0 and figures["duplicated"] == 0 and figures["copy_matches"] else 1)
