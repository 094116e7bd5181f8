"""What falls when a record falls (issue 17): the one rule for the designations resting on a credit record that
ended (``subjects.endings``), and for a designation that no longer stands for a cause of its own (an adopted
objection, a restoration granted).

The rule, in one place:
- which designations: every one resting on an ended record that still stands (not withdrawn, rejected or removed);
- how each ends: listed → "remove" (off the list, measures stop) with the removal reason the cause gives;
  not yet in force → "withdraw"; each through the designation workflow, so its permission, sources and guards
  hold, with one history entry and one timeline event, whose reason names the cause;
- who may: whoever ended the record, if the designation workflow lets them take that act on that designation;
  the system user (the nightly expiry) only for the record's expiry (R-DIS-1, R-DIS-3);
- whole or nothing: if one designation cannot end (another department's, a decision served but not yet
  listed, …), the record's end is refused with the reason, inside the same transaction, and nothing changes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from subjects.choices import RecordEndCause
from subjects.endings import RecordEnd

from ..choices import RemovalReason
from ..models import Designation
from ..workflow import DESIGNATION, ENDED
from .common import profile

#: The designation's removal reason for each way a record ends.
REMOVAL_REASON = {
    RecordEndCause.EXPIRED: RemovalReason.BASIS_EXPIRED,
    RecordEndCause.RESTORED: RemovalReason.RESTORATION,
    RecordEndCause.REVOKED: RemovalReason.REVOCATION,
    RecordEndCause.OBJECTION_SUSTAINED: RemovalReason.OBJECTION_ADOPTED,
    RecordEndCause.CORRECTED: RemovalReason.BASIS_CORRECTED,
}


def ending_act(designation: Designation) -> str:
    """How a standing designation ends: "remove" once it is on the list, "withdraw" before."""
    return "remove" if designation.state in DESIGNATION.sources_of("remove") else "withdraw"


def designation_end(*, designation: Designation, removal_reason: str, actor, reason: str, now=None) -> str | None:
    """End one designation that no longer stands, by the act its state calls for (``ending_act``). Returns the
    act taken, or None when it had already ended. Refused with the workflow's reason, nothing changed:
    PermissionDenied when ``actor`` does not hold the act's permission for it, ValidationError when its state or
    guards refuse it now."""
    from .decision import designation_remove, designation_withdraw

    now = now or timezone.now()
    designation = Designation.objects.select_for_update().select_related("department").get(pk=designation.pk)
    if designation.state in ENDED:
        return None
    act = ending_act(designation)
    refusal = DESIGNATION.can(
        designation, act, actor=actor, today=timezone.localdate(now), profile=profile(), removal_reason=removal_reason
    )
    if refusal:
        message = _(
            "Designation %(designation)s (%(department)s) would no longer stand, but it cannot be ended now: "
            "%(why)s Nothing was changed."
        ) % {"designation": designation, "department": designation.department.display_name, "why": refusal}
        if not DESIGNATION.permitted(designation, act, actor):
            raise PermissionDenied(message)
        raise ValidationError(message, code="designation_falls")
    if act == "remove":
        designation_remove(designation=designation, actor=actor, reason=reason, removal_reason=removal_reason, now=now)
    else:
        designation_withdraw(
            designation=designation, actor=actor, reason=reason, now=now, removal_reason=removal_reason
        )
    return act


def designations_fall_with_records(end: RecordEnd) -> list[tuple[Designation, str]]:
    """The ``subjects.endings`` handler: every standing designation resting on one of ``end``'s records ends
    (``designation_end``), in primary-key order (so two jobs lock in the same order), whole or nothing."""
    removal_reason = REMOVAL_REASON[end.cause]
    standing = (
        Designation.objects.filter(records__pk__in=end.record_ids).exclude(state__in=ENDED).distinct().order_by("pk")
    )
    fell = []
    for designation in standing:
        act = designation_end(
            designation=designation, removal_reason=removal_reason, actor=end.actor, reason=end.reason, now=end.now
        )
        if act:
            fell.append((designation, act))
    return fell
