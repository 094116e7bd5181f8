"""Reads of the designations app, always scoped."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Field, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from creditportal import deadlines
from creditportal.audit import timeline
from creditportal.choices import DeadlineStatus
from creditportal.documents import documents_of
from creditportal.models import AuditEvent, Deadline, ServiceRecord
from creditportal.permissions import department_ids_for, scope_queryset

from . import periods
from .choices import DesignationState
from .models import Designation
from .policies import provincial_authorities
from .workflow import DESIGNATION, EDITABLE_AFTER_NOTICE, ENDED


def designation_queryset(*, user, action: str = "view") -> QuerySet[Designation]:
    return scope_queryset(
        user,
        Designation.objects.select_related(
            "subject", "standard", "department", "caseworker", "approver", "provincial_reviewer"
        ),
        action,
    )


def designation_deadlines(*, designation: Designation) -> list[deadlines.Explanation]:
    """The case's clocks and those of the objections to it (R-DES-2), in the order they were opened."""
    objections = designation.objections.all()
    running = Deadline.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Designation), object_id=designation.pk)
        | Q(content_type=ContentType.objects.get_for_model(objections.model), object_id__in=objections.values("pk"))
    ).order_by("created_at", "pk")
    return [deadlines.deadline_explain(deadline=d) for d in running]


def listing_explanation(*, designation: Designation, records=None) -> periods.ListingPeriod | periods.Bound | None:
    """How the listing's end was reached (R-DIS-1, issue 19): once listed, the period from the day of service with
    every bound and the one that ended it; before, the latest day any listing of it can end (None: no bound)."""
    records = list(records if records is not None else designation.records.select_related("catalog_item"))
    if designation.listed_from:
        return periods.listing_period(designation, starts_on=designation.listed_from, records=records)
    return periods.listing_cap(designation, records=records)


def provisional_warnings(*, designation: Designation) -> list[str]:
    """Why each running clock of the case is provisional (its year's holiday schedule not loaded)."""
    running = deadlines.deadlines_of(designation).filter(status=DeadlineStatus.OPEN, provisional=True).order_by("pk")
    return [reason for deadline in running if (reason := deadlines.provisional_refusal(deadline))]


@dataclass
class CaseFile:
    """One uploaded file of the case, downloadable through ``designation_file_download``."""

    kind: str  # statement, minutes, proof, evidence
    label: str
    item: Any
    name: str
    url_name: str


#: Each kind of uploaded file of a case: how to find its rows, the file field, its label, its download URL.
FILE_KINDS: dict[str, tuple[Callable[[Designation], QuerySet], str, Any, str]] = {
    "statement": (
        lambda d: d.statements.all(),
        "file",
        gettext_lazy("Statement, defence or waiver"),
        "designation_statement_file",
    ),
    "minutes": (
        lambda d: d.hearings.all(),
        "minutes_file",
        gettext_lazy("Hearing minutes"),
        "designation_minutes_file",
    ),
    "proof": (
        lambda d: ServiceRecord.objects.filter(document__in=documents_of(d)),
        "proof",
        gettext_lazy("Proof of service"),
        "designation_proof_file",
    ),
    "evidence": (
        lambda d: d.objections.all(),
        "evidence",
        gettext_lazy("Objection evidence"),
        "designation_evidence_file",
    ),
}


def designation_files(*, designation: Designation) -> list[CaseFile]:
    """Every file uploaded to the case: statements and waivers, hearing minutes, proofs of service, objection
    evidence (four queries, one per kind)."""
    files = []
    for kind, (rows, field, label, url_name) in FILE_KINDS.items():
        for item in rows(designation).exclude(**{field: ""}).order_by("pk"):
            name = getattr(item, field).name.rsplit("/", 1)[-1]
            files.append(CaseFile(kind, str(label), item, name, url_name))
    return files


def designation_file(*, designation: Designation, kind: str, pk: int):
    """One uploaded file of this case (the row and its file), or None."""
    rows, field, _label, _url = FILE_KINDS[kind]
    item = rows(designation).exclude(**{field: ""}).filter(pk=pk).first()
    return (item, getattr(item, field)) if item is not None else None


def return_comments(*, designation: Designation):
    """The supervisor's comments when the case came back to the caseworker (the ``return`` act's event), while
    it is still with them; None otherwise."""
    if designation.state not in DESIGNATION.sources_of("submit"):
        return None
    last = (
        timeline(designation)
        .filter(action__in=["designations.designation.return", "designations.designation.submit"])
        .first()
    )
    return last if last is not None and last.action.endswith(".return") else None


def locked_fields(*, designation: Designation) -> dict | None:
    """After the prior notice (R-DES-1): which fields the caseworker can still change, and which are locked."""
    if designation.notice_document() is None or designation.state not in DESIGNATION.sources_of("edit"):
        return None
    names = ("standard", "records", "facts", "reasons", "statement_period_wd", *EDITABLE_AFTER_NOTICE)
    label: dict[str, str] = {}
    for name in names:
        field = Designation._meta.get_field(name)
        assert isinstance(field, Field)  # noqa: S101 — the designation's own fields
        label[name] = str(field.verbose_name)
    return {
        "editable": [label[n] for n in EDITABLE_AFTER_NOTICE] + [str(gettext_lazy("measures (drop only)"))],
        "locked": [label[n] for n in names if n not in EDITABLE_AFTER_NOTICE],
    }


#: Document events that belong to an act's entry on the timeline (the act issued or served that document).
_FOLDED = {
    "creditportal.document.notice.issued": "designations.designation.issue_notice",
    "creditportal.document.notice.served": "designations.designation.serve_notice",
    "creditportal.document.decision.issued": "designations.designation.issue_decision",
    "creditportal.document.decision.served": "designations.designation.serve_decision",
}


def designation_timeline(*, designation: Designation) -> list:
    """One entry per act, newest first: the document an act issued or served is folded into the act's entry
    (its number on ``event.document_number``)."""
    events = list(timeline(designation)[:200])
    acts: dict[tuple[str, int | None], list[AuditEvent]] = {}
    for event in events:
        acts.setdefault((event.action, event.actor_id), []).append(event)
    shown = []
    for event in events:
        owner = next(
            (
                act
                for act in acts.get((_FOLDED.get(event.action, ""), event.actor_id), [])
                if abs((act.at - event.at).total_seconds()) < 60
            ),
            None,
        )
        if owner is not None:
            owner.document_number = (  # type: ignore[attr-defined]  # for the template, not a field
                owner.__dict__.get("document_number") or (event.data or {}).get("number")
            )
            continue
        shown.append(event)
    return shown


def work_queue(*, user) -> dict:
    """A caseworker's queue: drafts, cases waiting for one of their acts, cases waiting for approval (which
    they may recall), and the clocks running out, each naming its case and subject."""
    mine = designation_queryset(user=user, action="change").filter(caseworker=user)
    content_type = ContentType.objects.get_for_model(Designation)
    soon = timezone.localdate() + datetime.timedelta(days=7)
    due = list(
        scope_queryset(
            user, Deadline.objects.filter(content_type=content_type, status=DeadlineStatus.OPEN, due_date__lte=soon)
        ).order_by("due_date", "pk")[:50]
    )
    # Provisional due dates (their year's holiday schedule not loaded) whenever they fall: the caseworker
    # must know such a date cannot close a period yet.
    provisional = list(
        scope_queryset(
            user, Deadline.objects.filter(content_type=content_type, status=DeadlineStatus.OPEN, provisional=True)
        ).order_by("due_date", "pk")[:50]
    )
    _attach_cases(user, due + provisional)
    return {
        "drafts": mine.filter(state__in=DESIGNATION.sources_of("issue_notice")).order_by("-pk")[:50],
        # waiting for one of the caseworker's acts
        "in_progress": mine.filter(
            state__in=DESIGNATION.sources_of(
                "serve_notice", "close_statements", "submit", "issue_decision", "serve_decision"
            )
        ).order_by("-updated_at")[:50],
        # with the supervisor: still the caseworker's case, which they may recall before a decision
        "awaiting_approval": mine.filter(state__in=DESIGNATION.sources_of("recall")).order_by("-updated_at")[:50],
        "deadlines": due,
        "provisional": provisional,
    }


def _attach_cases(user, due: list[Deadline]) -> None:
    """Each deadline's designation (``deadline.designation``), fetched in one query for the whole list."""
    cases = designation_queryset(user=user).in_bulk({d.object_id for d in due})
    for deadline in due:
        deadline.designation = cases.get(deadline.object_id)  # type: ignore[attr-defined]  # for the page, not a field


def approval_queue(*, user) -> QuerySet[Designation]:
    """Awaiting approval in the departments where the user approves, never their own cases (four eyes)."""
    return (
        designation_queryset(user=user)
        .filter(
            state__in=DESIGNATION.sources_of("approve"),
            department_id__in=department_ids_for(user, "designations.approve_designation"),
        )
        .exclude(caseworker=user)
        .select_related("subject", "standard", "department", "caseworker")
        .order_by("updated_at")
    )


def reexamination_queue(*, user) -> QuerySet[Designation]:
    """R-DES-4: approved below provincial level, shared with this provincial approver, not yet re-examined."""
    if not provincial_authorities(user):
        return Designation.objects.none()
    return (
        designation_queryset(user=user)
        .filter(state__in=DESIGNATION.sources_of("reexamine"), provincial_reviewer__isnull=True)
        .exclude(department__level="province")
        .order_by("approved_at")
    )


def report_recipient(document) -> str:
    """Which of the R-DES-9 letters this is: its place among the case's reports, in ``report_recipients`` order."""
    from creditportal.documents import documents_of

    from .reports import report_recipients

    recipients = report_recipients(document.case.subject)
    ids = list(documents_of(document.case).filter(kind="report_to_authority").values_list("pk", flat=True))
    place = ids.index(document.pk) if document.pk in ids else 0
    return recipients[place] if place < len(recipients) else recipients[-1] if recipients else "superior"


def subject_designations(*, user, subject, limit: int = 20) -> list[Designation]:
    """A subject's designations the user may see (the panel on the subject's page)."""
    return list(designation_queryset(user=user).filter(subject=subject).order_by("-pk")[:limit])


def subject_panel(*, request, obj, bound: dict) -> dict:
    """The designations panel on a subject's page."""
    return {"designations": subject_designations(user=request.user, subject=obj)}


def subject_badges_panel(*, request, obj, bound: dict) -> dict:
    """The subject page's header: the listings in force (one query)."""
    listed = designation_queryset(user=request.user).filter(subject=obj, state=DesignationState.LISTED)
    return {"listings": list(listed.order_by("listed_from", "pk")[:20])}


def subject_actions_panel(*, request, obj, bound: dict) -> dict:
    """The subject page's header buttons: a new designation can be prepared while an active untrustworthy record
    grounds no standing one; one from the court's list by whoever adds designations."""
    from subjects.choices import RecordKind, RecordStatus

    may_add = request.user.has_perm("designations.add_designation")
    standing = Designation.objects.filter(subject=obj).exclude(state__in=ENDED)
    free_records = obj.records.filter(
        kind=RecordKind.UNTRUSTWORTHY, status=RecordStatus.ACTIVE, basis_document__isnull=False
    ).exclude(pk__in=Designation.records.through.objects.filter(designation__in=standing).values("creditrecord_id"))
    return {"subject": obj, "offers_designation": may_add and free_records.exists(), "court_list": may_add}


# --- the public list (issue 22; HL 23, HN 16) ---------------------------------------------------------------------


def publications() -> QuerySet:
    """The publication ledger whole, newest first: what the public list reads, through ``PublishedFilterSet``
    (the rows published now, or as of a past moment). Only the ledger's snapshots are read, never case data; the
    objection label is the designation's own."""
    from .models import Publication

    return Publication.objects.select_related("designation").order_by("-published_at", "-id")


def objection_labels(entries, *, as_of: datetime.datetime | None = None) -> None:
    """Set ``labelled_since`` on each public-list entry: when the "under objection" label its designation bore then
    was put (R-OBJ-2), or None. Now: the designation's own label. As of a past moment: the label as the designation's
    history held it at that moment (one query for the page), so a past moment's list shows what it showed then."""
    from django.db.models import OuterRef, Subquery

    from .models import Designation

    entries = list(entries)
    if as_of is None:
        for entry in entries:
            entry.labelled_since = entry.designation.under_objection_since
        return
    then = (
        Designation.history.filter(id=OuterRef("pk"), history_date__lte=as_of)
        .order_by("-history_date", "-history_id")
        .values("under_objection_since")[:1]
    )
    labels = dict(
        Designation.objects.filter(pk__in={entry.designation_id for entry in entries})
        .annotate(label_then=Subquery(then))
        .values_list("pk", "label_then")
    )
    for entry in entries:
        entry.labelled_since = labels.get(entry.designation_id)


def public_entries(*, as_of: datetime.datetime | None = None) -> QuerySet:
    """The entries of the public list: those published now, or, ``as_of`` a past moment, those published then
    (published at or before it, not withdrawn until after it)."""
    from .models import Publication

    return Publication.objects.as_of(as_of).select_related("designation").order_by("-published_at", "-id")
