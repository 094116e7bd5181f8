"""Disclosure periods of credit records (R-DIS-1, R-DIS-2): how long a record is shown, and when it ends; and the
daily expiry that archives every record whose period is over (R-DIS-3).

Periods are counted with the first day included: N months from a date end the day before the same date N months
later, so a record is never shown a day longer than the rule allows.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DisclosureLimits:
    """The months a record of one catalog item is shown: at least ``minimum``, at most ``maximum``."""

    minimum: int
    maximum: int


def disclosure_limits(
    *, catalog_item, profile=None, on: datetime.date | None = None, candidate=None
) -> DisclosureLimits:
    """R-DIS-1 (HN 27) and R-DIS-2 (XJ 44): the item's own display period, held within the profile's limits.

    The catalog checks the item against the profile when it is drafted; a profile changed since (the system
    administrator records a value) still binds every record entered after the change. Untrustworthiness
    information: at most the profile's maximum; administrative punishments: at least the profile's minimum and at
    most its maximum, and in food, drugs, special equipment, production and fire safety at least the special
    minimum. A value the regulation leaves unset limits nothing. Where a minimum the law sets exceeds a maximum,
    the minimum wins (the law's floor is not cut by the catalog's ceiling).

    R-NAT-2 (issue 20): for untrustworthiness information of a class, the national rules in force on ``on`` (the
    day of the record's cause: its determination) hold the period within the class's limits, the shorter maximum
    prevailing (the national layer's ``prevails``: it protects the subject); minor information is not published
    unless its item says publication is necessary (a period of 0 months), and then for at most the minor maximum.
    Without ``on``, or before the first national set, the class changes nothing: an act keeps the rules of its day.
    """
    from catalog.choices import Sector
    from creditportal.profiles import current_profile, profile_on

    if profile is None:  # R-NAT-6: the province's values in force on the day of the cause
        profile = profile_on(on, candidate=candidate) if on is not None else current_profile()
    low, high = catalog_item.display_min_months or 0, catalog_item.display_max_months
    if profile is not None:
        if catalog_item.is_untrustworthy and profile.disclosure_max_months:
            high = min(high, profile.disclosure_max_months)
        if catalog_item.is_administrative_punishment:
            if profile.punishment_disclosure_min_months:
                low = max(low, profile.punishment_disclosure_min_months)
            if profile.punishment_disclosure_max_months:
                high = min(high, profile.punishment_disclosure_max_months)
            if profile.special_sector_min_months and catalog_item.sector != Sector.GENERAL:
                low = max(low, profile.special_sector_min_months)
    limits = class_limits_for(catalog_item, on=on, candidate=candidate)
    if limits is not None:
        high = min(max(low, high), limits.maximum if (limits.published or catalog_item.publication_necessary) else 0)
        return DisclosureLimits(minimum=min(max(low, limits.minimum), high), maximum=high)
    return DisclosureLimits(minimum=low, maximum=max(low, high))


def class_limits_for(catalog_item, *, on: datetime.date | None, candidate=None):
    """The national class limits that apply to records of ``catalog_item`` caused on ``on`` (R-NAT-2), or None."""
    if on is None or not catalog_item.is_untrustworthy or not getattr(catalog_item, "info_class", ""):
        return None
    from creditportal.rules import class_limits

    return class_limits(catalog_item.info_class, on, candidate=candidate)


def months_from(start: datetime.date, months: int) -> datetime.date:
    """The last day of ``months`` months counted from ``start``, ``start`` included (R-DIS-1)."""
    return start + relativedelta(months=months) - datetime.timedelta(days=1)


def record_disclosure_period(*, catalog_item, determined_on, conduct_ended_on=None, profile=None, candidate=None):
    """R-DIS-1 (HN 27): disclosed from the determination date, or from the end of ongoing conduct, for the
    item's display maximum held within the profile's limits (R-DIS-2) and, for a class of untrustworthiness
    information, the national rules in force on the day of the determination (R-NAT-2, R-NAT-6)."""
    start = conduct_ended_on or determined_on
    limits = disclosure_limits(catalog_item=catalog_item, profile=profile, on=determined_on, candidate=candidate)
    return start, months_from(start, limits.maximum)


def restoration_open_from(records, *, after: datetime.date) -> datetime.date | None:
    """R-NAT-3: the first day the subject may apply for restoration of ``records``: the day after the last of their
    minimum display periods; None when that day is not after ``after`` (no minimum, or it has passed: at once)."""
    ends = [end for end in (minimum_display_until(record) for record in records) if end]
    first = max(ends) + datetime.timedelta(days=1) if ends else None
    return first if first and first > after else None


def unpublished_refusal(catalog_item, *, on: datetime.date) -> str | None:
    """R-NAT-2: why a record of ``catalog_item`` caused on ``on`` is not entered for disclosure (minor information the
    national rules in force then do not publish, its item not saying publication is necessary), or None."""
    limits = class_limits_for(catalog_item, on=on)
    if limits is None or limits.published or catalog_item.publication_necessary:
        return None
    from django.utils.translation import gettext

    from creditportal.rules import cite_ruleset

    return gettext(
        "Minor untrustworthiness information is not published under %(rules)s, and the catalog item does not say "
        "publication is necessary (R-NAT-2): it is not entered for disclosure."
    ) % {"rules": cite_ruleset(limits.ruleset, "minor_published")}


def records_changed_by(candidate, *, batch_size: int = 2000):
    """R-NAT-6: the displayed records whose disclosure period ``candidate`` (a draft rule set, judged as if it were
    published) would change: (record, old end, new end), oldest first. Only records whose cause falls on or after
    the set's date can change (an act keeps the rules of its day), and for a national set only items of a class;
    read in batches."""
    from creditportal.models.rules import RuleLayer

    from .models import CreditRecord
    from .workflow import RECORD

    records = CreditRecord.objects.filter(
        status__in=sorted(RECORD.sources_of("archive")), determined_on__gte=candidate.effective_from
    )
    if candidate.layer == RuleLayer.NATIONAL:  # the national set bounds only untrustworthiness information of a class
        records = records.filter(catalog_item__is_untrustworthy=True).exclude(catalog_item__info_class="")
    records = records.select_related("catalog_item", "subject").order_by("determined_on", "pk")
    for record in records.iterator(chunk_size=batch_size):
        _start, until = record_disclosure_period(
            catalog_item=record.catalog_item,
            determined_on=record.determined_on,
            conduct_ended_on=record.conduct_ended_on,
            candidate=candidate,
        )
        if until != record.disclosure_until:
            yield record, record.disclosure_until, until


def minimum_display_until(record, *, profile=None) -> datetime.date | None:
    """The last day of a record's minimum display period (R-DIS-2), or None when no minimum applies.

    XJ 46 (R-RES-2): restoration only after this day.
    """
    start = record.disclosure_from or record.conduct_ended_on or record.determined_on
    minimum = disclosure_limits(catalog_item=record.catalog_item, profile=profile, on=record.determined_on).minimum
    if not start or not minimum:
        return None
    return months_from(start, minimum)


# --- the daily expiry (R-DIS-3) -------------------------------------------------------------------------------


def records_due(*, today: datetime.date):
    """Records whose disclosure period ended before ``today`` and that may still be archived (the workflow's
    sources of "archive": active, suspended or hidden). Served by the ``(status, disclosure_until)`` index."""
    from .models import CreditRecord
    from .workflow import RECORD

    return CreditRecord.objects.filter(
        status__in=sorted(RECORD.sources_of("archive")), disclosure_until__isnull=False, disclosure_until__lt=today
    )


@dataclass
class ExpiryResult:
    archived: int = 0
    failed: int = 0
    batches: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"archived": self.archived, "failed": self.failed, "batches": self.batches}


def records_expire(*, today: datetime.date, batch_size: int = 5000, limit: int | None = None) -> ExpiryResult:
    """The daily expiry job (R-DIS-3; HN 27, HL 37, XJ 47): every record whose period is over is archived —
    display stops for good, the record is kept (never destroyed, R-SEC-4) and its shared copies are flagged for
    withdrawal within the profile's days.

    Set-based: the rows of a batch are locked (``skip_locked``: a row another worker holds is left for it or for
    the next run), changed in memory to the workflow's "archive" target and written with one bulk update that
    writes every history row (``bulk_update_tracked``: actor ``system``, the reason) and one bulk insert of the
    timeline events. Each batch commits on its own, so a crash loses at most the batch in flight and the next run
    resumes where it stopped; an archived record is no longer due, so a second run does nothing. A batch that
    fails is retried one record at a time through ``subjects.services.record_archive`` (the act a person's
    service takes), so one bad row is logged and skipped without stopping the rest.

    Each batch announces its records' end (``subjects.endings``), so a designation resting on an archived record
    ends with it in the same transaction (``designations.services.endings``); designations whose own listing
    period is over are removed by their own clock (``designations.services.listing_expired``).
    """
    from django.db import transaction

    from creditportal.audit import system_user
    from creditportal.deadlines import sweep_time

    actor = system_user()
    now = sweep_time(today)
    sharing_due = _sharing_due(today)
    result = ExpiryResult()
    after_pk = 0
    while limit is None or result.archived + result.failed < limit:
        size = batch_size if limit is None else min(batch_size, limit - result.archived - result.failed)
        start = after_pk
        try:
            with transaction.atomic():
                rows = _lock_batch(today=today, after_pk=start, size=size)
                if not rows:
                    break
                _archive_rows(rows, actor=actor, now=now, sharing_due=sharing_due)
            after_pk = rows[-1].pk
            result.archived += len(rows)
            result.batches += 1
        except Exception:  # one bad row must not stop the rest: this batch again, one record at a time
            logger.warning("Expiry batch after record %s failed; archiving one by one", start, exc_info=True)
            pks = list(records_due(today=today).filter(pk__gt=start).order_by("pk").values_list("pk", flat=True)[:size])
            if not pks:
                break
            after_pk = pks[-1]
            done, failed = _archive_one_by_one(pks, actor=actor, now=now, today=today)
            result.archived += done
            result.failed += failed
            result.batches += 1
    return result


def _sharing_due(today: datetime.date) -> datetime.date | None:
    """The day shared copies must be withdrawn by: the profile's working days, or None where none is set."""
    from creditportal import deadlines
    from creditportal.choices import DayCount
    from creditportal.profiles import current_profile

    profile = current_profile()
    days = profile.shared_copies_change_wd if profile else None
    if not days:
        return None
    return deadlines.compute(anchor_date=today, days=days, unit=DayCount.WORKING_DAYS).due


def _lock_batch(*, today: datetime.date, after_pk: int, size: int) -> list:
    return list(
        records_due(today=today)
        .filter(pk__gt=after_pk)
        .order_by("pk")
        .select_for_update(skip_locked=True, of=("self",))[:size]
    )


#: Rows per UPDATE statement of the bulk update (measured: see docs/benchmarks.md, expiry section).
UPDATE_BATCH = 200


def _archive_rows(rows: list, *, actor, now: datetime.datetime, sharing_due) -> None:
    from django.utils.translation import gettext

    from creditportal.audit import bulk_update_tracked, record_events

    from .choices import ArchiveReason, RecordEndCause, SharingFlag
    from .endings import announce_record_end
    from .workflow import RECORD

    reason = gettext("Disclosure period ended: archived, never displayed again (R-DIS-3)")
    # The set-based path of RECORD's "archive": the same permission, sources and guards, row by row in memory.
    transition = RECORD.apply_many(rows, "archive", actor=actor)
    for row in rows:
        row.archived_at, row.archive_reason = now, ArchiveReason.PERIOD_ENDED
        row.sharing_flag, row.sharing_due = SharingFlag.WITHDRAW, sharing_due
    bulk_update_tracked(
        rows,
        [RECORD.field_name, "archived_at", "archive_reason", "sharing_flag", "sharing_due"],
        actor=actor,
        reason=reason,
        # bulk_update writes one CASE WHEN per field with a branch per row: PostgreSQL's cost grows with the
        # square of the rows in one statement, so the lock batch is written in statements of UPDATE_BATCH rows.
        batch_size=UPDATE_BATCH,
    )
    record_events(
        action="subjects.record.archive",
        actor=actor,
        department=[row.department_id for row in rows],
        model=type(rows[0]),
        object_ids=[row.pk for row in rows],
        reason=reason,
        at=now,
        data=[{"status": transition.target, "because": ArchiveReason.PERIOD_ENDED, "batch": True}] * len(rows),
    )
    announce_record_end(records=rows, cause=RecordEndCause.EXPIRED, actor=actor, reason=reason, now=now)


def _archive_one_by_one(pks: list[int], *, actor, now, today) -> tuple[int, int]:
    from django.utils.translation import gettext

    from .models import CreditRecord
    from .services import record_archive

    done = failed = 0
    for pk in pks:
        try:
            record = CreditRecord.objects.get(pk=pk)
            if record.disclosure_until is None or record.disclosure_until >= today:
                continue
            record_archive(
                record=record,
                actor=actor,
                reason=gettext("Disclosure period ended: archived, never displayed again (R-DIS-3)"),
                now=now,
            )
            done += 1
        except Exception:
            logger.exception("Record %s could not be archived; it stays due for the next run", pk)
            failed += 1
    return done, failed
