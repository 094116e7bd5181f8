"""Writes of the catalog app: drafting, approving and publishing catalogs, measure lists and standards.

Only staff of a provincial credit authority maintain these lists (R-CAT-1, R-CAT-6, R-CAT-7): a caseworker
drafts, a supervisor or head other than the drafter approves and publishes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from creditportal.audit import record_event, tracked_save
from creditportal.locking import lock
from creditportal.models import JurisdictionProfile
from creditportal.permissions import acting_department_id, provincial_authority_ids
from creditportal.profiles import profile_for

from . import workflow
from .choices import PublicationStatus
from .models import (
    ITEM_FIELDS,
    CatalogItem,
    CatalogVersion,
    DesignationStandard,
    MeasureList,
    PublishedList,
    PunishmentMeasure,
    RewardMeasure,
)


def _require(user, permission: str) -> None:
    """Creating a draft (no object yet): the permission the workflow declares for authoring or approving."""
    if not provincial_authority_ids(user, permission):
        raise PermissionDenied(workflow.forbidden_message(permission))


def _locked(model, pk, expected_version: int | None = None):
    """The row locked, still at the version the user's page was opened at (creditportal.locking)."""
    return lock(model, pk, expected_version=expected_version)


# --- catalog versions and measure lists ------------------------------------------------------------------


@transaction.atomic
def catalog_version_create(
    *, actor, jurisdiction: str, title: str, reason: str, based_on: CatalogVersion | None = None
) -> CatalogVersion:
    """A new draft, numbered after the highest so far; ``based_on`` copies its items (R-CAT-1)."""
    _require(actor, workflow.AUTHOR)
    number = (CatalogVersion.objects.filter(jurisdiction=jurisdiction).aggregate(n=Max("number"))["n"] or 0) + 1
    version = CatalogVersion(jurisdiction=jurisdiction, number=number, title=title, drafted_by=actor, based_on=based_on)
    tracked_save(version, actor=actor, reason=reason)
    if based_on is not None:
        for item in based_on.items.all():
            copy = CatalogItem(version=version, **{f: getattr(item, f) for f in ITEM_FIELDS})
            tracked_save(copy, actor=actor, reason=_("Copied from version %(n)s") % {"n": based_on.number})
    record_event(
        action="catalog.version.created",
        actor=actor,
        target=version,
        reason=reason,
        data={"based_on": based_on.pk if based_on else None},
    )
    return version


def _check_display_period(item: CatalogItem, profile: JurisdictionProfile | None) -> None:
    """R-DIS-1 (HN 27) and R-DIS-2 (XJ 44): the item's display period within the profile's limits."""
    errors: dict[str, list[str]] = {}
    if item.display_min_months is None or item.display_max_months is None:
        return  # the missing value is reported by the field's own check
    if item.display_min_months > item.display_max_months:
        errors.setdefault("display_min_months", []).append(_("The display minimum cannot exceed the maximum."))
    if profile is None:
        if errors:
            raise ValidationError(errors)
        return
    limit = profile.disclosure_max_months
    if item.is_untrustworthy and limit and item.display_max_months > limit:
        errors.setdefault("display_max_months", []).append(
            _("Untrustworthiness information is disclosed for at most %(months)d months under this profile (R-DIS-1).")
            % {"months": limit}
        )
    if item.is_administrative_punishment:
        low, high = profile.punishment_disclosure_min_months, profile.punishment_disclosure_max_months
        if low and item.display_min_months < low:
            errors.setdefault("display_min_months", []).append(
                _("Administrative punishments are disclosed for at least %(months)d months (R-DIS-2).")
                % {"months": low}
            )
        if high and item.display_max_months > high:
            errors.setdefault("display_max_months", []).append(
                _("Administrative punishments are disclosed for at most %(months)d months (R-DIS-2).")
                % {"months": high}
            )
        special = profile.special_sector_min_months
        if special and item.sector != "general" and item.display_min_months < special:
            errors.setdefault("display_min_months", []).append(
                _(
                    "In food, drugs, special equipment, production and fire safety the minimum is %(months)d "
                    "months (R-DIS-2)."
                )
                % {"months": special}
            )
    if errors:
        raise ValidationError(errors)


def catalog_item_validate(*, item: CatalogItem, exclude=(), in_bulk: bool = False) -> None:
    """Shape and law of one item, without saving (used by the form, the import's dry run and the save).

    Every problem is collected: the model's own checks and the profile's display limits together.
    ``in_bulk`` (an import): no query per item — the caller has resolved the version and the department from
    rows it read once and matched the codes against the draft and the file; the display order is checked here
    in Python; the database constraints still hold at the write.
    """
    errors: dict[str, Any] = {}
    if in_bulk:
        exclude = [*exclude, "version", "providing_department"]
    try:
        item.full_clean(exclude=list(exclude), validate_unique=not in_bulk, validate_constraints=not in_bulk)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        _check_display_period(item, profile_for(item.version.jurisdiction))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, [])
            errors[field] += [m for m in messages if m not in errors[field]]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def catalog_item_save(
    *,
    actor,
    version: CatalogVersion,
    data: dict,
    reason: str,
    item: CatalogItem | None = None,
    expected_version: int | None = None,
) -> CatalogItem:
    """Add or change an item of a draft version (R-CAT-2). A published version is never edited.

    ``expected_version``: the item's ``row_version`` when its form was opened (a changed item only)."""
    version = _locked(CatalogVersion, version.pk)
    workflow.PUBLISHED_LIST.apply(version, "edit", actor=actor)
    item = _locked(CatalogItem, item.pk, expected_version) if item is not None else CatalogItem(version=version)
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    catalog_item_validate(item=item)
    tracked_save(item, actor=actor, reason=reason, validate=False)
    record_event(action="catalog.item.saved", actor=actor, target=version, reason=reason, data={"code": item.code})
    return item


@transaction.atomic
def measure_list_create(
    *,
    actor,
    jurisdiction: str,
    kind: str,
    scope: str,
    title: str,
    reason: str,
    based_on: MeasureList | None = None,
    copy_published: bool = False,
) -> MeasureList:
    """A new draft list; ``copy_published`` starts it from the published list of the same kind and scope."""
    _require(actor, workflow.AUTHOR)
    if copy_published and based_on is None:
        based_on = MeasureList.objects.filter(
            jurisdiction=jurisdiction, kind=kind, scope=scope, status=PublicationStatus.PUBLISHED
        ).first()
    number = (
        MeasureList.objects.filter(jurisdiction=jurisdiction, kind=kind, scope=scope).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1
    measures = MeasureList(
        jurisdiction=jurisdiction, kind=kind, scope=scope, number=number, title=title, drafted_by=actor
    )
    tracked_save(measures, actor=actor, reason=reason)
    if based_on is not None:
        for old in based_on.entries():
            fields = {"code": old.code, "text": old.text, "legal_clause": old.legal_clause}
            if isinstance(old, PunishmentMeasure):
                fields["max_duration_months"] = old.max_duration_months
            tracked_save(
                type(old)(measure_list=measures, **fields),
                actor=actor,
                reason=_("Copied from version %(n)s") % {"n": based_on.number},
            )
    record_event(action="catalog.measures.created", actor=actor, target=measures, reason=reason)
    return measures


@transaction.atomic
def measure_save(
    *, actor, measure_list: MeasureList, data: dict, reason: str, measure=None, expected_version: int | None = None
):
    """Add or change a measure of a draft list; each cites its legal clause and duration (R-CAT-7).

    ``expected_version``: the measure's version when its form was opened (a changed measure only)."""
    measure_list = _locked(MeasureList, measure_list.pk)
    workflow.PUBLISHED_LIST.apply(measure_list, "edit", actor=actor)
    model = PunishmentMeasure if measure_list.kind == "punishment" else RewardMeasure
    measure = (
        _locked(type(measure), measure.pk, expected_version)
        if measure is not None
        else model(measure_list=measure_list)
    )
    for name in ("code", "text", "legal_clause", "max_duration_months"):
        if name in data and hasattr(measure, name):
            setattr(measure, name, data[name])
    if model is PunishmentMeasure and not measure.max_duration_months:
        raise ValidationError({"max_duration_months": _("A punishment measure states its maximum duration (R-CAT-7).")})
    tracked_save(measure, actor=actor, reason=reason)
    record_event(
        action="catalog.measure.saved", actor=actor, target=measure_list, reason=reason, data={"code": measure.code}
    )
    return measure


def _transition(obj: PublishedList, name: str, *, actor, reason: str, action: str, **context) -> PublishedList:
    workflow.PUBLISHED_LIST.apply(obj, name, actor=actor, **context)
    tracked_save(obj, actor=actor, reason=reason)
    record_event(action=action, actor=actor, target=obj, reason=reason)
    return obj


@transaction.atomic
def published_list_submit(
    *, obj: PublishedList, actor, reason: str, expected_version: int | None = None
) -> PublishedList:
    """The author sends a draft to the supervisors' queue for approval (R-CAT-1); it is no longer edited."""
    obj = _locked(type(obj), obj.pk, expected_version)
    return _transition(obj, "submit", actor=actor, reason=reason, action=f"catalog.{_kind(obj)}.submitted")


@transaction.atomic
def published_list_discard(
    *, obj: PublishedList, actor, reason: str, expected_version: int | None = None
) -> PublishedList:
    """Set a draft aside for good: it keeps its entries and history, and is never deleted."""
    obj = _locked(type(obj), obj.pk, expected_version)
    return _transition(obj, "discard", actor=actor, reason=reason, action=f"catalog.{_kind(obj)}.discarded")


@transaction.atomic
def published_list_approve(
    *, obj: PublishedList, actor, reason: str, now=None, expected_version: int | None = None
) -> PublishedList:
    """Approve a draft: a supervisor of the credit authority other than the drafter (R-CAT-1)."""
    obj = _locked(type(obj), obj.pk, expected_version)
    obj.approved_by, obj.approved_at = actor, now or timezone.now()
    return _transition(obj, "approve", actor=actor, reason=reason, action=f"catalog.{_kind(obj)}.approved")


@transaction.atomic
def published_list_return(
    *, obj: PublishedList, actor, reason: str, expected_version: int | None = None
) -> PublishedList:
    """Send an approved version back to draft with the approver's comments (``reason``)."""
    obj = _locked(type(obj), obj.pk, expected_version)
    obj.approved_by, obj.approved_at = None, None
    return _transition(obj, "return", actor=actor, reason=reason, action=f"catalog.{_kind(obj)}.returned")


@transaction.atomic
def published_list_publish(
    *,
    obj: PublishedList,
    actor,
    reason: str,
    now=None,
    effective_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> PublishedList:
    """Publish an approved version, in force from ``effective_on`` (today when not given; never a day already
    past); the one published before it is superseded in the same transaction."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    effective_on = effective_on or today
    if effective_on < today:
        raise ValidationError(
            {"effective_on": _("The effective date cannot be before today (%(today)s).") % {"today": today.isoformat()}}
        )
    obj = _locked(type(obj), obj.pk, expected_version)
    model: Any = type(obj)  # a catalog version or a measures list
    siblings = model.objects.select_for_update().filter(
        status=PublicationStatus.PUBLISHED, jurisdiction=obj.jurisdiction
    )
    if isinstance(obj, MeasureList):
        siblings = siblings.filter(kind=obj.kind, scope=obj.scope)
    workflow.PUBLISHED_LIST.apply(obj, "publish", actor=actor)  # refuses before anything changes
    for previous in siblings.exclude(pk=obj.pk):
        previous.superseded_at = now
        _transition(
            previous,
            "supersede",
            actor=actor,
            reason=_("Superseded by version %(n)s") % {"n": obj.number},
            action=f"catalog.{_kind(obj)}.superseded",
        )
    obj.published_at, obj.effective_on = now, effective_on
    tracked_save(obj, actor=actor, reason=reason)
    record_event(action=f"catalog.{_kind(obj)}.published", actor=actor, target=obj, reason=reason)
    return obj


def _kind(obj) -> str:
    return "version" if isinstance(obj, CatalogVersion) else "measures"


# --- designation standards ---------------------------------------------------------------------------------

STANDARD_FIELDS = (
    "code",
    "title",
    "sector",
    "serious_category",
    "conduct_criteria",
    "legal_basis",
    "removal_conditions",
    "listing_max_months",
    "removal_procedure",
    "remedies",
    "comment_starts_on",
    "comment_ends_on",
)


@transaction.atomic
def standard_save(
    *,
    actor,
    data: dict,
    reason: str,
    standard: DesignationStandard | None = None,
    allowed_measures=None,
    jurisdiction: str | None = None,
    issuing_department_id: int | None = None,
    expected_version: int | None = None,
) -> DesignationStandard:
    """Draft or edit a standard (R-CAT-6). Nothing may expand a published standard (XJ 39, NDRC 6).

    ``expected_version``: the standard's version when its form was opened (an edit only)."""
    if standard is None:
        _require(actor, workflow.AUTHOR)
        # The issuing department: the provincial credit authority the author acts for (never a guess).
        department_id = acting_department_id(actor, workflow.AUTHOR, chosen_id=issuing_department_id)
        if department_id not in provincial_authority_ids(actor, workflow.AUTHOR):
            raise PermissionDenied(workflow.forbidden_message(workflow.AUTHOR))
        standard = DesignationStandard(
            jurisdiction=jurisdiction or settings.CREDIT_JURISDICTION, issuing_department_id=department_id
        )
    else:
        standard = _locked(DesignationStandard, standard.pk, expected_version)
        workflow.STANDARD.apply(standard, "edit", actor=actor)
    for name in STANDARD_FIELDS:
        if name in data:
            setattr(standard, name, data[name])
    tracked_save(standard, actor=actor, reason=reason)
    if allowed_measures is not None:
        _check_measures_published(allowed_measures)
        standard.allowed_measures.set(allowed_measures)
    record_event(action="catalog.standard.saved", actor=actor, target=standard, reason=reason)
    return standard


def _check_measures_published(measures) -> None:
    """R-CAT-7: a standard allows only measures of a published list."""
    stray = [m.code for m in measures if m.measure_list.status != PublicationStatus.PUBLISHED]
    if stray:
        raise ValidationError(
            _("These measures are not on a published list: %(codes)s (R-CAT-7).") % {"codes": ", ".join(stray)},
            code="measure_not_published",
        )


@transaction.atomic
def standard_transition(
    *,
    standard: DesignationStandard,
    name: str,
    actor,
    reason: str,
    today: datetime.date | None = None,
    now=None,
    expected_version: int | None = None,
) -> DesignationStandard:
    """Open comment, publish (after 30 days of comment, R-CAT-6) or withdraw a standard."""
    now = now or timezone.now()
    standard = _locked(DesignationStandard, standard.pk, expected_version)
    workflow.STANDARD.apply(standard, name, actor=actor, today=today or timezone.localdate(now))
    if name == "publish":
        standard.published_at, standard.published_by = now, actor
    tracked_save(standard, actor=actor, reason=reason)
    record_event(
        action=f"catalog.standard.{workflow.STANDARD.transitions[name].target}",
        actor=actor,
        target=standard,
        reason=reason,
    )
    return standard
