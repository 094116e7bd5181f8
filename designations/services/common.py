"""What every designation service shares: the profile, who may act, the row lock, the act itself."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from creditportal.audit import record_event, tracked_save
from creditportal.cases.workflow import lock_case
from creditportal.locking import ConcurrentChange as ConcurrentChange  # re-exported by designations.services
from creditportal.models import JurisdictionProfile
from creditportal.profiles import current_profile
from subjects.choices import Ownership

from ..models import Designation
from ..workflow import DESIGNATION
from .publication import publication_follow

STATE_ORGANS = {Ownership.STATE_ORGAN, Ownership.STATE_OWNED, Ownership.PUBLIC_INSTITUTION}
DRAFT_FIELDS = (
    "facts",
    "reasons",
    "proposed_listing_months",
    "leniency",
    "leniency_reasons",
    "proportionality_statement",
    "statement_period_wd",
)


def profile() -> JurisdictionProfile | None:
    return current_profile()


def _lock(designation: Designation, expected_version: int | None) -> Designation:
    """The designation locked, and still at the version the user's page was opened at (the case kit's lock)."""
    return lock_case(
        Designation.objects.select_related("department", "subject", "standard"),
        designation.pk,
        expected_version=expected_version,
    )


def _check(designation: Designation, act: str, *, actor, now=None, **context) -> None:
    """An act that changes no state (a statement, a hearing, an objection): the same declared permission,
    sources and guards as a transition (designations/workflow.py)."""
    now = now or timezone.now()
    DESIGNATION.apply(designation, act, actor=actor, today=timezone.localdate(now), profile=profile(), **context)


def _act(
    designation: Designation,
    act: str,
    *,
    actor,
    reason: str,
    now=None,
    expected_version=None,
    prepare=None,
    before_save=None,
    **context,
) -> Designation:
    now = now or timezone.now()
    designation = _lock(designation, expected_version)
    if not DESIGNATION.permitted(designation, act, actor):
        raise PermissionDenied(DESIGNATION.forbidden_message(act))
    if prepare:
        prepare(designation)
    before = designation.state
    DESIGNATION.apply(designation, act, actor=actor, today=timezone.localdate(now), profile=profile(), **context)
    if before_save:
        before_save(designation)
    tracked_save(designation, actor=actor, reason=reason, validate=False)  # the save adds one to the version
    publication_follow(designation, before=before, at=now)  # the public list follows, in the same transaction
    record_event(
        action=f"designations.designation.{act}",
        actor=actor,
        target=designation,
        reason=reason,
        at=now,
        data={"state": designation.state},
    )
    return designation


def designation_check_act(*, designation: Designation, act: str, actor, now=None) -> Designation:
    """For other apps (an objection received): lock the designation and check a declared act that changes no
    state, inside the caller's transaction. Returns the locked designation."""
    designation = _lock(designation, None)
    _check(designation, act, actor=actor, now=now)
    return designation


@transaction.atomic
def designation_objection_label(*, designation: Designation, actor, reason: str, since) -> None:
    """R-OBJ-2: label the designation "under objection" from ``since`` (None clears the label). Called by the
    objections app's services only; the label changes no state and no version (it is not the case's act)."""
    designation = Designation.objects.select_for_update().get(pk=designation.pk)
    if designation.under_objection_since != since:
        designation.under_objection_since = since
        tracked_save(designation, actor=actor, reason=reason, validate=False)
