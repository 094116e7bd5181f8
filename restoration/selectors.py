"""Reads of the restoration app, always scoped (creditportal.permissions), but for what is published (the public
credit commitments, read by anyone)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from creditportal import deadlines
from creditportal.access import label_of
from creditportal.audit import record_event
from creditportal.permissions import department_ids_for, on_display, scope_queryset
from subjects.choices import RecordKind, RecordStatus
from subjects.models import CreditRecord

from .models import PublishedCommitment, RestorationApplication
from .workflow import CASEWORK, DECIDE, RESTORATION

#: Only auditors read the archive (R-DIS-3): the permission only their role holds.
ARCHIVE_PERMISSION = "creditportal.view_auditevent"


def application_queryset(*, user, action: str = "view") -> QuerySet[RestorationApplication]:
    return scope_queryset(user, RestorationApplication.objects.select_related("subject", "department"), action)


def evidence_name(application: RestorationApplication) -> str:
    """The proof's name as handed in; an application received before the name was kept shows the stored file's
    last part (never its path)."""
    return application.evidence_file_name or (application.evidence_file.name or "").rsplit("/", 1)[-1]


def application_deadlines(*, application) -> list[deadlines.Explanation]:
    return [deadlines.deadline_explain(deadline=d) for d in deadlines.deadlines_of(application).order_by("pk")]


def work_queue(*, user) -> dict:
    """The reviewer's queue, built from the declaration: what waits for the caseworker (accept or refuse, review)
    and for the supervisor (grant or not), the promised date first (R-RES-5)."""
    apps = application_queryset(user=user).order_by("promised_by", "received_at", "pk")
    casework = department_ids_for(user, CASEWORK)
    deciding = department_ids_for(user, DECIDE)
    return {
        "to_accept": list(apps.filter(state__in=RESTORATION.sources_of("accept"), department_id__in=casework)[:50]),
        "to_review": list(apps.filter(state__in=RESTORATION.sources_of("review"), department_id__in=casework)[:50]),
        "to_decide": list(
            apps.filter(state__in=RESTORATION.sources_of("grant"), department_id__in=deciding).exclude(
                reviewed_by=user
            )[:50]
        ),
        "today": timezone.localdate(),
    }


def target_choices(*, user, subject=None, designation=None, record=None) -> list[tuple[str, str]]:
    """What the subject may apply to restore: its listed designations and its untrustworthiness records still
    shown (R-RES-1), as choices ``d:<pk>`` / ``r:<pk>``."""
    from designations.choices import DesignationState
    from designations.models import Designation
    from subjects.workflow import RECORD

    if designation is not None:
        designations = [designation] if designation.state == DesignationState.LISTED else []
        records: list[CreditRecord] = []
    elif record is not None:
        designations, records = [], [record]
    else:
        designations = list(
            scope_queryset(user, Designation.objects.filter(subject=subject, state=DesignationState.LISTED), "view")
        )
        records = list(
            scope_queryset(
                user,
                CreditRecord.objects.filter(
                    subject=subject, kind=RecordKind.UNTRUSTWORTHY, status__in=RECORD.sources_of("archive")
                ).select_related("catalog_item"),
                "view",
            )[:50]
        )
    return [(f"d:{d.pk}", f"{d} · {d.get_state_display()}") for d in designations] + [
        (f"r:{r.pk}", f"{r.catalog_item.name} · {r.summary[:40]} · {r.determined_on:%Y-%m-%d}") for r in records
    ]


def archive_queryset(*, user) -> QuerySet[CreditRecord]:
    """Archived records (R-DIS-3) of the auditor's departments: never shown anywhere else."""
    departments = department_ids_for(user, ARCHIVE_PERMISSION)
    return (
        scope_queryset(user, CreditRecord.objects.all(), "view", include_archived=True)
        .filter(status=RecordStatus.ARCHIVED, department_id__in=departments)
        .select_related("subject", "catalog_item", "department")
        .order_by("-archived_at", "-pk")
    )


def archive_read(*, user, records, what: str) -> None:
    """Every read of the archive is logged (R-DIS-3, R-SEC-3): who, when, which records."""
    pks = [r.pk for r in records]
    record_event(
        action="restoration.archive.read",
        actor=user,
        target=records[0] if len(records) == 1 else None,
        department=records[0].department if len(records) == 1 else None,
        data={"view": what, "records": pks[:200], "count": len(pks)},
    )


def granted_restoration_exists(designation) -> bool:
    """The cause of a "credit restored" end: a granted restoration application of the designation or of a record
    it rests on (R-RES-4; ``designations.holds.register_cause``)."""
    from django.db.models import Q

    from .choices import RestorationState

    return (
        RestorationApplication.objects.filter(state=RestorationState.GRANTED)
        .filter(Q(designation=designation) | Q(record__in=designation.records.all()))
        .exists()
    )


def receivable_for_others(*, user, identifier: str) -> dict | None:
    """For a caseworker of a credit authority (any level), who receives restoration applications for other
    departments' designations and records (R-RES-1; HN 32, HL 40): the subject with exactly this identifier (unified
    social credit code or identity card number, as typed) and what it may apply to restore — its listed
    designations and its untrustworthiness records still shown, in whichever department. Nothing beyond those is
    read, and the lookup is logged (R-SEC-3). ``None`` for anyone else, or when no subject has the identifier."""
    from designations.choices import DesignationState
    from designations.models import Designation
    from subjects.models import CreditSubject
    from subjects.validators import normalise_identifier
    from subjects.workflow import RECORD

    from .workflow import receives_for_others

    number = normalise_identifier("", identifier or "")
    if not number or not receives_for_others(user):
        return None
    subject = CreditSubject.objects.filter(id_digest=CreditSubject.digest_of(number)).order_by("pk").first()
    if subject is None:
        return None
    designations = list(
        Designation.objects.filter(subject=subject, state=DesignationState.LISTED)
        .select_related("department")
        .order_by("-pk")[:50]
    )
    records = list(
        on_display(
            CreditRecord.objects.filter(
                subject=subject, kind=RecordKind.UNTRUSTWORTHY, status__in=RECORD.sources_of("archive")
            )
        )
        .select_related("catalog_item", "department")
        .order_by("-pk")[:50]
    )
    record_event(
        action="restoration.receivable.read",
        actor=user,
        target=subject,
        department=None,
        data={"designations": [d.pk for d in designations], "records": [r.pk for r in records]},
    )
    choices = [(f"d:{d.pk}", f"{d} · {d.department.display_name}") for d in designations] + [
        (f"r:{r.pk}", f"{r.catalog_item.name} · {r.determined_on:%Y-%m-%d} · {r.department.display_name}")
        for r in records
    ]
    # what the page shows, for the access log of the departments that hold it (R-SEC-3, issue 21)
    shown = [(subject.pk, item.department_id, label_of(item)) for item in [*designations, *records]]
    return {"subject": subject, "targets": choices, "shown": shown}


def routed_receipt(*, user, pk) -> dict | None:
    """What the caseworker who received an application that went to the deciding department is told on the receive
    page (R-RES-1): its number, the department that decides on it and when it was received
    (``creditportal.audit.routed_receipt``: told only to that caseworker)."""
    from creditportal.audit import routed_receipt as audit_routed_receipt

    from .workflow import ROUTED

    return audit_routed_receipt(user=user, model=RestorationApplication, pk=pk, action=ROUTED)


def published_commitments():
    """The ledger of published credit commitments whole, newest first (read through ``PublishedFilterSet``: the
    rows published now or as of a moment)."""
    return PublishedCommitment.objects.order_by("-published_at", "-id")
