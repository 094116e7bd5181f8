"""``make load``'s set-up (deploy/load/run.sh): the accounts the simulated people sign in with, and cases waiting
for approval, written to ``var/load/accounts.json`` for the locustfile.

``--data bench`` (the default of ``make load``): on ``make bench``'s data (1,000,000 subjects in BENCH-A and BENCH-B),
``--caseworkers`` caseworker and ``--supervisors`` supervisor accounts of those departments (3 in 5 in BENCH-A, as the
data), made for the run: a random password (never published) and, for a supervisor, a confirmed authenticator
whose key only the scenario knows (issue 21: supervisors sign in with a second factor).
``--data demo``: the demo's own caseworkers and supervisors (the demo password, their demo authenticators).

Either way, ``--awaiting`` designations are walked to "awaiting approval" through the services, as people would,
on a timeline in the past (the prior notice issued 60 days ago and rendered as the worker does, served the next
day, the statement period closed 20 days ago, submitted 19 days ago), so the supervisors of the run approve real
cases and the caseworkers issue their decisions (a PDF each, through the worker). On the bench data, its generated
cases "awaiting approval" (rows without reasons or a notice behind them) are first returned to their caseworker, so
the queue holds cases a supervisor can decide (``return_generated``). Run as::

    DATABASE_URL=… DJANGO_SETTINGS_MODULE=creditportal.settings.dev .venv/bin/python deploy/load/prepare.py --data bench
"""

from __future__ import annotations

import argparse
import datetime
import json
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from catalog.models import DesignationStandard  # noqa: E402
from creditportal.choices import Role  # noqa: E402
from creditportal.documents import document_render  # noqa: E402
from creditportal.models import Department, IssuedDocument, Membership, User  # noqa: E402
from creditportal.workflow import TransitionRefused  # noqa: E402
from designations import services  # noqa: E402
from designations.models import Designation  # noqa: E402
from subjects.choices import SubjectKind  # noqa: E402
from subjects.models import CreditRecord  # noqa: E402

DEMO_CASEWORKERS = ["hk-caseworker", "sy-caseworker"]
DEMO_SUPERVISORS = ["hk-supervisor", "sy-supervisor"]
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 -- the demo's published password (README "Demo accounts")
BENCH_DEPARTMENTS = ("BENCH-A", "BENCH-B")
REASON = "负载测试准备"


def bench_accounts(caseworkers: int, supervisors: int) -> dict:
    """Accounts of the bench departments made for this run (again on the next run: a new password and new keys)."""
    big, small = (Department.objects.get(code=code) for code in BENCH_DEPARTMENTS)
    password = secrets.token_urlsafe(18)
    hashed = make_password(password)  # once: every account has the same password, hashed once (not 200 times)
    now = timezone.now()
    accounts: dict = {"password": password, "caseworkers": [], "supervisors": [], "keys": {}}
    for role, count, prefix in (
        (Role.CASEWORKER, caseworkers, "caseworker"),
        (Role.SUPERVISOR, supervisors, "supervisor"),
    ):
        for n in range(1, count + 1):
            username = f"load-{prefix}-{n:03d}"
            department = big if n % 5 in (1, 2, 3) else small
            user, _ = User.objects.update_or_create(
                username=username, defaults={"first_name": f"负载{n:03d}", "password": hashed, "is_active": True}
            )
            Membership.objects.get_or_create(
                user=user, department=department, role=role, defaults={"confirmed_at": now}
            )
            accounts[f"{prefix}s"].append(username)
            if role == Role.SUPERVISOR:
                TOTPDevice.objects.filter(user=user).delete()
                device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
                accounts["keys"][username] = device.key
    return accounts


def demo_accounts() -> dict:
    keys = {
        device.user.username: device.key
        for device in TOTPDevice.objects.filter(user__username__in=DEMO_SUPERVISORS, confirmed=True).select_related(
            "user"
        )
    }
    return {"password": DEMO_PASSWORD, "caseworkers": DEMO_CASEWORKERS, "supervisors": DEMO_SUPERVISORS, "keys": keys}


def _caseworkers_of(department: Department, usernames: list[str]) -> list[User]:
    return list(
        User.objects.filter(
            username__in=usernames, memberships__department=department, memberships__role=Role.CASEWORKER
        ).order_by("username")
    )


def awaiting_cases(count: int, departments: list[Department], caseworkers: list[str]) -> int:
    """``count`` designations walked to "awaiting approval" (split over ``departments``); returns how many."""
    now = timezone.now()
    issued, closed, submitted = (now - datetime.timedelta(days=d) for d in (60, 20, 19))
    served_on = timezone.localdate(issued) + datetime.timedelta(days=1)
    standards = list(DesignationStandard.objects.filter(status="published").prefetch_related("allowed_measures"))
    made = 0
    for index, department in enumerate(departments):
        # each case its own caseworker in turn: it waits in their "My work" for the decision once approved
        people = _caseworkers_of(department, caseworkers)
        want = count // len(departments) + (1 if index < count % len(departments) else 0)
        candidates = (
            CreditRecord.objects.filter(
                department=department,
                subject__kind=SubjectKind.NATURAL_PERSON,
                kind="untrustworthy",
                status="active",
                basis_document__isnull=False,
                designations__isnull=True,
            )
            .select_related("subject")
            .order_by("-pk")
        )
        done = 0
        for tried, record in enumerate(candidates.iterator(chunk_size=200)):
            if done >= want or tried - done >= 50:  # fifty refused: the data lacks what a notice needs (stderr says)
                break
            caseworker = people[done % len(people)]
            if _walk(
                record, caseworker, standards, issued=issued, served_on=served_on, closed=closed, submitted=submitted
            ):
                done += 1
        made += done
    return made


def return_generated(departments: list[Department], supervisors: list[str]) -> int:
    """Bench only: ``make bench``'s generated cases "awaiting approval" are rows without the due process behind them
    (no reasons, no records, no notice): no supervisor can approve one, and the queue is oldest first, so they would
    stand before every case of the run. A supervisor of each department returns them to their caseworker through the
    service, with the reason, as the scenario's supervisors do one by one; returns how many."""
    returned = 0
    for department in departments:
        supervisor = (
            User.objects.filter(
                username__in=supervisors, memberships__department=department, memberships__role=Role.SUPERVISOR
            )
            .order_by("username")
            .first()
        )
        generated = Designation.objects.filter(state="awaiting_approval", department=department, reasons="").exclude(
            caseworker=supervisor
        )
        for designation in generated.iterator(chunk_size=200):
            try:
                services.designation_return(
                    designation=designation, actor=supervisor, reason="负载测试准备：认定理由未填写，退回补充"
                )
                returned += 1
            except (ValidationError, TransitionRefused) as refusal:
                print(f"prepare: designation #{designation.pk} not returned: {refusal}", file=sys.stderr)
    return returned


def _walk(record, caseworker, standards, *, issued, served_on, closed, submitted) -> bool:
    for standard in standards:
        try:
            with transaction.atomic():
                designation = services.designation_create(
                    actor=caseworker,
                    subject=record.subject,
                    standard=standard,
                    records=[record],
                    measures=list(standard.allowed_measures.all())[:1],
                    facts="负载测试：当事人多次销售超过保质期的食品，经查证属实。",
                    reasons="负载测试：严重危害人民群众身体健康。",
                    proportionality_statement="负载测试：措施与情节相当。",
                    proposed_listing_months=12,
                    statement_period_wd=5,
                    reason=REASON,
                )
                designation = services.designation_issue_notice(
                    designation=designation, actor=caseworker, statement_period_wd=5, reason=REASON, now=issued
                )
                for document in IssuedDocument.objects.filter(object_id=designation.pk, sha256=""):
                    document_render(document=document)
                designation = services.designation_serve_notice(
                    designation=designation,
                    actor=caseworker,
                    reason=REASON,
                    method="in_person",
                    served_on=served_on,
                    recipient=record.subject.name,
                    now=issued + datetime.timedelta(days=1),
                )
                designation = services.designation_close_statements(
                    designation=designation, actor=caseworker, reason=REASON, now=closed
                )
                services.designation_submit(designation=designation, actor=caseworker, reason=REASON, now=submitted)
            return True
        except (ValidationError, TransitionRefused) as refusal:
            print(f"prepare: record #{record.pk} with standard {standard.code}: {refusal}", file=sys.stderr)
    return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", choices=("bench", "demo"), default="bench")
    parser.add_argument("--caseworkers", type=int, default=200)
    parser.add_argument("--supervisors", type=int, default=40)
    parser.add_argument("--awaiting", type=int, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "load" / "accounts.json")
    args = parser.parse_args()
    returned = 0
    if args.data == "bench":
        accounts = bench_accounts(args.caseworkers, args.supervisors)
        departments = list(Department.objects.filter(code__in=BENCH_DEPARTMENTS).order_by("code"))
        returned = return_generated(departments, accounts["supervisors"])
    else:
        accounts = demo_accounts()
        departments = list(
            Department.objects.filter(
                memberships__user__username__in=DEMO_CASEWORKERS, memberships__role=Role.CASEWORKER
            ).distinct()
        )
    # the cases walked there by a run before (the bench data's own "awaiting" rows have no served notice behind them)
    already = Designation.objects.filter(
        state="awaiting_approval", department__in=departments, caseworker__username__in=accounts["caseworkers"]
    ).count()
    made = awaiting_cases(max(0, args.awaiting - already), departments, accounts["caseworkers"])
    accounts["awaiting"] = already + made
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(accounts, indent=1))
    print(
        f"prepare: {len(accounts['caseworkers'])} caseworker and {len(accounts['supervisors'])} supervisor accounts; "
        f"{already + made} designations awaiting approval ({made} made now; {returned} generated ones returned) → "
        f"{args.out}"
    )


if __name__ == "__main__":
    main()
