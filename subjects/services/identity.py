"""Natural persons' identity numbers sealed where they were written in clear, and encrypted again under the newest
key (issue 21; creditportal.identity)."""

from __future__ import annotations

from django.db import transaction

from creditportal.audit import record_event
from creditportal.identity import SEALED_ACTION, digest, reseal, seal, sealing_signature, suite
from creditportal.masking import mask_identity
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


def seal_clear_rows(subject_model, history_model, event_model, *, batch: int = 2000) -> dict[str, int]:
    """Seal the identifiers of rows written before they were sealed (the migration subjects 0013 passes its
    historical models; creditportal.identity holds the cipher): each subject's digest, a person's number encrypted and masked, and the history's rows
    masked with their digests. The history's rows were copied into the audit ledger before: that masking is the one
    change of them the ledger's verification accepts, by the signed count this leaves (an audit event)."""
    from django.utils import timezone

    person = SubjectKind.NATURAL_PERSON
    counts = {"subjects": 0, "history": 0, "history_through": 0}
    rows = list(subject_model.objects.filter(id_digest="").order_by("pk")[:batch])
    while rows:
        for row in rows:
            clear = row.id_number
            row.id_digest = digest(clear)
            if row.kind == person:
                row.id_sealed, row.id_number = seal(clear), mask_identity(clear)
        with history_written_by_caller():  # the same identifier, sealed: nothing a history row would record
            subject_model.objects.bulk_update(rows, ["id_number", "id_sealed", "id_digest"])
        counts["subjects"] += len(rows)
        rows = list(subject_model.objects.filter(id_digest="").order_by("pk")[:batch])
    rows = list(history_model.objects.filter(id_digest="").order_by("history_id")[:batch])
    while rows:
        for row in rows:
            row.id_digest = digest(row.id_number)
            if row.kind == person:
                row.id_number = mask_identity(row.id_number)
        with history_written_by_caller():
            history_model.objects.bulk_update(rows, ["id_number", "id_digest"])
        counts["history"] += len(rows)
        counts["history_through"] = max(counts["history_through"], rows[-1].history_id)
        rows = list(history_model.objects.filter(id_digest="").order_by("history_id")[:batch])
    if counts["history"]:
        summary = {"history": counts["history"], "history_through": counts["history_through"]}
        event_model.objects.create(
            at=timezone.now(),
            action=SEALED_ACTION,
            reason="身份证件号码加密存储，历史记录中的号码已脱敏",
            data={
                **summary,
                "subjects": counts["subjects"],
                "signature": sealing_signature(summary),
            },
        )
    return counts
