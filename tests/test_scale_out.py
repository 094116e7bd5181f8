"""The scale-out layout exercised on this machine (issue 12): processes that share PostgreSQL and Redis."""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from creditportal.celery import BEAT_LOCK_KEY
from creditportal.choices import DepartmentKind, DepartmentLevel, Role
from creditportal.models import IssuedDocument
from creditportal.tests.factories import DepartmentFactory, user_with_role
from designations.models import Designation
from subjects import services as subject_services
from subjects.tests.factories import OrganisationFactory, PersonFactory
from tests.case_data import make_catalog
from tests.test_celery_integration import BROKER
from tests.test_gunicorn_faults import PASSWORD, Browser, free_port, start_gunicorn, wait_serving
from tests.test_worker_faults import redis_queue, start_worker, stop  # noqa: F401  (the redis_queue fixture)

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def start_beat(schedule: Path, extra_env=None, loglevel: str = "WARNING") -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "creditportal.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "SECRET_KEY": "integration-test-only",
        "CELERY_BEAT_LOCK_POLL_SECONDS": "0.5",
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "creditportal", "beat", f"--loglevel={loglevel}"]
    command += ["--schedule", str(schedule)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def lock_holders() -> list[int]:
    """The PostgreSQL backends holding the scheduler lock (a bigint key: high and low 32 bits)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %s AND objid = %s "
            "AND objsubid = 1",
            [BEAT_LOCK_KEY >> 32, BEAT_LOCK_KEY & 0xFFFF_FFFF],
        )
        return [row[0] for row in cursor.fetchall()]


def waiters() -> int:
    """The beats asking for the scheduler lock without holding it (the holder checks it holds it, issue 16)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity a WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND query LIKE %s AND NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND "
            "l.locktype = 'advisory' AND l.granted)",
            ["%pg_try_advisory_lock%"],
        )
        return cursor.fetchone()[0]


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout:.0f} s")


def test_exactly_one_beat_schedules_and_a_standby_takes_over_when_it_dies(tmp_path):
    """Two ``celery beat`` processes: one holds the scheduler lock, the other waits; the holder is killed with
    SIGKILL and the standby takes the lock (its connection went with the dead process)."""
    first = start_beat(tmp_path / "first-schedule")
    second = None
    try:
        wait_for(lambda: len(lock_holders()) == 1, 60, "the first beat did not take the scheduler lock")
        (holder,) = lock_holders()
        second = start_beat(tmp_path / "second-schedule")
        wait_for(lambda: waiters() == 1, 60, "the second beat did not start waiting")
        time.sleep(2)  # it keeps trying, and keeps failing, while the first runs
        assert lock_holders() == [holder]

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        wait_for(lambda: lock_holders() not in ([], [holder]), 30, "the standby did not take over")
        assert len(lock_holders()) == 1
        assert second.poll() is None
    finally:
        first_output = stop(first)
        second_output = stop(second) if second is not None else ""
    assert "waiting as a standby" in second_output, second_output[-3000:]
    assert "holds the scheduler lock and schedules" in first_output, first_output[-3000:]


# --- Two app servers and two workers, one case from draft to listing ------------------------------------------


def _people_and_record(settings):
    """The Haikou department, a caseworker and a supervisor who can log in over HTTP, a published standard and a
    company with its legal representative and an untrustworthy record (through the services)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    province = DepartmentFactory(
        code="HN-SAMR",
        name="海南省市场监督管理局",
        document_prefix="琼市监信",
        level=DepartmentLevel.PROVINCE,
        kind=DepartmentKind.INDUSTRY_REGULATOR,
    )
    haikou = DepartmentFactory(
        code="HK-SAMR",
        parent=province,
        name="海口市市场监督管理局",
        document_prefix="海口市监信",
        level=DepartmentLevel.PREFECTURE,
        kind=DepartmentKind.INDUSTRY_REGULATOR,
        address="海口市龙华区海秀中路88号",
        contact="信用监督管理科 0898-6500 0505",
        government="海口市人民政府",
    )
    people = {}
    for role, username in ((Role.CASEWORKER, "hk-caseworker"), (Role.SUPERVISOR, "hk-supervisor")):
        user = user_with_role(role, haikou, username=username)
        user.password = make_password(PASSWORD)
        user.save(update_fields=["password"])
        people[username] = user
    item, standard = make_catalog(actor=people["hk-caseworker"], department=haikou)
    company = OrganisationFactory(department=haikou, name="海口椰风食品有限公司", address="海口市龙华区滨海大道1号")
    subject_services.related_person_add(
        organisation=company,
        person=PersonFactory(department=haikou, name="王建国"),
        role="legal_representative",
        actor=people["hk-caseworker"],
        reason="工商登记信息",
    )
    record = subject_services.record_create(
        actor=people["hk-caseworker"],
        subject=company,
        catalog_item=item,
        summary="多次销售过期食品",
        determined_on=datetime.date(2026, 3, 2),
        basis={
            "basis_type": "punishment_decision",
            "number": "海口市监罚〔2026〕21号",
            "issuing_authority": "海口市市场监督管理局",
            "effective_on": datetime.date(2026, 3, 2),
        },
        reason="录入行政处罚信息",
    )
    return company, record, standard


def _done(answer, what: str) -> str:
    status, page, _ = answer
    assert status == 200 and "alert-success" in page, f"{what}: {status}\n{_messages(page)}"
    return page


def _messages(page: str) -> str:
    """The alerts and field errors of a page, for a failure's message."""
    found = re.findall(
        r'<(?:div|li|span)[^>]*class="[^"]*(?:alert|invalid-feedback|errorlist)[^"]*"[^>]*>(.*?)</', page, re.S
    )
    return "\n".join(re.sub(r"\s+", " ", f).strip() for f in found) or page[-3000:]


def _wait_rendered(kind: str, timeout: float = 90) -> IssuedDocument:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document = IssuedDocument.objects.filter(kind=kind).first()
        if document and document.sha256:
            return document
        time.sleep(0.3)
    raise AssertionError(f"the {kind} was not rendered within {timeout:.0f} s")


def test_two_app_servers_and_two_workers_take_a_designation_from_draft_to_listing(settings, tmp_path, redis_queue):  # noqa: F811
    """Two gunicorns and two Celery workers on this machine share PostgreSQL, Redis and the document store; the
    caseworker's and the supervisor's requests alternate between the servers (the session is in the database),
    the PDFs are rendered by whichever worker takes them, and the company ends up listed."""
    company, record, standard = _people_and_record(settings)
    media = tmp_path / "media"
    shared = {"MEDIA_ROOT": str(media), "CELERY_BROKER_URL": BROKER}
    ports = [free_port(), free_port()]
    servers = [start_gunicorn(port=port, extra_env=shared) for port in ports]
    workers = [start_worker(media_root=media, extra_env={"LOG_FORMAT": "json"}, loglevel="INFO") for _ in range(2)]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_serving(f"http://127.0.0.1:{port}", server)
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        caseworker = Browser(a)
        caseworker.login("hk-caseworker")

        def on(base: str) -> Browser:  # the same user agent (its cookies) through another app server
            caseworker.base = base
            return caseworker

        today = timezone.localdate().isoformat()
        new = f"/designations/new/subject/{company.pk}/"
        page = _done(
            on(b).submit(
                new,
                new,
                {
                    "standard": str(standard.pk),
                    "records": [str(record.pk)],
                    "measures": [str(m.pk) for m in standard.allowed_measures.all()],
                    "facts": "当事人于2026年3月多次销售超过保质期的食品，经查证属实。",
                    "reasons": "当事人的行为属于严重危害人民群众身体健康的失信行为。",
                    "proportionality_statement": "拟采取的措施与违法行为的性质、情节和社会危害程度相当。",
                    "statement_period_wd": "5",
                },
            ),
            "draft",
        )
        designation = Designation.objects.get()
        case = f"/designations/{designation.pk}/"
        assert caseworker.url.endswith(case) and page

        def act(base: str, name: str, reason: str, browser: Browser | None = None, **values) -> None:
            user = browser or on(base)
            user.base = base
            _done(user.submit(case, f"{case}act/{name}/", {"reason": reason, **values}), name)

        act(a, "issue_notice", "事实清楚，拟列入名单，告知当事人")
        notice = _wait_rendered("notice")
        act(b, "serve_notice", "当面送达法定代表人", method="直接送达", served_on=today, recipient="王建国")
        _done(
            on(a).submit(
                case,
                f"{case}statements/",
                {
                    "kind": "书面放弃陈述和申辩",
                    "received_on": today,
                    "text": "当事人书面声明放弃陈述和申辩的权利。",
                    "reason": "收到当事人签署的书面放弃声明",
                },
                files={"statement-file": ("放弃陈述申辩声明.pdf", b"%PDF-1.4 signed waiver", "application/pdf")},
            ),
            "waiver",
        )
        act(b, "close_statements", "当事人书面放弃陈述和申辩")
        act(a, "submit", "事实清楚、证据确凿，提请审批")

        supervisor = Browser(b)
        supervisor.login("hk-supervisor")
        act(b, "approve", "同意列入", browser=supervisor)

        act(a, "issue_decision", "经审批，作出认定决定")
        decision = _wait_rendered("decision")
        _wait_rendered("restoration_info")  # served with the decision, in the same act (R-NAT-4)
        act(b, "serve_decision", "当面送达法定代表人", method="直接送达", served_on=today, recipient="王建国")

        designation.refresh_from_db()
        assert designation.state == "listed", designation.state
        status, page, _ = on(a).request(case)
        assert status == 200 and "已列入" in page
        for document in (notice, decision):  # each PDF is in the shared store with its SHA-256
            assert hashlib.sha256((media / document.file.name).read_bytes()).hexdigest() == document.sha256
    finally:
        outputs = [stop(process) for process in (*servers, *workers)]
    rendered_by = [output.count("Rendering document") for output in outputs[2:]]
    assert sum(rendered_by) >= 2, outputs[2:]
    assert not any("Traceback" in output for output in outputs), "\n".join(o[-3000:] for o in outputs)
