"""Reads of the subject portal (issue 22): a subject's own information, never another's. Every read here is bound
to the signed-in subject (``subject``); nothing takes a subject id from the address."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from creditportal.documents import goes_to_subject
from creditportal.models import AccessEntry, IssuedDocument, ServiceRecord
from designations.models import Designation
from designations.workflow import ENDED, TOLD_TO_SUBJECT
from objections.models import Objection
from restoration.models import RestorationApplication
from subjects.choices import RecordStatus, SubjectKind
from subjects.models import CreditRecord, CreditReport, CreditSubject

from .agency import capacity, legal_representations
from .choices import ALL_MATTERS, Matter
from .models import AgentAuthorisation


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
        .prefetch_related(Prefetch("services", queryset=ServiceRecord.objects.order_by("served_on", "pk")))
        .distinct()
        .order_by("-issued_at", "-pk")
    )
    return [document for document in documents[:200] if goes_to_subject(document)]


def own_document(subject: CreditSubject, pk: int, matters=ALL_MATTERS) -> IssuedDocument | None:
    return next((document for document in readable_documents(subject, matters) if document.pk == pk), None)


def readable_documents(subject: CreditSubject, matters=ALL_MATTERS) -> list[IssuedDocument]:
    """The subject's documents one may read with ``matters``: all of them with its documents; its own credit reports
    only with its credit reports; none otherwise (an agent authorised for other matters)."""
    if Matter.DOCUMENTS in matters:
        return own_documents(subject)
    if Matter.REPORTS in matters:
        report_type = ContentType.objects.get_for_model(CreditReport)
        return [document for document in own_documents(subject) if document.content_type_id == report_type.pk]
    return []


def own_lookers(subject: CreditSubject, limit: int = 50) -> QuerySet[AccessEntry]:
    """Who looked at the subject's information (R-SEC-3): the department, when, how and why, never the person."""
    return (
        AccessEntry.objects.filter(subject_id=subject.pk)
        .select_related("user_department")
        .order_by("-at", "-pk")[:limit]
    )


def legally_represented(person: CreditSubject, today: datetime.date | None = None) -> QuerySet[CreditSubject]:
    """The organisations ``person`` is the legal representative of today (the department's record of it, R-REC-2):
    those it acts for in every matter, and whose agents it authorises."""
    today = today or timezone.localdate()
    return CreditSubject.objects.filter(
        pk__in=legal_representations(today).filter(person=person).values("organisation"), is_active=True
    ).order_by("name")


def represented(person: CreditSubject, today: datetime.date | None = None) -> QuerySet[CreditSubject]:
    """The organisations ``person`` may act for in the portal today, as with the electronic business licence: those it
    is the legal representative of (R-REC-2), and those whose agent it is under an authorisation in force today
    (``expires_on`` the last day: inclusive). One query; asked again on every request, so a representative replaced, or
    an authorisation withdrawn or expired, loses the organisation at once."""
    today = today or timezone.localdate()
    return CreditSubject.objects.filter(
        Q(pk__in=legal_representations(today).filter(person=person).values("organisation"))
        | Q(pk__in=AgentAuthorisation.objects.in_force(today).filter(agent=person).values("organisation")),
        is_active=True,
    ).order_by("name")


def matters_for(person: CreditSubject, subject: CreditSubject, today: datetime.date | None = None) -> frozenset[str]:
    """The matters (``portal.choices.Matter``) ``person`` may act on for ``subject`` today (``portal.agency``)."""
    return capacity(person, subject, today or timezone.localdate())[1]


def acting(person: CreditSubject, subject: CreditSubject, today: datetime.date | None = None):
    """In what capacity ``person`` acts for ``subject`` today (itself, legal representative, agent, or None) and in
    which matters (``portal.agency``)."""
    return capacity(person, subject, today or timezone.localdate())


def agent_authorisations(organisation: CreditSubject, today: datetime.date | None = None) -> list[AgentAuthorisation]:
    """The organisation's agents' authorisations, newest first, each with where it stands today (``state_today``)
    and whether it may still be withdrawn (``withdrawable``: neither withdrawn nor expired)."""
    today = today or timezone.localdate()
    rows = list(AgentAuthorisation.objects.filter(organisation=organisation).select_related("agent")[:200])
    for row in rows:
        row.state_today = row.state(today)  # type: ignore[attr-defined]  # for the page
        row.withdrawable = not row.withdrawn_at and today <= row.expires_on  # type: ignore[attr-defined]
    return rows


def agent_authorisation(organisation: CreditSubject, pk: int) -> AgentAuthorisation | None:
    """One of the organisation's agents' authorisations; another organisation's is None (a 404)."""
    return AgentAuthorisation.objects.filter(organisation=organisation, pk=pk).select_related("agent").first()


def agent_find(identifier: str, name: str) -> CreditSubject | None:
    """The natural person a legal representative names as its agent: by the identity number's keyed digest (never
    searched in clear) and the name as the department recorded it; None for anyone else (the page says the same
    whatever did not match)."""
    person = CreditSubject.objects.filter(
        kind=SubjectKind.NATURAL_PERSON, id_digest=CreditSubject.digest_of(identifier.strip()), is_active=True
    ).first()
    if person is None or person.name.strip() != name.strip():
        return None
    return person


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
