"""Natural persons' identity numbers encrypted again under the newest key (issue 21; creditportal.identity)."""

from __future__ import annotations

from django.db import transaction

from creditportal.audit import record_event
from creditportal.identity import reseal, suite
from creditportal.models.base import history_written_by_caller

from ..choices import SubjectKind
from ..models import CreditSubject

ROTATED_ACTION = "subjects.identity.rotated"


def identity_keys_rotate(*, actor, reason: str, batch: int = 1000) -> int:
    """Encrypt every natural person's number sealed under an older key again under the newest (the first of
    ``PORTAL_IDENTITY_KEYS``), in batches, while the portal runs: each batch's rows are locked for the moment they
    are re-sealed, so an edit made meanwhile is never overwritten. Only the encrypted column changes, which no
    history copies (the number, its mask and digest stay as they were), so no history row is written; one audit
    event counts the rows. Returns how many were re-sealed; once it has run, the older keys may be removed."""
    total, after = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                CreditSubject.objects.select_for_update()
                .filter(kind=SubjectKind.NATURAL_PERSON, pk__gt=after)
                .exclude(id_sealed="")
                .order_by("pk")
                .only("pk", "id_sealed")[:batch]
            )
            if not rows:
                break
            after = rows[-1].pk
            changed = []
            for row in rows:
                fresh = reseal(row.id_sealed)
                if fresh is not None:
                    row.id_sealed = fresh
                    changed.append(row)
            with history_written_by_caller():  # the encrypted column only: no history copies it
                CreditSubject.objects.bulk_update(changed, ["id_sealed"])
            total += len(changed)
    record_event(action=ROTATED_ACTION, actor=actor, reason=reason, data={"subjects": total, "suite": suite().name})
    return total
