"""The bench data at provincial scale, set-based in SQL (``INSERT … SELECT generate_series``): a million rows in
seconds, not a million ORM saves. Built once and reused; BENCH_REBUILD=1 builds it again.

Two departments, BENCH-A (3/5 of everything) and BENCH-B (2/5); a caseworker and a supervisor of BENCH-A, and a
caseworker of both (the user who sees all the bench data). What the pages measured read is realistic; what they do
not read is left out and said so in the report: the rows' creation history (only the expiry's history is
measured), the designations' measures and documents, the cases' timelines, the identifiers' sealed copies.
"""

from __future__ import annotations

import json
import os
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from creditportal import identity
from creditportal.choices import Role
from creditportal.models import Department, Membership, User
from subjects.models import CreditSubject

from .common import (
    N_DESIGNATIONS,
    N_OBJECTIONS,
    N_RECORDS,
    N_RESTORATIONS,
    N_SUBJECTS,
    NOTES,
    ROOT,
    indexes_deferred,
    restore_deferred_indexes,
    say,
    with_defaults,
)

#: How long each part of the build took (seconds), for the report; kept in var/ for the runs that reuse the data.
BUILD_TIMES: dict[str, float] = {}
BUILD_RECORD = ROOT / "var" / "bench-build.json"


def ensure_database() -> None:
    import psycopg

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or None, user=db["USER"], dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if exists and os.environ.get("BENCH_REBUILD"):
            conn.execute(f'DROP DATABASE "{db["NAME"]}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    say(f"database {db['NAME']} migrated in {time.monotonic() - started:.0f} s")


def _step(name: str, sql: str, params: list) -> None:
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(with_defaults(sql), params)
        rows = cursor.rowcount
    BUILD_TIMES[name] = BUILD_TIMES.get(name, 0) + time.monotonic() - started
    say(f"{name}: {rows:,} rows in {BUILD_TIMES[name]:.0f} s")


#: Where each bench department receives statements (a prior notice names it, R-DES-1: without it none is issued).
BENCH_CONTACT = {
    "BENCH-A": ("海南省海口市美兰区国兴大道5号", "信用监督管理处 0898-6500 1101", "海南省人民政府"),
    "BENCH-B": ("海南省海口市龙华区滨海大道8号", "信用监督管理处 0898-6500 1102", "海南省人民政府"),
}


def departments() -> tuple[Department, Department]:
    from creditportal.audit import system_user, tracked_save

    found = []
    for code, name in (("BENCH-A", "基准测试甲局"), ("BENCH-B", "基准测试乙局")):
        address, contact, government = BENCH_CONTACT[code]
        department, _created = Department.objects.get_or_create(
            code=code, defaults={"name": name, "level": "province", "kind": "industry_regulator"}
        )
        if not department.address:  # a bench database built before the departments had their contact
            department.address, department.contact, department.government = address, contact, government
            tracked_save(department, actor=system_user(), reason="基准测试部门的联系方式")
        found.append(department)
    big, small = found
    return big, small


def users() -> dict[str, User]:
    """The bench department's caseworker and supervisor, and a caseworker of both departments (sees all the bench
    data): confirmed roles, so the pages show them what their department holds."""
    big, small = departments()
    now = timezone.now()
    found = {}
    for username, memberships in (
        ("bench-caseworker", [(big, Role.CASEWORKER)]),
        ("bench-supervisor", [(big, Role.SUPERVISOR)]),
        ("bench-all", [(big, Role.CASEWORKER), (small, Role.CASEWORKER)]),
    ):
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": username})
        for department, role in memberships:
            Membership.objects.get_or_create(
                user=user, department=department, role=role, defaults={"confirmed_at": now}
            )
        found[username] = user
    return found


def build_data() -> None:
    """Everything the lists read, unless it is there already (the subjects' count and the last step's rows)."""
    from demo.seed import seed_demo
    from objections.models import Objection

    restore_deferred_indexes()  # an interrupted build's
    big, small = departments()
    people = users()
    from creditportal.models import Deadline
    from designations.models import Designation
    from restoration.models import RestorationApplication
    from subjects.models import CreditRecord

    bench = [big.pk, small.pk]
    have_rows = (
        CreditSubject.objects.filter(department__in=bench).count() >= N_SUBJECTS
        and CreditRecord.objects.filter(department__in=bench).count() >= N_RECORDS
    )
    steps = [
        (model, step)
        for model, step in (
            (Designation, _designations),
            (Objection, _objections),
            (RestorationApplication, _restorations),
            (Deadline, _deadlines),
        )
        if not (have_rows and model.objects.filter(department__in=bench).exists())
    ]
    if have_rows and not steps:
        say("bench data present (BENCH_REBUILD=1 builds it again)")
        return
    say(
        f"generating {N_SUBJECTS:,} subjects, {N_RECORDS:,} records, {N_DESIGNATIONS:,} designations, "
        f"{N_OBJECTIONS:,} objections, {N_RESTORATIONS:,} restorations and their deadlines"
        + (" (the subjects and records are there: the rest)" if have_rows else "")
        + " …"
    )
    if have_rows:  # an interrupted build's times so far
        BUILD_TIMES.update({k: v for k, v in _kept_times().items() if k not in ("total", "at", "database")})
    else:
        BUILD_TIMES.clear()
    started = time.monotonic()
    if not have_rows:
        with indexes_deferred("subjects_creditsubject"):
            _subjects(big, small)
        BUILD_TIMES["subjects' indexes"] = time.monotonic() - started - BUILD_TIMES["subjects"]
        mark = time.monotonic()
        seed_demo()  # the published catalog, the designation standards, the system user (after: its subjects stay)
        BUILD_TIMES["demo data"] = time.monotonic() - mark
        mark = time.monotonic()
        with indexes_deferred("subjects_creditrecord", "subjects_basisdocument"):
            _records(big, small, people)
        BUILD_TIMES["records' indexes"] = (
            time.monotonic() - mark - BUILD_TIMES["credit records"] - BUILD_TIMES["basis documents"]
        )
        _keep_times()
    for _model, step in steps:
        step(people)
        _keep_times()
    settle()
    BUILD_TIMES["total"] = sum(v for k, v in BUILD_TIMES.items() if k != "total")
    say(f"bench data ready in {time.monotonic() - started:.0f} s (all steps: {BUILD_TIMES['total']:.0f} s)")
    _keep_times()


GENERATED_TABLES = (
    "subjects_creditsubject",
    "subjects_basisdocument",
    "subjects_creditrecord",
    "designations_designation",
    "designations_publication",
    "objections_objection",
    "restoration_restorationapplication",
    "creditportal_deadline",
)


def settle() -> None:
    """VACUUM (ANALYZE) the generated tables that were never vacuumed: what autovacuum does to a table that has
    lived a while (visibility map, hint bits, statistics), so the pages read the data as a deployment's would be,
    not as a bulk load leaves it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) "
            "AND last_vacuum IS NULL AND last_autovacuum IS NULL",
            [list(GENERATED_TABLES)],
        )
        for (table,) in cursor.fetchall():
            started = time.monotonic()
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
            say(f"{table} vacuumed and analysed in {time.monotonic() - started:.0f} s")


def _kept_times() -> dict:
    try:
        kept = json.loads(BUILD_RECORD.read_text())
    except (OSError, ValueError):
        return {}
    return kept if kept.get("database") == settings.DATABASES["default"]["NAME"] else {}


def _keep_times() -> None:
    BUILD_RECORD.parent.mkdir(parents=True, exist_ok=True)
    BUILD_RECORD.write_text(
        json.dumps(
            {"database": settings.DATABASES["default"]["NAME"], "at": time.strftime("%Y-%m-%d %H:%M"), **BUILD_TIMES}
        )
    )


def _subjects(big, small) -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE subjects_creditsubject CASCADE")
        # The identifiers' digests as creditportal.identity computes them (HMAC-SHA256 with the suite's key), in SQL
        # (pgcrypto); a person's number masked. The encrypted numbers are left empty: no page measured opens them.
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    _step(
        "subjects",
        """
        INSERT INTO subjects_creditsubject
            (created_at, updated_at, version, department_id, kind, name, id_type, id_number, id_digest,
             id_sealed, ownership, employer, employer_kind, address, is_active)
        SELECT now(), now(), 1, CASE WHEN g % 5 < 3 THEN %s ELSE %s END,
               CASE WHEN g % 3 = 0 THEN 'legal_person' ELSE 'natural_person' END,
               (ARRAY['王','李','张','刘','陈','杨','黄','赵','吴','周'])[1 + g % 10]
                 || (ARRAY['伟','芳','娜','敏','静','丽','强','磊','军','洋'])[1 + (g / 10) % 10]
                 || CASE WHEN g % 3 = 0 THEN '贸易有限公司' ELSE '' END || g::text,
               CASE WHEN g % 3 = 0 THEN 'uscc' ELSE 'ric' END,
               CASE WHEN g % 3 = 0 THEN lpad(g::text, 18, '0')
                    ELSE left(lpad(g::text, 18, '0'), 4) || repeat('*', 10) || right(lpad(g::text, 18, '0'), 4) END,
               encode(hmac(convert_to(lpad(g::text, 18, '0'), 'UTF8'), %s::bytea, 'sha256'), 'hex'), '',
               'private', '', 'private', '', true
        FROM generate_series(1, %s) AS g
        """.replace("%", "%%").replace("%%s", "%s"),
        [big.pk, small.pk, identity.suite().hash_key, N_SUBJECTS],
    )


def _first_id(table: str, where: str = "", params: list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id) FROM {table} {where}", params or [])  # noqa: S608 -- the bench's own table names
        return cursor.fetchone()[0]


def _records(big, small, people) -> None:
    """Credit records, three a subject on average, in the subject's department, 3/4 of them untrustworthy conduct on
    a punishment decision (a decision grounds three records): 70% active (2% of those corrected, the correction
    still to be sent on, 1% labelled under objection), 18% archived at the end of their period, 3% withdrawn on a
    sustained objection, 1% revoked, 1% suspended; trustworthy information active or hidden at the subject's
    request. Active periods end at least a year from now, so the bench's daily expiry finds none of them due."""
    from catalog.models import CatalogItem
    from catalog.selectors import catalog_published

    published = catalog_published()
    untrustworthy = list(
        CatalogItem.objects.filter(version=published, is_untrustworthy=True).order_by("pk").values_list("pk", flat=True)
    )[:8] or list(CatalogItem.objects.filter(is_untrustworthy=True).order_by("pk").values_list("pk", flat=True)[:8])
    trustworthy = (
        list(
            CatalogItem.objects.filter(version=published, is_untrustworthy=False)
            .order_by("pk")
            .values_list("pk", flat=True)
        )[:4]
        or untrustworthy
    )
    n_basis = max(1, N_RECORDS // 3)
    with connection.cursor() as cursor:  # an interrupted build's (their records went with the subjects)
        cursor.execute("DELETE FROM subjects_basisdocument WHERE number LIKE %s", ["基准罚决字%"])
    _step(
        "basis documents",
        """
        INSERT INTO subjects_basisdocument
            (created_at, updated_at, version, basis_type, number, issuing_authority, effective_on,
             simplified_procedure, file, department_id)
        SELECT now(), now(), 1, 'punishment_decision', '基准罚决字〔' || (2020 + b % 6) || '〕' || b || '号',
               CASE WHEN b % 5 < 3 THEN '基准测试甲局' ELSE '基准测试乙局' END,
               current_date - 3300 + (b % 1400), false, '', CASE WHEN b % 5 < 3 THEN %s ELSE %s END
        FROM generate_series(1, %s) AS b
        """.replace("%", "%%").replace("%%s", "%s"),
        [big.pk, small.pk, n_basis],
    )
    first_subject = _first_id("subjects_creditsubject")
    first_basis = _first_id("subjects_basisdocument", "WHERE number LIKE %s", ["基准罚决字%"])
    _step(
        "credit records",
        """
        INSERT INTO subjects_creditrecord
            (created_at, updated_at, version, kind, status, summary, determined_on, conduct_ended_on,
             disclosure_from, disclosure_until, basis_document_id, catalog_item_id, department_id, recorded_by_id,
             subject_id, archive_reason, archived_at, sharing_due, sharing_flag, under_objection_since,
             deletion_application)
        SELECT now() - x.age * interval '1 day', now(), CASE WHEN x.r < 2 THEN 2 ELSE 1 END,
               CASE WHEN x.r >= 92 THEN 'trustworthy' ELSE 'untrustworthy' END,
               CASE WHEN x.r < 70 OR x.r >= 95 THEN 'active' WHEN x.r < 88 THEN 'archived'
                    WHEN x.r < 91 THEN 'withdrawn' WHEN x.r = 91 THEN 'revoked' WHEN x.r < 94 THEN 'hidden'
                    ELSE 'suspended' END,
               CASE WHEN x.r >= 92 THEN '志愿服务表彰（第' || x.g || '号）'
                    ELSE '未按期履行行政处罚决定（第' || x.g || '号）' END,
               x.determined, NULL, x.determined,
               CASE WHEN x.r >= 92 THEN NULL ELSE x.determined + 1825 END,
               CASE WHEN x.r >= 92 THEN NULL ELSE %s + (x.g - 1) % %s END,
               CASE WHEN x.r >= 92 THEN (%s::bigint[])[1 + x.g % %s] ELSE (%s::bigint[])[1 + x.g % %s] END,
               CASE WHEN x.sg % 5 < 3 THEN %s ELSE %s END, %s, %s + x.sg - 1,
               CASE WHEN x.r >= 70 AND x.r < 88 THEN 'period_ended' ELSE '' END,
               CASE WHEN x.r >= 70 AND x.r < 88 THEN (x.determined + 1826)::timestamptz END,
               CASE WHEN x.r < 2 THEN current_date + 3 END,
               CASE WHEN x.r < 2 THEN 'change' WHEN x.r >= 88 AND x.r < 92 THEN 'withdraw' ELSE '' END,
               CASE WHEN x.r = 2 THEN now() - interval '3 days' END, ''
        FROM (
            SELECT g, 1 + (g - 1) % %s AS sg, (g / 7) % 100 AS r, (g * 37) % 1400 AS age,
                   current_date - (g * 37) % 1400 - CASE WHEN (g / 7) % 100 BETWEEN 70 AND 87 THEN 1900 ELSE 0 END
                       AS determined
            FROM generate_series(1, %s) AS g
        ) AS x
        """.replace("%", "%%").replace("%%s", "%s"),
        [
            first_basis,
            n_basis,
            trustworthy,
            len(trustworthy),
            untrustworthy,
            len(untrustworthy),
            big.pk,
            small.pk,
            people["bench-caseworker"].pk,
            first_subject,
            N_SUBJECTS,
            N_RECORDS,
        ],
    )


#: (share of 100, state) of the designations generated; the public list's 100,000 listed designations come on top
#: (``sections._public_data``).
DESIGNATION_STATES = [
    (5, "draft"),
    (5, "pending_notice"),
    (8, "notified"),
    (7, "under_review"),
    (5, "awaiting_approval"),
    (3, "approved"),
    (4, "decision_issued"),
    (3, "served"),
    (25, "listed"),
    (25, "removed"),
    (5, "withdrawn"),
    (5, "rejected"),
]
OBJECTION_STATES = [
    (10, "received"),
    (25, "verifying"),
    (5, "awaiting_assistance"),
    (3, "referred"),
    (7, "decided"),
    (45, "answered"),
    (5, "withdrawn"),
]
RESTORATION_STATES = [
    (10, "received"),
    (10, "accepted"),
    (15, "under_review"),
    (40, "granted"),
    (10, "not_granted"),
    (10, "refused"),
    (5, "withdrawn"),
]


def _state_case(states, expression: str) -> str:
    """SQL: the state for ``expression`` in 0..99, by the shares of ``states``."""
    parts, upper = [], 0
    for share, state in states:
        upper += share
        parts.append(f"WHEN {expression} < {upper} THEN '{state}'")
    return "CASE " + " ".join(parts) + " END"


def _designations(people) -> None:
    """Designations of subjects spread over the table, in every state of the due process (R-DES-1 to R-DES-5)."""
    from catalog.models import DesignationStandard

    standard = DesignationStandard.objects.filter(status="published").order_by("pk").first()
    standard = standard or DesignationStandard.objects.order_by("pk").first()
    state = _state_case(DESIGNATION_STATES, "x.r")
    _step(
        "designations",
        f"""
        INSERT INTO designations_designation
            (created_at, updated_at, version, state, source, court_list_reference, facts, reasons,
             proposed_listing_months, leniency, leniency_reasons, proportionality_statement, approved_at,
             decision_number, served_at, listed_from, listed_until, removed_at, removal_reason, approver_id,
             caseworker_id, department_id, standard_id, subject_id, statement_period_wd)
        SELECT now() - x.age * interval '1 day', now(), 3, x.state, 'ordinary', '', '逾期未履行行政处罚决定，情节严重',
               '', 36, 'none', '', '与违法行为的性质和情节相当',
               CASE WHEN x.state IN ('approved','decision_issued','served','listed','removed')
                    THEN now() - (x.age - 20) * interval '1 day' END,
               CASE WHEN x.state IN ('decision_issued','served','listed','removed')
                    THEN '基准认定〔' || (2021 + x.g % 5) || '〕' || x.g || '号' ELSE '' END,
               CASE WHEN x.state IN ('served','listed','removed') THEN now() - (x.age - 30) * interval '1 day' END,
               CASE WHEN x.state IN ('listed','removed') THEN current_date - x.age + 30 END,
               CASE WHEN x.state IN ('listed','removed') THEN current_date - x.age + 30 + 1095 END,
               CASE WHEN x.state = 'removed' THEN now() - (x.age / 2) * interval '1 day' END,
               CASE WHEN x.state = 'removed' THEN
                    (ARRAY['expiry','restoration','objection_adopted','revocation'])[1 + x.g % 4] ELSE '' END,
               CASE WHEN x.state IN ('approved','decision_issued','served','listed','removed') THEN %s END,
               %s, s.department_id, %s, s.id,
               CASE WHEN x.state NOT IN ('draft','pending_notice') THEN 5 END
        FROM (
            SELECT g, (g * 37) % 100 AS r, {state.replace("x.r", "((g * 37) % 100)")} AS state,
                   40 + (g * 13) % 900 AS age
            FROM generate_series(1, %s) AS g
        ) AS x
        JOIN subjects_creditsubject s ON s.id = %s + (x.g::bigint * 7919) % %s
        """.replace("%", "%%").replace("%%s", "%s"),  # noqa: S608 -- the bench's own constants
        [
            people["bench-supervisor"].pk,
            people["bench-caseworker"].pk,
            standard.pk,
            N_DESIGNATIONS,
            _first_id("subjects_creditsubject"),
            N_SUBJECTS,
        ],
    )


def _objections(people) -> None:
    """Objections (R-OBJ-1 to R-OBJ-7): 85% about a record, 15% about a designation; open ones received in the
    last four weeks (some past their answer date), the rest decided and answered, 30% of those sustained."""
    state = _state_case(OBJECTION_STATES, "((g * 37) % 100)")
    common_columns = """
        (created_at, updated_at, version, kind, target, ground, grounds_text, evidence, received_at, labelled_at,
         labelled_by_id, due_date, state, referred_to, outcome, reasons, decided_at, decided_by_id, department_id,
         designation_id, record_id, subject_id, applicant, applicant_contact, assistance_reply, assistance_request,
         assistance_requested_at, collector, record_remedy, extension_request_grounds, withdrawal_document)
    """
    select = """
        SELECT x.received, now(), 2, 'objection', %s, (ARRAY['error','omission','beyond_period','rights_violation'])[1 + x.g % 4],
               '记录与事实不符，申请更正', '', x.received,
               CASE WHEN x.state <> 'received' THEN x.received + interval '1 day' END,
               CASE WHEN x.state <> 'received' THEN %s END,
               (x.received + interval '21 days')::date, x.state,
               CASE WHEN x.state = 'referred' THEN '基准测试主管部门' ELSE '' END,
               CASE WHEN x.state IN ('decided','answered') THEN
                    CASE WHEN x.g % 10 < 3 THEN 'sustained' ELSE 'not_sustained' END ELSE '' END,
               CASE WHEN x.state IN ('decided','answered') THEN '经核查，依法作出处理' ELSE '' END,
               CASE WHEN x.state IN ('decided','answered') THEN x.received + interval '12 days' END,
               CASE WHEN x.state IN ('decided','answered') THEN %s END,
               t.department_id, {designation}, {record}, t.subject_id, '申请人' || x.g, '1380000' || lpad((x.g % 10000)::text, 4, '0'),
               '', CASE WHEN x.state = 'awaiting_assistance' THEN '请协助核实' ELSE '' END,
               CASE WHEN x.state = 'awaiting_assistance' THEN x.received + interval '2 days' END, '',
               CASE WHEN x.state IN ('decided','answered') AND x.g % 10 < 3 AND %s = 'record' THEN 'correct' ELSE '' END,
               '', ''
        FROM (
            SELECT g, {state} AS state,
                   now() - CASE WHEN {state} IN ('received','verifying','awaiting_assistance','referred')
                                THEN (g % 28) ELSE 30 + (g * 11) % 700 END * interval '1 day' AS received
            FROM generate_series(1, %s) AS g
        ) AS x
        JOIN {table} t ON t.id = %s + (x.g::bigint * 104729) % %s
    """
    on_records = N_OBJECTIONS * 85 // 100
    for target, table, count, total, designation, record in (
        ("record", "subjects_creditrecord", on_records, N_RECORDS, "NULL", "t.id"),
        ("designation", "designations_designation", N_OBJECTIONS - on_records, N_DESIGNATIONS, "t.id", "NULL"),
    ):
        sql = select.format(state=state, table=table, designation=designation, record=record)
        _step(
            f"objections about a {target}",
            ("INSERT INTO objections_objection " + common_columns + sql).replace("%", "%%").replace("%%s", "%s"),
            [
                target,
                people["bench-caseworker"].pk,
                people["bench-caseworker"].pk,
                target,
                count,
                _first_id(
                    table, "WHERE department_id IN (SELECT id FROM creditportal_department WHERE code LIKE 'BENCH-_')"
                ),
                total,
            ],
        )


def _restorations(people) -> None:
    """Restoration applications (R-RES-1 to R-RES-5): 70% for a record, 30% for a designation."""
    state = _state_case(RESTORATION_STATES, "((g * 37) % 100)")
    columns = """
        (created_at, updated_at, version, method, evidence, evidence_file, evidence_file_name, received_at,
         promised_by, promised_wd, state, decision_reasons, decided_at, decided_by_id, review_opinion, reviewed_by_id,
         commitment, department_id, designation_id, record_id, subject_id)
    """
    select = """
        SELECT x.received, now(), 2,
               (ARRAY['pledge','rectification','training','public_interest'])[1 + x.g % 4],
               '已履行处罚决定并完成整改', '', '', x.received,
               (x.received + interval '30 days')::date, 15, x.state,
               CASE WHEN x.state IN ('granted','not_granted','refused') THEN '经审核，依法作出决定' ELSE '' END,
               CASE WHEN x.state IN ('granted','not_granted','refused') THEN x.received + interval '10 days' END,
               CASE WHEN x.state IN ('granted','not_granted','refused') THEN %s END,
               CASE WHEN x.state IN ('granted','not_granted') THEN '同意' ELSE '' END,
               CASE WHEN x.state IN ('granted','not_granted') THEN %s END,
               '本单位承诺依法诚信经营', t.department_id, {designation}, {record}, t.subject_id
        FROM (
            SELECT g, {state} AS state,
                   now() - CASE WHEN {state} IN ('received','accepted','under_review')
                                THEN (g % 25) ELSE 30 + (g * 17) % 700 END * interval '1 day' AS received
            FROM generate_series(1, %s) AS g
        ) AS x
        JOIN {table} t ON t.id = %s + (x.g::bigint * 15485863) % %s
    """
    on_records = N_RESTORATIONS * 70 // 100
    for target, table, count, total, designation, record in (
        ("record", "subjects_creditrecord", on_records, N_RECORDS, "NULL", "t.id"),
        ("designation", "designations_designation", N_RESTORATIONS - on_records, N_DESIGNATIONS, "t.id", "NULL"),
    ):
        _step(
            f"restorations of a {target}",
            (
                "INSERT INTO restoration_restorationapplication "
                + columns
                + select.format(state=state, table=table, designation=designation, record=record)
            )
            .replace("%", "%%")
            .replace("%%s", "%s"),
            [
                people["bench-supervisor"].pk,
                people["bench-supervisor"].pk,
                count,
                _first_id(
                    table, "WHERE department_id IN (SELECT id FROM creditportal_department WHERE code LIKE 'BENCH-_')"
                ),
                total,
            ],
        )


def _deadlines(_people=None) -> None:
    """A statutory clock per case: the objection's answer (R-OBJ-3, 15 WD from receipt), the restoration's decision
    (R-RES-2), the designation's statement period (R-DES-1); running while the case is open, met or cancelled after."""
    from designations.models import Designation
    from objections.models import Objection
    from restoration.models import RestorationApplication

    bench = "department_id IN (SELECT id FROM creditportal_department WHERE code LIKE 'BENCH-_')"
    for name, model, rule, article, anchor, days, open_states, cancelled, due, at in (
        (
            "objection deadlines",
            Objection,
            "R-OBJ-3",
            "海南省社会信用条例第三十条",
            "objection received",
            15,
            "('received','verifying','awaiting_assistance','referred')",
            "('withdrawn')",
            "t.due_date",
            "t.received_at",
        ),
        (
            "restoration deadlines",
            RestorationApplication,
            "R-RES-2",
            "海南省社会信用条例第三十二条",
            "application received",
            15,
            "('received','accepted','under_review')",
            "('withdrawn','refused')",
            "(t.received_at + interval '21 days')::date",
            "t.received_at",
        ),
        (
            "designation deadlines",
            Designation,
            "R-DES-1",
            "海南省社会信用条例第二十六条",
            "notice served",
            5,
            "('notified','pending_notice')",
            "('withdrawn','rejected','draft')",
            "(t.created_at + interval '9 days')::date",
            "t.created_at",
        ),
    ):
        content_type = ContentType.objects.get_for_model(model)
        _step(
            name,
            f"""
            INSERT INTO creditportal_deadline
                (created_at, updated_at, version, content_type_id, object_id, rule_id, article, anchor_event,
                 anchor_date, days, unit, due_date, provisional, status, met_at, department_id)
            SELECT {at}, now(), 1, %s, t.id, %s, %s, %s, {at}::date, %s, 'wd', {due}, false,
                   CASE WHEN t.state IN {open_states} THEN 'open' WHEN t.state IN {cancelled} THEN 'cancelled'
                        ELSE 'met' END,
                   CASE WHEN t.state NOT IN {open_states} AND t.state NOT IN {cancelled}
                        THEN {at} + interval '10 days' END,
                   t.department_id
            FROM {model._meta.db_table} t WHERE t.{bench}
            """.replace("%", "%%").replace("%%s", "%s"),  # noqa: S608 -- the bench's own constants
            [content_type.pk, rule, article, anchor, days],
        )


def describe() -> None:
    """The data section of the report: what is in the tables, counted."""
    from creditportal.models import Deadline
    from designations.models import Designation
    from objections.models import Objection
    from restoration.models import RestorationApplication
    from subjects.models import CreditRecord

    big, small = departments()
    bench = [big.pk, small.pk]

    def states(model, field="state") -> str:
        rows = model.objects.filter(department__in=bench).values_list(field).order_by(field).annotate(n=Count("pk"))
        return ", ".join(f"{value} {n:,}" for value, n in rows)

    subjects = CreditSubject.objects.filter(department__in=bench).count()
    own = CreditSubject.objects.filter(department=big).count()
    build = ""
    if "total" in BUILD_TIMES:
        build = (
            f" Generated in {BUILD_TIMES['total']:.0f} s in this run (target under 15 minutes; "
            + ", ".join(f"{k} {v:.0f} s" for k, v in BUILD_TIMES.items() if k != "total")
            + ")."
        )
    else:
        build = " Generated by an earlier run and reused (BENCH_REBUILD=1 builds it again)."
        kept = _kept_times()
        if "total" in kept:
            build = (
                f" Generated on {kept['at']} in {kept['total']:.0f} s (target under 15 minutes; "
                + ", ".join(f"{k} {v:.0f} s" for k, v in kept.items() if k not in ("total", "at", "database"))
                + ") and reused by this run."
            )
    NOTES["data"] = [
        "## Data",
        "",
        f"{subjects:,} credit subjects in two bench departments (BENCH-A holds {own:,}), "
        f"{CreditRecord.objects.filter(department__in=bench).count():,} credit records "
        f"({states(CreditRecord, 'status')}), "
        f"{Designation.objects.filter(department__in=bench).count():,} designations ({states(Designation)}), "
        f"{Objection.objects.filter(department__in=bench).count():,} objections ({states(Objection)}), "
        f"{RestorationApplication.objects.filter(department__in=bench).count():,} restoration applications "
        f"({states(RestorationApplication)}) and "
        f"{Deadline.objects.filter(department__in=bench).count():,} deadlines ({states(Deadline, 'status')})." + build,
        "Set-based SQL (`INSERT … SELECT generate_series`), the big tables' secondary indexes built after their rows "
        "(a bulk load's usual order) and the tables vacuumed after (as autovacuum leaves a table that has lived a "
        "while). The change feed's triggers stay on, as in a deployment: the generated records and public-list "
        "entries go through the feed as any write does, and those the platform sees have their feed entry and state, "
        "written at the commit of the transaction that made them (set-based: a statement's keys, then one flush). "
        "Left out because no measured page reads them: the rows' creation history, the "
        "designations' measures and documents, the cases' timelines, the persons' sealed identifiers.",
        "",
    ]
