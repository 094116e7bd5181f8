"""Reads of the subject portal (issue 22): a subject's own information, never another's. Every read here is bound
to the signed-in subject (``subject``); nothing takes a subject id from the address."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from creditportal.documents import goes_to_subject
from creditportal.models import AccessEntry, IssuedDocument
from designations.models import Designation
from designations.workflow import ENDED, TOLD_TO_SUBJECT
from objections.models import Objection
from restoration.models import RestorationApplication
from subjects.choices import RecordStatus, RelatedRole
from subjects.models import CreditRecord, CreditReport, CreditSubject


def own_records(subject: CreditSubject) -> QuerySet[CreditRecord]:
    """The subject's information on display (R-SEC-1): what the public and the departments read of it."""
    return (
        CreditRecord.objects.filter(subject=subject, status=RecordStatus.ACTIVE)
        .select_related("catalog_item", "department")
        .order_by("-determined_on", "-pk")
    )


def own_designations(subject: CreditSubject) -> QuerySet[Designation]:
    return (
        Designation.objects.filter(subject=subject, state__in=TOLD_TO_SUBJECT)
        .select_related("standard", "department")
        .order_by("-pk")
    )


def _cases(subject: CreditSubject) -> Q:
    """Every case of the subject a document may belong to."""
    condition = Q(pk__in=[])
    for model in (CreditRecord, Designation, Objection, RestorationApplication):
        ids = model.objects.filter(subject=subject).values("pk")
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    own_reports = CreditReport.objects.filter(subject=subject, authorisation__isnull=True).values("pk")
    condition |= Q(content_type=ContentType.objects.get_for_model(CreditReport), object_id__in=own_reports)
    return condition


def own_documents(subject: CreditSubject) -> list[IssuedDocument]:
    """The documents that went to the subject: served on it (any method), and its own credit reports; rendered.
    Reports to other units and documents not yet served are not its to read here."""
    report_type = ContentType.objects.get_for_model(CreditReport)
    documents = (
        IssuedDocument.objects.filter(_cases(subject))
        .exclude(file="")
        .filter(Q(services__isnull=False) | Q(content_type=report_type))
        .select_related("department", "content_type")
        .distinct()
        .order_by("-issued_at", "-pk")
    )
    return [document for document in documents[:200] if goes_to_subject(document)]


def own_document(subject: CreditSubject, pk: int) -> IssuedDocument | None:
    return next((document for document in own_documents(subject) if document.pk == pk), None)


def own_lookers(subject: CreditSubject, limit: int = 50) -> QuerySet[AccessEntry]:
    """Who looked at the subject's information (R-SEC-3): the department, when, how and why, never the person."""
    return (
        AccessEntry.objects.filter(subject_id=subject.pk)
        .select_related("user_department")
        .order_by("-at", "-pk")[:limit]
    )


def represented(person: CreditSubject, today=None) -> QuerySet[CreditSubject]:
    """The organisations ``person`` is the legal representative of today (the department's record of it,
    R-REC-2): whom it may act for in the portal, as with the electronic business licence."""
    from django.utils import timezone

    today = today or timezone.localdate()
    # one filter() call: every condition on the same link (separate calls could each match a different link)
    return (
        CreditSubject.objects.filter(
            Q(related_persons__since__isnull=True) | Q(related_persons__since__lte=today),
            Q(related_persons__until__isnull=True) | Q(related_persons__until__gte=today),
            related_persons__person=person,
            related_persons__role=RelatedRole.LEGAL_REPRESENTATIVE,
            is_active=True,
        )
        .distinct()
        .order_by("name")
    )


def own_objections(subject: CreditSubject) -> QuerySet[Objection]:
    """The subject's objections and where they stand (filed online or at a counter)."""
    return (
        Objection.objects.filter(subject=subject)
        .select_related("record__catalog_item", "designation__standard", "department")
        .order_by("-received_at", "-pk")
    )


def objectable(subject: CreditSubject, kind: str, pk: int):
    """The record on display or the designation (told of) of ``subject`` an objection may be filed to; None for
    anything else (another's, ended, archived)."""
    if kind == "record":
        return own_records(subject).filter(pk=pk).first()
    if kind == "designation":
        return objectable_designations(subject).filter(pk=pk).first()
    return None


def objectable_designations(subject: CreditSubject) -> QuerySet[Designation]:
    """The subject's designations it has been told of and that still stand: what it may object to."""
    return own_designations(subject).exclude(state__in=ENDED)


def restorable(subject: CreditSubject, kind: str, pk: int):
    """The listing or the untrustworthiness record of ``subject`` it may apply to restore (the receiving service
    checks the rest, acceptance the law); None for anything else."""
    if kind == "designation":
        return own_designations(subject).filter(pk=pk, listed_from__isnull=False).exclude(state__in=ENDED).first()
    if kind == "record":
        return own_records(subject).filter(pk=pk, kind="untrustworthy").first()
    return None


def own_restorations(subject: CreditSubject) -> QuerySet[RestorationApplication]:
    return (
        RestorationApplication.objects.filter(subject=subject)
        .select_related("designation__standard", "record__catalog_item", "department")
        .order_by("-received_at", "-pk")
    )
