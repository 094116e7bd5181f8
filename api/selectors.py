"""Reads of the API, through the same selectors and scope as the pages (``subjects.selectors``,
``creditportal.permissions.scope_queryset``): another department's subject or record is a 404, archived records are
never read (R-DIS-3)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from creditportal.permissions import scope_queryset
from subjects import selectors as subject_selectors
from subjects.filters import SubjectFilter
from subjects.models import CreditRecord, CreditSubject

#: The most subjects a lookup answers (an organisation's code may be given by its beginning).
LOOKUP_LIMIT = 20


def subject_lookup(*, user, id_number: str) -> list[CreditSubject]:
    """The subjects with this identifier (whole, by its digest; an organisation's code may be its beginning), as the
    subjects list's identifier search finds them, in the user's scope."""
    filterset = SubjectFilter({"id_number": id_number}, queryset=subject_selectors.subject_queryset(user=user))
    return list(filterset.qs.order_by("-pk")[:LOOKUP_LIMIT])


def subject_queryset(*, user) -> QuerySet[CreditSubject]:
    return subject_selectors.subject_queryset(user=user)


def record_queryset(
    *,
    user,
    updated_from: datetime.datetime | None = None,
    updated_to: datetime.datetime | None = None,
    determined_from: datetime.date | None = None,
    determined_to: datetime.date | None = None,
    subject_id: int | None = None,
) -> QuerySet[CreditRecord]:
    """The user's records (never archived ones), with what a record's answer shows, narrowed by the filters."""
    records: QuerySet[CreditRecord] = scope_queryset(
        user,
        CreditRecord.objects.select_related("department", "catalog_item", "catalog_item__version", "basis_document"),
    )
    if updated_from is not None:
        records = records.filter(updated_at__gte=updated_from)
    if updated_to is not None:
        records = records.filter(updated_at__lt=updated_to)
    if determined_from is not None:
        records = records.filter(determined_on__gte=determined_from)
    if determined_to is not None:
        records = records.filter(determined_on__lte=determined_to)
    if subject_id is not None:
        records = records.filter(subject_id=subject_id)
    return records


def published_item(*, code: str):
    """The item of the published catalog with this code (R-CAT-1), as the record form offers them; None if none."""
    from catalog.selectors import catalog_items, catalog_published

    version = catalog_published()
    if version is None:
        return None
    return catalog_items(version=version).filter(code=code).select_related("version").first()
