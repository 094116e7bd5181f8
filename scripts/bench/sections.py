"""The sections measured before issue 23: the scope helper's queries, the subject list and detail pages, the
dashboard, the decision PDF, the catalog import, the daily expiry, the access log, the audit ledger and the public
list. Each fills ``common.RESULTS`` (label, median ms) and its lines of the report (``common.NOTES``)."""

from __future__ import annotations

import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_objects_for_user

from creditportal.choices import Role
from creditportal.models import Department, Membership, User
from creditportal.permissions import scope_queryset, scoped_page
from subjects.models import CreditSubject

from .common import ROOT, SMOKE, add, demo_once, indexes_deferred, size, timed, with_defaults


def add_scope_results() -> None:
    """The scope helper at scale (issue 8): a department's page newest first and sorted by name, page 1 and page
    200, with 50 guardian shares merged as a second branch, beside the designs not taken; the subject list and
    detail pages and the dashboard through HTTP."""
    big = Department.objects.get(code="BENCH-A")
    user = User.objects.get(username="bench-caseworker")
    sharer, _ = User.objects.get_or_create(username="bench-shared")
    Membership.objects.get_or_create(
        user=sharer, department=big, role=Role.CASEWORKER, defaults={"confirmed_at": timezone.now()}
    )
    if not sharer.userobjectpermission_set.exists():
        for subject in CreditSubject.objects.exclude(department=big).order_by("pk")[:50]:
            assign_perm("subjects.view_creditsubject", sharer, subject)
    own_rows = CreditSubject.objects.filter(department=big).count()
    base = CreditSubject.objects.select_related("department")
    probe = CreditSubject.objects.filter(department=big).order_by("pk")[own_rows // 2]
    deep = min(199, max(own_rows // 25 - 2, 1))

    def fresh(u):
        return User.objects.get(pk=u.pk)  # no per-request cache carried between samples

    add(
        "scoped page 1, newest first (25 rows)",
        lambda: scoped_page(fresh(user), base, ordering=["-pk"], offset=0, limit=26),
    )
    add(
        f"scoped page {deep + 1}, newest first",
        lambda: scoped_page(fresh(user), base, ordering=["-pk"], offset=deep * 25, limit=26),
    )
    add(
        "scoped page 1, sorted by name",
        lambda: scoped_page(fresh(user), base, ordering=["name", "pk"], offset=0, limit=26),
    )
    add(
        "scoped page 1 with 50 guardian shares (two branches merged)",
        lambda: scoped_page(fresh(sharer), base, ordering=["-pk"], offset=0, limit=26),
    )
    add(
        "for comparison: shares OR-ed into one query, page 1",
        lambda: list(scope_queryset(fresh(sharer), base).order_by("-pk")[:26]),
    )
    add(
        "scoped page 1 sorted by name, with 50 shares (two branches merged)",
        lambda: scoped_page(fresh(sharer), base, ordering=["name", "pk"], offset=0, limit=26),
    )
    add(
        "for comparison: sorted by name, shares OR-ed into one query",
        lambda: list(scope_queryset(fresh(sharer), base).order_by("name", "pk")[:26]),
    )
    add(
        "for comparison: guardian get_objects_for_user, page 1",
        lambda: list(
            get_objects_for_user(
                fresh(sharer), "subjects.view_creditsubject", klass=base, accept_global_perms=False
            ).order_by("-pk")[:26]
        ),
    )
    add("exact identifier filter", lambda: list(scope_queryset(fresh(user), base).filter(id_digest=probe.id_digest)))
    add(
        "name contains (trigram index)",
        lambda: scoped_page(
            fresh(user), base.filter(name__icontains="芳" + str(probe.pk)[-4:]), ordering=["-pk"], offset=0, limit=26
        ),
    )
    add("detail by primary key", lambda: scope_queryset(fresh(user), base).get(pk=probe.pk))

    client = Client()
    client.force_login(user, backend="creditportal.permissions.RoleBackend")
    declare_purpose(client, probe)  # the caseworker says why he opens the subject, once (issue 21)
    add(
        "whole detail page (HTTP; the look registered in the access log)",
        lambda: client.get(reverse("subject_detail", args=[probe.pk])),
    )
    from django.core.cache import cache

    def dashboard_cold():
        cache.clear()
        client.get(reverse("dashboard"))

    add("dashboard, counts not cached (HTTP)", dashboard_cold)
    add("dashboard, counts cached (HTTP)", lambda: client.get(reverse("dashboard")))


def declare_purpose(client, subject) -> None:
    """Answer the page's question "why do you open this?" through its form, as a person does (issue 21)."""
    import re

    asked = client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    ticket = re.search(r'name="ticket" value="([^"]+)"', asked)
    if ticket:
        client.post(reverse("access_purpose"), {"purpose": "case", "ticket": ticket.group(1)})


ACCESS_ENTRIES = size("ACCESS_ENTRIES", 1_000_000, 5_000)
ACCESS_NOTES: list[str] = []


def add_access_results(results, *, user, department, probe) -> None:
    """The access log at provincial scale (R-SEC-3, issue 21): ACCESS_ENTRIES entries in the department, set-based; then
    an export's registration of PORTAL_EXPORT_MAX_ROWS subjects (one INSERT … SELECT), the auditor's access-log page
    and a subject's "who looked" list."""
    from django.test import RequestFactory

    from creditportal.access import record_exported
    from creditportal.models import AccessEntry
    from subjects.selectors import subject_lookers

    if AccessEntry.objects.count() < ACCESS_ENTRIES:
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(
                with_defaults(
                    """
                INSERT INTO creditportal_accessentry (at, user_id, roles, user_department_id, department_id,
                    subject_id, kind, page, shown, fields, purpose, purpose_text, address, request_id)
                SELECT now() - (g || ' seconds')::interval, %s, 'caseworker', %s, %s, s.id,
                       CASE WHEN g %% 4 = 0 THEN 'opened' ELSE 'listed' END, 'subject_detail',
                       '[]'::jsonb, '[]'::jsonb, CASE WHEN g %% 4 = 0 THEN 'case' ELSE '' END, '', '10.0.0.1', ''
                FROM generate_series(1::bigint, %s) AS g
                JOIN subjects_creditsubject s ON s.id = %s + (g * 7919) %% %s
                """
                ),
                [
                    user.pk,
                    department.pk,
                    department.pk,
                    ACCESS_ENTRIES,
                    CreditSubject.objects.order_by("pk").values_list("pk", flat=True).first(),
                    CreditSubject.objects.count(),
                ],
            )
            cursor.execute("ANALYZE creditportal_accessentry")
        print(f"bench: {ACCESS_ENTRIES:,} access entries in {time.monotonic() - started:.0f} s", flush=True)
    request = RequestFactory().get("/subjects/export/csv/")
    request.user = user
    rows = settings.PORTAL_EXPORT_MAX_ROWS
    exported = CreditSubject.objects.filter(department=department).order_by("-pk")[:rows]
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        with transaction.atomic():
            record_exported(request, exported, subject_path="pk", page="subject_export", fields=["name"])
        samples.append((time.perf_counter() - started) * 1000)
    results.append((f"access log: an export of {rows:,} subjects registered (one INSERT … SELECT)", min(samples)))
    auditor, _ = User.objects.get_or_create(username="bench-auditor")
    Membership.objects.get_or_create(
        user=auditor, department=department, role=Role.AUDITOR, defaults={"confirmed_at": timezone.now()}
    )
    client = Client()
    client.force_login(auditor, backend="creditportal.permissions.RoleBackend")
    for label, fn in (
        ("access log page 1 for the auditor (HTTP)", lambda: client.get(reverse("access_log"))),
        (
            "access log filtered by one subject (HTTP)",
            lambda: client.get(reverse("access_log"), {"subject": probe.pk}),
        ),
        (
            'a subject\'s "who looked" list',
            lambda: subject_lookers(user=User.objects.get(pk=auditor.pk), subject=probe),
        ),
    ):
        ms = timed(fn)
        results.append((label, ms))
        print(f"  {label}: {ms:.1f} ms", flush=True)
    total = AccessEntry.objects.count()
    ACCESS_NOTES[:] = [
        "## Access log (R-SEC-3, issue 21)",
        "",
        f"{total:,} access-log entries in the table (each page, list row and export row a person saw). An export "
        f"registers its {rows:,} subjects in one `INSERT … SELECT` (the best of three runs above); the auditor's "
        "pages read the `(department, -at, -id)` and `(subject_id, -at, -id)` indexes in their own order, so they cost "
        "the same whatever the log's "
        "size. A list page registers its 25 subjects in one INSERT (included in the list page's figure).",
        "",
    ]


def add_pdf_results() -> None:
    """Render the decision PDF (Chinese, A4, WeasyPrint) of a demo designation, as the Celery task does."""
    from django.utils import timezone

    from creditportal import pdf
    from designations import pdf as designation_pdf
    from designations import services
    from designations.models import Designation
    from subjects.models import CreditRecord

    demo_once()
    designation = Designation.objects.filter(decision_number__startswith="海口").first()
    if designation is None:
        record = CreditRecord.objects.filter(kind="untrustworthy", department__code="HK-SAMR").first()
        caseworker, supervisor = User.objects.get(username="hk-caseworker"), User.objects.get(username="hk-supervisor")
        from catalog.models import DesignationStandard

        standard = DesignationStandard.objects.filter(status="published").first()
        from creditportal.documents import document_render
        from creditportal.models import IssuedDocument

        designation = services.designation_create(
            actor=caseworker,
            department=record.department,
            subject=record.subject,
            standard=standard,
            records=[record],
            measures=list(standard.allowed_measures.all()[:2]),
            facts="基准测试事实" * 20,
            reasons="基准测试理由",
            proportionality_statement="相当",
            proposed_listing_months=12,
            statement_period_wd=5,
            reason="bench",
        )
        for act in ("issue_notice", "serve_notice", "close_statements", "submit", "approve", "issue_decision"):
            kwargs = (
                {"method": "in_person", "served_on": timezone.localdate(), "recipient": "x"}
                if act == "serve_notice"
                else {}
            )
            actor = supervisor if act == "approve" else caseworker
            # the statement period (5 working days from today's service) has run out at the close
            extra = {"now": timezone.now() + datetime.timedelta(days=30)} if act == "close_statements" else {}
            designation = getattr(services, f"designation_{act}")(
                designation=designation, actor=actor, reason="bench", **kwargs, **extra
            )
            for pending in IssuedDocument.objects.filter(file=""):  # the PDFs a worker renders, here at once
                document_render(document=pending)
    document = designation.decision_document()
    context = designation_pdf.decision_context(case=designation, document=document)
    add(
        "decision PDF rendered (WeasyPrint, Chinese, 3 pages)",
        lambda: pdf.render_pdf(template="designations/pdf/decision.html", context=context),
    )


IMPORT_ROWS = size("IMPORT_ROWS", 3_000, 100)


def add_import_results(results) -> None:
    """Import a catalog file of IMPORT_ROWS rows (the export's Chinese CSV, the published item repeated under new
    codes) into a fresh draft, as the import page does: a dry run, then the real run (set-based, history in
    bulk). Reported in milliseconds and rows per second."""
    import csv
    import io

    from catalog import imports
    from catalog import services as catalog_services
    from catalog.selectors import catalog_published

    author = User.objects.get(username="hn-caseworker")
    published = catalog_published()
    lines = list(csv.reader(io.StringIO(imports.export_catalog(version=published, fmt="csv").decode("utf-8-sig"))))
    header, row = lines[0], lines[1]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for n in range(IMPORT_ROWS):
        writer.writerow([f"BENCH-{n:05d}", *row[1:]])
    content = out.getvalue().encode("utf-8")

    def run(dry_run: bool) -> float:
        draft = catalog_services.catalog_version_create(
            actor=author, jurisdiction=published.jurisdiction, title="bench import", reason="bench"
        )
        started = time.perf_counter()
        report = imports.import_catalog_items(
            actor=author, version=draft, file=io.BytesIO(content), fmt=None, dry_run=dry_run, reason="bench"
        )
        elapsed = time.perf_counter() - started
        if not report.ok:
            raise SystemExit(f"bench: the import file was refused: {report.errors[:3]}")
        catalog_services.published_list_discard(obj=draft, actor=author, reason="bench done")
        return elapsed * 1000

    for dry_run, label in ((True, "dry run"), (False, "written")):
        ms = statistics.median(run(dry_run) for _ in range(3))
        label = f"catalog import of {IMPORT_ROWS:,} CSV rows, {label} ({IMPORT_ROWS / ms * 1000:,.0f} rows/s)"
        results.append((label, ms))
        print(f"  {label}: {ms:.1f} ms", flush=True)


#: The issue's figure: 1,000,000 records due among 10,000,000 (target under 5 minutes, history complete).
EXPIRY_RECORDS = size("EXPIRY_RECORDS", 10_000_000, 20_000)
EXPIRY_DUE = size("EXPIRY_DUE", 1_000_000, 1_000)
EXPIRY_TARGET_S = 300
#: The expiry's ten million records live in a database of their own (``<name>_bench_expiry``), built once like the
#: main one: in the main database they would make its records table four times the 3,000,000 the other sections are
#: specified at. ``add_expiry_results`` runs the section there in a child process (``python scripts/bench expiry``
#: with this suffix), which hands its figures back in a JSON file.
EXPIRY_DATABASE_SUFFIX = "_bench_expiry"
#: What the expiry section of docs/benchmarks.md says about the run (filled by add_expiry_results).
EXPIRY_NOTES: list[str] = []


def _expiry_data():
    """The expiry's records, generated with the feed's triggers on, as every write is: each has its feed state, so the
    expiry's commit writes each record's withdrawal, as it would in a deployment."""
    return _expiry_rows()


def _expiry_rows():
    """EXPIRY_RECORDS credit records of a department of their own (BENCH-EXP), EXPIRY_DUE of them spread evenly
    over the table with a disclosure period that ended long ago, generated in SQL (with their creation history
    left out: only the expiry's history is measured). Due rows of an earlier run are made active again."""
    from catalog.models import CatalogItem
    from creditportal.audit import system_user
    from subjects.models import BasisDocument, CreditRecord

    demo_once()
    department, _ = Department.objects.get_or_create(
        code="BENCH-EXP", defaults={"name": "基准测试到期局", "level": "province", "kind": "industry_regulator"}
    )
    records = CreditRecord.objects.filter(department=department)
    if records.count() != EXPIRY_RECORDS:
        print(f"bench: generating {EXPIRY_RECORDS:,} records, {EXPIRY_DUE:,} due for expiry …", flush=True)
        item = CatalogItem.objects.filter(is_untrustworthy=True).order_by("pk").first()
        basis = BasisDocument.objects.order_by("pk").first()
        subject = CreditSubject.objects.order_by("pk").first()
        # the indexes built after the rows (a bulk load's order: at 3,000,000 rows into a table of as many, keeping
        # fourteen indexes up to date row by row took over ten minutes here)
        with indexes_deferred("subjects_creditrecord"), connection.cursor() as cursor:
            cursor.execute("DELETE FROM subjects_historicalcreditrecord WHERE department_id = %s", [department.pk])
            cursor.execute("DELETE FROM subjects_creditrecord WHERE department_id = %s", [department.pk])
            cursor.execute(
                with_defaults(
                    """
                INSERT INTO subjects_creditrecord
                    (created_at, updated_at, kind, status, summary, determined_on, disclosure_from, disclosure_until,
                     basis_document_id, catalog_item_id, department_id, recorded_by_id, subject_id, version,
                     archive_reason, sharing_flag, deletion_application)
                SELECT now(), now(), 'untrustworthy', 'active', '基准测试记录' || g, date '2021-01-04',
                       date '2021-01-04',
                       CASE WHEN g %% %s = 0 THEN date '2024-01-03' ELSE date '2030-12-31' END,
                       %s, %s, %s, %s, %s, 1, '', '', ''
                FROM generate_series(1, %s) AS g
                """
                ),
                [
                    max(1, EXPIRY_RECORDS // EXPIRY_DUE),
                    basis.pk,
                    item.pk,
                    department.pk,
                    system_user().pk,
                    subject.pk,
                    EXPIRY_RECORDS,
                ],
            )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE subjects_creditrecord SET status = 'active', archived_at = NULL, archive_reason = '', "
            "sharing_flag = '', sharing_due = NULL WHERE department_id = %s AND disclosure_until < now()::date",
            [department.pk],
        )
        cursor.execute("ANALYZE subjects_creditrecord")
    return department


def add_expiry_results(results) -> None:
    """The daily expiry, in its own database (EXPIRY_DATABASE_SUFFIX): here when this process is already there (or a
    smoke run, whose few records change nothing), else in a child process whose figures are read back."""
    if SMOKE or _in_expiry_database():
        _expiry_here(results)
        out = os.environ.get("BENCH_EXPIRY_OUT")
        if out:
            Path(out).write_text(json.dumps({"results": results, "notes": EXPIRY_NOTES}), encoding="utf-8")
        return
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        # the child's own data: only what the expiry's records rest on, built in seconds
        small = {"SUBJECTS": 1000, "RECORDS": 3000, "DESIGNATIONS": 300, "OBJECTIONS": 240, "RESTORATIONS": 160}
        env = {
            **os.environ,
            **{f"BENCH_{name}": str(value) for name, value in small.items()},
            "BENCH_EXPIRY_RECORDS": str(EXPIRY_RECORDS),
            "BENCH_EXPIRY_DUE": str(EXPIRY_DUE),
            "BENCH_DATABASE_SUFFIX": EXPIRY_DATABASE_SUFFIX,
            "BENCH_EXPIRY_OUT": out.name,
        }
        subprocess.run([sys.executable, str(ROOT / "scripts" / "bench"), "expiry"], env=env, check=True)  # noqa: S603
        found = json.loads(Path(out.name).read_text(encoding="utf-8"))
    results.extend(tuple(row) for row in found["results"])
    EXPIRY_NOTES[:] = found["notes"]


def _in_expiry_database() -> bool:
    return os.environ.get("BENCH_DATABASE_SUFFIX") == EXPIRY_DATABASE_SUFFIX


def _expiry_here(results) -> None:
    """The daily expiry job (R-DIS-3; subjects.disclosure.records_expire) over EXPIRY_RECORDS records of which
    EXPIRY_DUE are due: one timed run (it changes the data), then the second run that finds nothing; the history
    is checked complete (one archive history row and one timeline event per archived record)."""
    from django.utils import timezone

    from creditportal.models import AuditEvent
    from subjects.disclosure import records_due, records_expire
    from subjects.models import CreditRecord

    department = _expiry_data()
    today = timezone.localdate()
    due = records_due(today=today).count()
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    started_at = timezone.now()
    started = time.perf_counter()
    result = records_expire(today=today)
    first = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    again = records_expire(today=today)
    second = (time.perf_counter() - started) * 1000
    history = CreditRecord.history.filter(status="archived", history_date__gte=started_at).count()
    events = AuditEvent.objects.filter(action="subjects.record.archive", pk__gt=last_event).count()
    total = CreditRecord.objects.filter(department=department).count()
    complete = history == result.archived == due == events and again.archived == 0
    for label, ms in (
        (f"daily expiry: {result.archived:,} of {total:,} records archived, history in bulk", first),
        ("daily expiry run again the same day (nothing due)", second),
    ):
        results.append((label, ms))
        print(f"  {label}: {ms:.1f} ms", flush=True)
    met = "met" if first / 1000 < EXPIRY_TARGET_S else "**missed**"
    EXPIRY_NOTES[:] = [
        "## Daily expiry (R-DIS-3)",
        "",
        f"{total:,} records, {due:,} due; archived {result.archived:,} in {result.batches} "
        f"batches in {first / 1000:,.0f} s ({result.archived / first * 1000:,.0f} records/s; target for 1,000,000 "
        f"due among 10,000,000: under {EXPIRY_TARGET_S // 60} minutes, {met}), {result.failed} failed; history rows "
        f"{history:,}, timeline events {events:,}: {'complete' if complete else 'INCOMPLETE'}."
        + (
            f" The records are in a database of their own (`…{EXPIRY_DATABASE_SUFFIX}`): the other sections' records "
            "table stays at its own size."
            if _in_expiry_database()
            else ""
        ),
        "",
    ]


LEDGER_WRITERS = size("LEDGER_WRITERS", 32, 4)
LEDGER_COMMITS = size("LEDGER_COMMITS", 250, 10)
#: What the audit ledger section of docs/benchmarks.md says (filled by add_ledger_results).
LEDGER_NOTES: list[str] = []


def add_ledger_results(results) -> None:
    """The audit ledger under concurrent writers (issue 21; creditportal.ledger): LEDGER_WRITERS threads, each with
    its own connection, each commits LEDGER_COMMITS audit events one by one (each copied into the ledger in its own
    transaction); then the sealer chains them all, and the chain is verified from the first of them: no fork, no
    gap. For comparison, the same writers with the copying trigger switched off."""
    import threading

    from django.db import connections
    from django.utils import timezone

    from creditportal import ledger
    from creditportal.models import AuditEvent, LedgerEntry

    def write_all() -> tuple[float, int]:
        barrier = threading.Barrier(LEDGER_WRITERS + 1)
        failures: list[BaseException] = []

        def writer(n: int) -> None:
            try:
                barrier.wait()
                for i in range(LEDGER_COMMITS):
                    AuditEvent.objects.create(at=timezone.now(), action="bench.ledger", reason=f"{n}-{i}")
            except BaseException as error:  # noqa: BLE001 -- counted below
                failures.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(LEDGER_WRITERS)]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started, len(failures)

    ledger.seal_all()
    first = ledger.first_position_after_now()
    written, failed = write_all()
    started = time.perf_counter()
    sealed = ledger.seal_all()
    sealing = time.perf_counter() - started
    entries = LedgerEntry.objects.filter(seq__gte=first, source="creditportal_auditevent").count()
    with connection.cursor() as cursor:
        # autovacuum is off on the bench's server: without fresh statistics the verification's join on the ledger's
        # text source_id (2,000,000 entries after the access section) was planned as a nested loop (12 minutes here)
        cursor.execute("ANALYZE creditportal_ledgerentry")
        cursor.execute("ANALYZE creditportal_auditevent")
    report = ledger.verify(since=first)
    last_copied = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE creditportal_auditevent DISABLE TRIGGER {ledger.TRIGGER}")
    try:
        bare, _failed = write_all()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE creditportal_auditevent ENABLE TRIGGER {ledger.TRIGGER}")
        # the rows written without the trigger are no evidence of anything, and the next run's verification would
        # rightly find them missing from the ledger: the bench database drops them (the application never deletes)
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM creditportal_auditevent WHERE id > %s AND action = 'bench.ledger'", [last_copied]
            )
    commits = LEDGER_WRITERS * LEDGER_COMMITS
    rows = [
        (
            f"audit ledger: {commits:,} commits by {LEDGER_WRITERS} writers, each copied ({commits / written:,.0f}/s)",
            written * 1000,
        ),
        (f"audit ledger: the same commits without the ledger ({commits / bare:,.0f}/s)", bare * 1000),
        (f"audit ledger: sealing {sealed:,} entries ({sealed / sealing:,.0f} entries/s)", sealing * 1000),
    ]
    for label, ms in rows:
        results.append((label, ms))
        print(f"  {label}: {ms:.1f} ms", flush=True)
    verdict = "intact: no fork, no gap" if report.intact else "BROKEN: " + "; ".join(map(str, report.findings[:3]))
    LEDGER_NOTES[:] = [
        "## Audit ledger (issue 21)",
        "",
        f"{LEDGER_WRITERS} writers, each on its own connection, committed {LEDGER_COMMITS} audit events each "
        f"({commits:,} commits, {failed} failed) in {written:.1f} s: {commits / written:,.0f} entries/s written "
        f"into the ledger, against {commits / bare:,.0f} commits/s with its trigger off. The sealer then chained "
        f"{sealed:,} entries in {sealing:.2f} s ({sealed / sealing:,.0f} entries/s); {entries:,} of them are these "
        f"events. The chain from the first of them verified {verdict}.",
        "",
    ]


N_PUBLIC = size("PUBLIC", 100_000, 1_000)
PUBLIC_SAMPLES = size("PUBLIC_SAMPLES", 40, 3)
PUBLIC_NOTES: list[str] = []


def ensure_public_data() -> None:
    _public_rows()


def _public_rows() -> None:
    """100,000 listed designations and their published entries (issue 22), in SQL: a designation per subject of
    the bench data, one standard, 20% of them withdrawn (they must not cost the list anything). The entries already
    written are left out by ``NOT IN`` (a subquery read once, hashed): ``NOT EXISTS`` was planned, on a table
    analysed while empty, as a nested loop that scanned the growing table once per designation (on a fresh bench
    database it ran for more than 8 minutes without ending)."""
    from catalog.models import DesignationStandard
    from designations.models import Publication

    if Publication.objects.count() >= N_PUBLIC:
        return
    standard = DesignationStandard.objects.order_by("pk").first()
    if standard is None:
        demo_once()  # the demo catalog holds the designation standards
        standard = DesignationStandard.objects.order_by("pk").first()
    caseworker, _ = User.objects.get_or_create(username="bench-caseworker")
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            with_defaults(
                """
            INSERT INTO designations_designation
                (created_at, updated_at, version, state, source, court_list_reference, facts, reasons,
                 proposed_listing_months, leniency, leniency_reasons, proportionality_statement, decision_number,
                 served_at, listed_from, listed_until, removal_reason, caseworker_id, department_id, standard_id,
                 subject_id)
            SELECT now(), now(), 1, 'listed', 'ordinary', '', '事实', '', 36, 'none', '', '',
                   '基准测试〔2026〕' || s.id || '号', now() - (s.id %% 700) * interval '1 day',
                   current_date - (s.id %% 700)::int, current_date - (s.id %% 700)::int + 1095, '', %s, s.department_id, %s,
                   s.id
            FROM subjects_creditsubject s ORDER BY s.id LIMIT %s
            """
            ),
            [caseworker.pk, standard.pk, N_PUBLIC],
        )
        cursor.execute(
            with_defaults(
                """
            INSERT INTO designations_publication
                (designation_id, department_id, published_at, withdrawn_at, withdrawal_cause, subject_name,
                 subject_is_person, identifier, department_name, standard_title, sector, decision_number,
                 listed_from, listed_until, measures)
            SELECT d.id, d.department_id, d.served_at,
                   CASE WHEN d.id %% 5 = 0 THEN now() ELSE NULL END,
                   CASE WHEN d.id %% 5 = 0 THEN 'restoration' ELSE '' END,
                   s.name, s.kind = 'natural_person', s.id_number, dep.name, %s, %s, d.decision_number,
                   d.listed_from, d.listed_until, '限制参与政府采购'
            FROM designations_designation d JOIN subjects_creditsubject s ON s.id = d.subject_id
            JOIN creditportal_department dep ON dep.id = d.department_id
            WHERE d.state = 'listed' AND d.id NOT IN (SELECT p.designation_id FROM designations_publication p)
            """
            ),
            [standard.title, standard.sector],
        )
        cursor.execute("ANALYZE designations_designation")
        cursor.execute("ANALYZE designations_publication")
    print(f"bench: public list data ready in {time.monotonic() - started:.0f} s", flush=True)


def add_public_results(results) -> None:
    """The public list over 100,000 entries (issue 22: search p95 under 100 ms), through HTTP as a visitor."""
    from designations.models import Publication

    ensure_public_data()
    client = Client()
    probe = Publication.objects.filter(withdrawn_at__isnull=True, subject_is_person=False).order_by("pk")[
        min(1000, N_PUBLIC // 4)
    ]
    searches = {
        "public list page 1 (HTTP, no sign-in)": {},
        "public list page 50": {"page": 50},
        "public list, name contains": {"q": probe.subject_name[-6:]},
        "public list, code's beginning": {"q": probe.identifier[:12]},
        "public list, department and sector": {"department": probe.department_id, "sector": probe.sector},
        "public list as of 30 days ago": {
            "as_of": (timezone.localtime() - datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
        },
    }
    for label, params in searches.items():
        client.get(reverse("public_list"), params)  # warm-up
        samples = []
        for _ in range(PUBLIC_SAMPLES):
            started = time.perf_counter()
            response = client.get(reverse("public_list"), params)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"bench: {label} answered {response.status_code}")
        samples.sort()
        p95 = samples[int(len(samples) * 0.95) - 1]
        results.append((f"{label} (p95 {p95:.0f} ms)", statistics.median(samples)))
        print(f"  {label}: median {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms", flush=True)
    verify_ms = _verify_results(results)
    open_count = Publication.objects.filter(withdrawn_at__isnull=True).count()
    PUBLIC_NOTES[:] = [
        "",
        f"Public list (issue 22): {Publication.objects.count():,} published entries, {open_count:,} on the list now;",
        f"each page fetched {PUBLIC_SAMPLES} times by an anonymous visitor through HTTP (the template rendered), the p95 in the",
        "label. The list is the ledger's open rows on a partial index, newest first; names are searched on a trigram",
        "index, codes on a pattern index; withdrawn entries cost nothing.",
        f"A credit report verified by its code (HN 28; target under 200 ms) among {N_PUBLIC:,} reports: median "
        f"{verify_ms[0]:.1f} ms, p95 {verify_ms[1]:.1f} ms (the unique index on the code; the page through HTTP).",
    ]


def _verify_results(results) -> tuple[float, float]:
    """The public verification of a credit report by its code among 100,000 reports (issue 22: under 200 ms)."""
    from subjects.models import CreditReport

    if CreditReport.objects.count() < N_PUBLIC:
        with connection.cursor() as cursor:
            cursor.execute(
                with_defaults(
                    """
                INSERT INTO subjects_creditreport
                    (created_at, updated_at, version, department_id, subject_id, period_from, period_to, sectors,
                     as_of, verification_code, revoked_at, revocation_reason)
                SELECT now(), now(), 1, s.department_id, s.id, current_date - 1825, current_date, '[]'::jsonb,
                       now() - (s.id %% 365) * interval '1 day',
                       upper(substr(md5(s.id::text || 'report'), 1, 4) || '-' || substr(md5(s.id::text || 'report'), 5, 4)
                             || '-' || substr(md5(s.id::text || 'report'), 9, 4) || '-'
                             || substr(md5(s.id::text || 'report'), 13, 4)),
                       CASE WHEN s.id %% 10 = 0 THEN now() ELSE NULL END, ''
                FROM subjects_creditsubject s ORDER BY s.id LIMIT %s
                ON CONFLICT (verification_code) DO NOTHING
                """
                ),
                [N_PUBLIC],
            )
            cursor.execute("ANALYZE subjects_creditreport")
    codes = list(CreditReport.objects.order_by("?").values_list("verification_code", flat=True)[:PUBLIC_SAMPLES])
    client = Client()
    client.get(reverse("report_verify"), {"code": codes[0]})  # warm-up
    samples = []
    for code in codes:
        started = time.perf_counter()
        response = client.get(reverse("report_verify"), {"code": code})
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200 or code not in response.content.decode():
            raise SystemExit(f"bench: the verification of {code} answered {response.status_code}")
    samples.sort()
    median, p95 = statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
    results.append((f"credit report verified by its code (p95 {p95:.0f} ms)", median))
    print(f"  credit report verified by its code: median {median:.1f} ms, p95 {p95:.1f} ms", flush=True)
    return median, p95
