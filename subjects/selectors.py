"""Reads of the subjects app, always through the scoping helper."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, QuerySet, Subquery

from creditportal.choices import AccessKind, DeadlineStatus
from creditportal.models import AccessEntry, Deadline
from creditportal.permissions import department_ids_for, scope_queryset

from .choices import ArchiveReason, RecordStatus
from .models import BasisRevocation, CreditRecord, CreditSubject, RelatedPerson
from .workflow import REVOCATION

#: Who reads archived records (R-DIS-3): the auditors, by their role's permission (the archive's own pages, in
#: restoration, read by the same one).
ARCHIVE_READERS = "creditportal.view_auditevent"


def subject_queryset(*, user, action: str = "view") -> QuerySet[CreditSubject]:
    return scope_queryset(user, CreditSubject.objects.select_related("department"), action)


def subject_related_persons(*, user, subject: CreditSubject) -> QuerySet[RelatedPerson]:
    return scope_queryset(
        user, RelatedPerson.objects.filter(organisation=subject, until__isnull=True).select_related("person")
    )


def subject_records(*, user, subject: CreditSubject, limit: int = 50) -> list[CreditRecord]:
    qs = CreditRecord.objects.filter(subject=subject).select_related(
        "catalog_item",
        "catalog_item__version",
        "basis_document",
        "department",
    )
    return list(scope_queryset(user, qs).order_by("-determined_on", "-pk")[:limit])


def subject_lookers(*, user, subject: CreditSubject, limit: int = 20) -> list[AccessEntry]:
    """Who opened this subject's information, and why (R-SEC-3): for its department's auditors, through the scope
    (anyone else gets an empty list); the newest first. Appearing in a list is in the access log page."""
    entries = scope_queryset(user, AccessEntry.objects.filter(subject_id=subject.pk))
    entries = entries.exclude(kind__in=[AccessKind.LISTED, AccessKind.EXPORTED])
    return list(entries.select_related("user", "user_department").order_by("-at", "-id")[:limit])


def access_log_queryset() -> QuerySet[AccessEntry]:
    """The access log with each subject's name (one indexed lookup per row shown); the list scopes it."""
    name = CreditSubject.objects.filter(pk=OuterRef("subject_id")).values("name")[:1]
    return AccessEntry.objects.select_related("user", "user_department", "department").annotate(
        subject_name=Subquery(name)
    )


def subject_history(*, subject: CreditSubject, limit: int = 50):
    """Who changed the subject, when and why (simple-history)."""
    return subject.history.select_related("history_user").order_by("-history_date")[:limit]


def record_revocations(*, record: CreditRecord) -> list[BasisRevocation]:
    """The revoked bases registered for a record the user already sees (its page is scoped), newest first."""
    return list(BasisRevocation.objects.filter(record=record).select_related("revoked_by"))


def revocations_pending(*, user) -> QuerySet[BasisRevocation]:
    """Registered revoked bases whose record is not revoked yet (R-RES-6), scoped: the ones with a clock soonest due
    first, then those of a profile that sets no time limit (HB, XJ), which are in someone's queue all the same
    (issue 16: every clock, and every act still owed, is in someone's queue). Each row carries ``due_date`` and
    ``provisional`` from its open clock, if any."""
    clocks = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(CreditRecord),
        object_id=OuterRef("record_id"),
        rule_id=REVOCATION,
        status=DeadlineStatus.OPEN,
    ).order_by("due_date")
    return (
        scope_queryset(user, BasisRevocation.objects.all(), "view")
        .filter(revoked_at__isnull=True)
        .select_related("record__subject", "record__catalog_item")
        .annotate(
            due_date=Subquery(clocks.values("due_date")[:1]), provisional=Subquery(clocks.values("provisional")[:1])
        )
        .order_by(F("due_date").asc(nulls_last=True), "received_on", "pk")
    )


def deletion_applications(*, user) -> QuerySet[CreditRecord]:
    """Records deleted and archived on the subject's written application (R-REC-5, HB 31) whose application ``user``
    may download. An archived record is never shown to casework again (R-DIS-3), so its application is read as the
    record is: through the record's own scope with archived rows, narrowed to the departments where the user reads
    the archive (their auditors)."""
    return (
        scope_queryset(user, CreditRecord.objects.all(), "view", include_archived=True)
        .filter(
            status=RecordStatus.ARCHIVED,
            archive_reason=ArchiveReason.SUBJECT_REQUEST,
            department_id__in=department_ids_for(user, ARCHIVE_READERS),
        )
        .exclude(deletion_application="")
    )


def disclosure_basis(record: CreditRecord) -> str:
    """How a record's disclosure period was held (R-NAT-2, R-NAT-6): the national rule set in force on the day of
    its determination that limits its class, named with its source; "" when no class limit applied."""
    from creditportal.rules import cite_ruleset

    from .disclosure import class_limits_for

    limits = class_limits_for(record.catalog_item, on=record.determined_on)
    if limits is None:
        return ""
    name = f"{record.catalog_item.info_class}_max_months"
    return cite_ruleset(limits.ruleset, name)


def subject_reports(*, user, subject: CreditSubject, limit: int = 20) -> list:
    """The subject's credit reports the user may see, newest first, each with its PDF (HN 28)."""
    from creditportal.choices import DocumentKind
    from creditportal.models import IssuedDocument

    from .models import CreditReport

    reports = list(scope_queryset(user, CreditReport.objects.filter(subject=subject)).order_by("-as_of", "-id")[:limit])
    kind = ContentType.objects.get_for_model(CreditReport)
    documents = {
        d.object_id: d
        for d in IssuedDocument.objects.filter(
            content_type=kind, object_id__in=[r.pk for r in reports], kind=DocumentKind.CREDIT_REPORT
        )
    }
    for report in reports:
        report.pdf = documents.get(report.pk)
    return reports


@dataclass(frozen=True)
class Verification:
    """What the public verification page says of a credit report (HN 28): the report, its PDF, and whether it was
    revoked or superseded by a corrected report (else it is valid)."""

    report: object
    pdf: object
    revoked: bool
    superseded: bool

    @property
    def valid(self) -> bool:
        return not (self.revoked or self.superseded)


def report_verification(code: str) -> Verification | None:
    """The verification of the credit report with ``code``; None when no report has it."""
    from creditportal.choices import DocumentKind
    from creditportal.models import IssuedDocument

    from .models import CreditReport

    report = CreditReport.objects.select_related("subject", "department").filter(verification_code=code).first()
    if report is None:
        return None
    pdf = (
        IssuedDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(CreditReport),
            object_id=report.pk,
            kind=DocumentKind.CREDIT_REPORT,
        )
        .order_by("pk")
        .first()
    )
    return Verification(
        report=report,
        pdf=pdf,
        revoked=report.revoked_at is not None,
        superseded=bool(pdf and pdf.superseded_by_id),
    )


def subject_authorisations(*, user, subject: CreditSubject, limit: int = 20) -> list:
    """The subject's written authorisations of third parties' inquiries the user may see (R-SEC-2), newest first,
    each with the inquiries made under it (its reports: R-SEC-3)."""
    from django.db.models import Prefetch

    from .models import CreditReport, InquiryAuthorisation

    return list(
        scope_queryset(user, InquiryAuthorisation.objects.filter(subject=subject))
        .prefetch_related(Prefetch("reports", queryset=CreditReport.objects.order_by("-as_of")))
        .order_by("-received_on", "-id")[:limit]
    )


def subject_service_consents(*, user, subject: CreditSubject, limit: int = 10) -> list:
    """The subject's consents to electronic service the user may see, newest first (APL art. 61)."""
    from .models import ServiceConsent

    return list(
        scope_queryset(user, ServiceConsent.objects.filter(subject=subject)).order_by("-consented_on", "-id")[:limit]
    )


def published_penalties():
    """The ledger of published administrative penalties whole, newest first (read through ``PublishedFilterSet``: the
    rows published now or as of a moment). Only the snapshots are read; the objection label is the record's own."""
    from .models import PublishedPenalty

    return PublishedPenalty.objects.select_related("record").order_by("-published_at", "-id")
