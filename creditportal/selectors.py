"""Reads of the cross-cutting data, always scoped."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from .models import Department
from .permissions import department_ids_for, perm_name

#: What the dashboard counts, per department: (model label, URL name of its list).
DASHBOARD_MODELS = (
    ("subjects.creditsubject", "subject_list"),
    ("subjects.creditrecord", "record_list"),
    ("designations.designation", "designation_list"),
    ("objections.objection", "objection_list"),
    ("restoration.restorationapplication", "restoration_list"),
)
#: How long the dashboard may reuse a count: current within seconds of a change (issue 16), while a burst of
#: visits (everyone opening the portal at 8:30) shares one count per set of departments.
DASHBOARD_FRESH_SECONDS = 5


@dataclass
class DepartmentCounts:
    department: Department
    counts: list[tuple[str, str, int]]  # (label, list URL name, count)


def dashboard_counts(*, user, now: datetime.datetime | None = None) -> list[DepartmentCounts]:
    """Row counts per department the user may view, each current within ``DASHBOARD_FRESH_SECONDS``.

    A count is one grouped query on the indexed ``department`` column (an index-only scan, single-digit
    milliseconds at a department's hundred thousand rows); it is kept with the moment it was taken and reused
    only while that is a few seconds old, so a change shows on the next visit after that, never minutes later.
    """
    now = now or timezone.now()
    by_department: dict[int, list[tuple[str, str, int]]] = {}
    for label, url_name in DASHBOARD_MODELS:
        model = apps.get_model(label)
        departments = sorted(department_ids_for(user, perm_name(model, "view")))
        if not departments:
            continue
        key = f"dashboard:counts:{label}:{','.join(map(str, departments))}"
        cached = cache.get(key)
        if cached and 0 <= now.timestamp() - cached[0] <= DASHBOARD_FRESH_SECONDS:
            counts = cached[1]
        else:
            counts = dict(
                model._default_manager.filter(department_id__in=departments)
                .values("department_id")
                .annotate(n=Count("id"))
                .values_list("department_id", "n")
            )
            cache.set(key, (now.timestamp(), counts), DASHBOARD_FRESH_SECONDS)
        for department_id in departments:
            by_department.setdefault(department_id, []).append(
                (model._meta.verbose_name_plural, url_name, counts.get(department_id, 0))
            )
    by_pk = Department.objects.in_bulk(by_department.keys())
    return [DepartmentCounts(by_pk[d], by_department[d]) for d in sorted(by_department, key=lambda d: by_pk[d].code)]


def user_memberships(*, user):
    """The user's active roles, those waiting for the head's confirmation included (``awaits_confirmation``)."""
    return user.memberships.filter(is_active=True).select_related("department").order_by("department__code")


def memberships_awaiting(*, user):
    """The roles given in ``user``'s departments that wait for a head's confirmation (issue 21), oldest first,
    each with who gave it, when and why (the history row that gave it: one subquery per column, no query per
    row). Through the one scope: a department the user heads; never his own roles."""
    from django.db.models import OuterRef, Subquery

    from .models import Membership
    from .permissions import scope_queryset

    given = Membership.history.filter(id=OuterRef("pk")).order_by("-history_id")
    return (
        scope_queryset(user, Membership.objects.filter(is_active=True, confirmed_at__isnull=True), "confirm")
        .exclude(user=user)
        .select_related("user", "department")
        .annotate(
            given_by=Subquery(given.values("history_user__username")[:1]),
            given_at=Subquery(given.values("history_date")[:1]),
            given_why=Subquery(given.values("history_change_reason")[:1]),
        )
        .order_by("pk")
    )


#: The page of each kind of case a deadline can run on (by model label: creditportal imports no app).
CASE_DETAIL_URLS = {
    "designations.designation": "designation_detail",
    "objections.objection": "objection_detail",
    "restoration.restorationapplication": "restoration_detail",
    # revocation (R-RES-6) and the provider's correction (R-REC-4) run their clocks on the record
    "subjects.creditrecord": "record_detail",
}


@dataclass
class DueEntry:
    deadline: object
    case: object
    url_name: str


def deadlines_due(*, user, today, limit: int = 20, provisional: bool = False) -> dict[str, list[DueEntry]]:
    """The running clocks of the user's departments: overdue, due today, due in the next 7 days (and, when asked,
    every running clock whose due date is provisional, whenever it falls); each names its case (and the case's
    subject), the cases fetched in one query per kind of case. The dashboard and "My work" both read it, so they
    never disagree about what is due (issue 16: the designation queue once counted only designations)."""
    from .choices import DeadlineStatus
    from .deadlines import cases_of
    from .models import Deadline
    from .permissions import scope_queryset

    running = scope_queryset(
        user, Deadline.objects.filter(status=DeadlineStatus.OPEN).select_related("content_type", "department")
    )
    soon = running.filter(due_date__lte=today + datetime.timedelta(days=7))
    groups = {
        "overdue": list(soon.filter(due_date__lt=today).order_by("due_date", "pk")[:limit]),
        "today": list(soon.filter(due_date=today).order_by("pk")[:limit]),
        "week": list(soon.filter(due_date__gt=today).order_by("due_date", "pk")[:limit]),
    }
    if provisional:
        groups["provisional"] = list(running.filter(provisional=True).order_by("due_date", "pk")[:limit])
    cases = cases_of([d for group in groups.values() for d in group])
    return {
        name: [
            DueEntry(
                d,
                cases.get((d.content_type_id, d.object_id)),
                CASE_DETAIL_URLS.get(f"{d.content_type.app_label}.{d.content_type.model}", ""),
            )
            for d in group
        ]
        for name, group in groups.items()
    }


@dataclass(frozen=True)
class DocumentVerification:
    """What the public verification found of a PDF in someone's hands (issue 22): the department's signature in it,
    and the issued document whose SHA-256 it has (None: no document of this deployment is exactly this file)."""

    sha256: str
    signature: object  # creditportal.signing.SignatureCheck
    document: object | None  # IssuedDocument

    @property
    def authentic(self) -> bool:
        return self.document is not None and self.signature.valid  # type: ignore[attr-defined]


def document_verification(content: bytes) -> DocumentVerification:
    """Check a PDF: its signature (the deployment's signer) and whether this exact file was issued here (by its
    SHA-256, on the index of issued documents' hashes). Nothing of the document's content is read out."""
    import hashlib

    from .models import IssuedDocument
    from .signing import signer

    sha256 = hashlib.sha256(content).hexdigest()
    document = (
        IssuedDocument.objects.select_related("department", "superseded_by")
        .filter(sha256=sha256)
        .order_by("pk")
        .first()
    )
    return DocumentVerification(sha256=sha256, signature=signer().check(content), document=document)
