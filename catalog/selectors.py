"""Reads of the catalog app. Only published lists reach the public page."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Field, Q
from django.utils.translation import gettext as _

from creditportal.audit import timeline

from .choices import PublicationStatus, StandardStatus
from .models import ITEM_FIELDS, CatalogItem, CatalogVersion, DesignationStandard, MeasureList

#: Audit actions that change a draft's content (written by ``catalog.services`` for the pages and the imports).
CONTENT_ACTIONS = (
    "catalog.version.created",
    "catalog.measures.created",
    "catalog.item.saved",
    "catalog.measure.saved",
    "catalog.items.imported",
)


def catalog_published(*, jurisdiction: str | None = None) -> CatalogVersion | None:
    """The published catalog version of the deployment's jurisdiction (R-CAT-1), or None."""
    return CatalogVersion.objects.filter(
        jurisdiction=jurisdiction or settings.CREDIT_JURISDICTION, status=PublicationStatus.PUBLISHED
    ).first()


def published_list_shaped_by(obj) -> set[int]:
    """Ids of the users who shaped a catalog version's or measures list's content: its drafter and everyone who
    added or changed an entry (by hand or by import), read from the append-only audit trail (R-CAT-1)."""
    ids = set(timeline(obj).filter(action__in=CONTENT_ACTIONS).exclude(actor=None).values_list("actor_id", flat=True))
    if obj.drafted_by_id:
        ids.add(obj.drafted_by_id)
    return ids


def catalog_items(*, version: CatalogVersion, q: str = ""):
    """The items of a version; ``q`` keeps those whose code or name contains it."""
    items = CatalogItem.objects.filter(version=version)
    if q:
        items = items.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return items.select_related("providing_department").order_by("category", "code")


def measure_lists_published(*, jurisdiction: str | None = None):
    return (
        MeasureList.objects.filter(
            jurisdiction=jurisdiction or settings.CREDIT_JURISDICTION, status=PublicationStatus.PUBLISHED
        )
        .prefetch_related("punishment_measures", "reward_measures")
        .order_by("kind", "scope")
    )


def standards_published(*, jurisdiction: str | None = None):
    return (
        DesignationStandard.objects.filter(
            jurisdiction=jurisdiction or settings.CREDIT_JURISDICTION, status=StandardStatus.PUBLISHED
        )
        .prefetch_related("allowed_measures")
        .order_by("code")
    )


@dataclass
class ItemChange:
    code: str
    name: str
    fields: list[tuple[str, str, str]]  # (field label, old, new)


@dataclass
class CatalogDiff:
    old: CatalogVersion
    new: CatalogVersion
    added: list[CatalogItem]
    removed: list[CatalogItem]
    changed: list[ItemChange]


def catalog_diff(*, old: CatalogVersion, new: CatalogVersion) -> CatalogDiff:
    """Items added, removed and changed field by field between two versions, matched by code."""
    before = {i.code: i for i in catalog_items(version=old)}
    after = {i.code: i for i in catalog_items(version=new)}
    changed = []
    for code in sorted(before.keys() & after.keys()):
        fields = []
        for name in ITEM_FIELDS:
            field = CatalogItem._meta.get_field(name)
            assert isinstance(field, Field)  # noqa: S101 — ITEM_FIELDS are the item's own fields
            a, b = _display(before[code], field), _display(after[code], field)
            if a != b:
                fields.append((str(field.verbose_name), a, b))
        if fields:
            changed.append(ItemChange(code, after[code].name, fields))
    return CatalogDiff(
        old=old,
        new=new,
        added=[after[c] for c in sorted(after.keys() - before.keys())],
        removed=[before[c] for c in sorted(before.keys() - after.keys())],
        changed=changed,
    )


def _display(item: CatalogItem, field: Field) -> str:
    value = getattr(item, field.name)
    if field.choices:
        return str(getattr(item, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return "" if value is None else str(value)


def catalog_versions(*, jurisdiction: str | None = None):
    return (
        CatalogVersion.objects.filter(jurisdiction=jurisdiction or settings.CREDIT_JURISDICTION)
        .select_related("drafted_by", "approved_by")
        .order_by("-number")
    )


def measure_lists(*, jurisdiction: str | None = None):
    return (
        MeasureList.objects.filter(jurisdiction=jurisdiction or settings.CREDIT_JURISDICTION)
        .select_related("drafted_by", "approved_by")
        .order_by("kind", "scope", "-number")
    )


def standards(*, jurisdiction: str | None = None):
    return (
        DesignationStandard.objects.filter(jurisdiction=jurisdiction or settings.CREDIT_JURISDICTION)
        .select_related("issuing_department")
        .order_by("code")
    )


def awaiting_approval(*, jurisdiction: str | None = None) -> list:
    """Catalog versions and measures lists submitted for approval, oldest first: the supervisors' queue."""
    jurisdiction = jurisdiction or settings.CREDIT_JURISDICTION
    submitted = [
        model.objects.filter(jurisdiction=jurisdiction, status=PublicationStatus.SUBMITTED).select_related("drafted_by")
        for model in (CatalogVersion, MeasureList)
    ]
    return sorted([*submitted[0], *submitted[1]], key=lambda obj: obj.updated_at)
