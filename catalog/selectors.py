"""Reads of the catalog app. Only published lists reach the public page."""
from __future__ import annotations

from django.conf import settings

from .choices import PublicationStatus, StandardStatus
from .models import CatalogItem, CatalogVersion, DesignationStandard, MeasureList


def catalog_published(*, jurisdiction: str | None = None) -> CatalogVersion | None:
    """The published catalog version of the deployment's jurisdiction (R-CAT-1), or None."""
    return (CatalogVersion.objects.filter(jurisdiction=jurisdiction or settings.CREDIT_JURISDICTION,
                                          status=PublicationStatus.PUBLISHED).first())


def catalog_items(*, version: CatalogVersion):
    return CatalogItem.objects.filter(version=version).select_related("providing_department").order_by(
        "category", "code",
    )


def measure_lists_published(*, jurisdiction: str | None = None):
    return (MeasureList.objects.filter(jurisdiction=jurisdiction or settings.CREDIT_JURISDICTION,
                                       status=PublicationStatus.PUBLISHED)
            .prefetch_related("punishment_measures", "reward_measures").order_by("kind", "scope"))


def standards_published(*, jurisdiction: str | None = None):
    return (DesignationStandard.objects.filter(jurisdiction=jurisdiction or settings.CREDIT_JURISDICTION,
                                               status=StandardStatus.PUBLISHED)
            .prefetch_related("allowed_measures").order_by("code"))
