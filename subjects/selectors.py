"""Reads of the subjects app, always through the scoping helper."""

from __future__ import annotations

from django.db.models import QuerySet

from creditportal.permissions import scope_queryset

from .models import CreditRecord, CreditSubject, RelatedPerson


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


def subject_history(*, subject: CreditSubject, limit: int = 50):
    """Who changed the subject, when and why (simple-history)."""
    return subject.history.select_related("history_user").order_by("-history_date")[:limit]
