"""The listing period of a designation: one function decides when a listing ends (R-DIS-1, R-DES-5; issue 19).

A designation rests on credit records, and a listing never runs past the disclosure period of the information it
rests on, counted the way the law counts it: from the determination, or from the end of ongoing conduct
(R-DIS-1), for the record's own display period held within the profile's limits (``subjects.disclosure``). So the
last listed day is the earliest of:

- the period proposed in the case: N months from the day the decision is served, that day included;
- the period in the standard's removal conditions (``DesignationStandard.listing_max_months``: 满三年 is 36), from
  the same day, so no decision lists longer than its own standard allows;
- for each record relied on, the last day of its disclosure period (``CreditRecord.disclosure_until``);
- for each record, the profile's maximum for untrustworthiness information counted from its determination or
  the end of its conduct, where the regulation sets one (HN 27: five years), so a record entered under an older,
  longer rule still cannot carry a listing past today's law.

Where the regulation sets no maximum (HL, HB, XJ), the records' own periods bound the listing: a deployment can
designate from its first day, and never longer than the information is shown.

The decision states the period and, when one of the records' periods is earlier, that day as the latest end
(``listing_cap``); service fixes the dates (``listing_period``); the case page shows every bound and which one
ended the listing. When a record ends early (expiry, restoration, revocation, correction, objection), the
designation ends with it through ``designations.services.endings``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from creditportal.profiles import profile_on
from subjects.disclosure import months_from

#: What a bound is: the case's own proposal, the standard's removal conditions, a record's disclosure period, the
#: law's maximum for a record.
PROPOSED, STANDARD, RECORD, LAW = "proposed", "standard", "record", "law"


@dataclass(frozen=True)
class Bound:
    """One limit on the last listed day, with what it is and why (for the page and the decision)."""

    kind: str
    ends_on: datetime.date
    explanation: str
    record_id: int | None = None


@dataclass(frozen=True)
class ListingPeriod:
    """The listing from ``starts_on`` to ``ends_on`` (both included), and every bound considered."""

    starts_on: datetime.date
    ends_on: datetime.date
    bounds: tuple[Bound, ...]

    @property
    def binding(self) -> Bound:
        """The bound that ends the listing (the proposal first, when several end on the same day)."""
        return next(b for b in self.bounds if b.ends_on == self.ends_on)

    @property
    def capped(self) -> bool:
        """The information's period ends the listing before the period proposed."""
        return self.binding.kind != PROPOSED

    @property
    def empty(self) -> bool:
        return self.ends_on < self.starts_on


def record_bounds(records: Iterable, *, profile=None) -> list[Bound]:
    """The bounds the records set: each one's disclosure period, and the law's maximum counted for it."""
    bounds = []
    for record in records:
        # R-NAT-6: the law's maximum in force on the day of the record's cause.
        in_force = profile if profile is not None else profile_on(record.determined_on)
        maximum = in_force.disclosure_max_months if in_force else None
        article = in_force.cite("R-DIS-1") if in_force else ""
        if record.disclosure_until:
            bounds.append(
                Bound(
                    RECORD,
                    record.disclosure_until,
                    _("the end of the disclosure period of record #%(id)s (%(item)s)")
                    % {"id": record.pk, "item": record.catalog_item.name},
                    record.pk,
                )
            )
        start = record.conduct_ended_on or record.determined_on
        if maximum and start:
            counted_from = _("the end of the conduct") if record.conduct_ended_on else _("the determination")
            bounds.append(
                Bound(
                    LAW,
                    months_from(start, maximum),
                    _("the end of %(months)s months from %(from)s (%(date)s), the longest the law allows%(article)s")
                    % {
                        "months": maximum,
                        "from": counted_from,
                        "date": start.isoformat(),
                        "article": f"（{article}）" if article else "",
                    },
                    record.pk,
                )
            )
    return bounds


def standard_bounds(standard, *, starts_on: datetime.date) -> list[Bound]:
    """The bound the standard's removal conditions set, counted from the day the decision is served."""
    months = standard.listing_max_months
    if not months:
        return []
    return [
        Bound(
            STANDARD,
            months_from(starts_on, months),
            _("the end of the %(months)s months after which the standard %(title)s removes a listing")
            % {"months": months, "title": f"《{standard.title}》"},
        )
    ]


def listing_period(designation, *, starts_on: datetime.date, records=None, profile=None) -> ListingPeriod:
    """R-DIS-1, R-DES-5: the listing that starts on ``starts_on`` (the day the decision is served) and its end."""
    records = list(records if records is not None else designation.records.all())
    months = designation.proposed_listing_months
    bounds = [
        Bound(
            PROPOSED,
            months_from(starts_on, months),
            _("the end of the %(months)s months decided, from the day the decision is served (%(date)s)")
            % {"months": months, "date": starts_on.isoformat()},
        ),
        *standard_bounds(designation.standard, starts_on=starts_on),
        *sorted(record_bounds(records, profile=profile), key=lambda b: b.ends_on),
    ]
    return ListingPeriod(starts_on=starts_on, ends_on=min(b.ends_on for b in bounds), bounds=tuple(bounds))


def listing_cap(designation, *, records=None, profile=None) -> Bound | None:
    """The latest day any listing of this designation can end, whenever its decision is served: the earliest
    bound the records set (None when they set none). The decision states it beside the months proposed."""
    records = list(records if records is not None else designation.records.all())
    bounds = record_bounds(records, profile=profile)
    return min(bounds, key=lambda b: b.ends_on) if bounds else None


def months_available(designation_records, *, today: datetime.date, profile=None) -> tuple[int | None, Bound | None]:
    """How many whole months a listing starting ``today`` can last before the records' earliest bound: what a
    caseworker may propose now (None: the records set no bound)."""
    bounds = record_bounds(designation_records, profile=profile)
    if not bounds:
        return None, None
    cap = min(bounds, key=lambda b: b.ends_on)
    months = 0
    while months_from(today, months + 1) <= cap.ends_on:
        months += 1
    return months, cap


def standard_months(standard) -> int | None:
    """The longest listing the standard's removal conditions allow, in months (None: they set no period)."""
    return standard.listing_max_months or None


def listings_changed_by(candidate):
    """R-NAT-6: the listings a draft rule set would end earlier — each listed designation whose records' disclosure
    periods, recomputed under ``candidate``, end before its ``listed_until`` (a listing never outlives its basis;
    it never grows either). Yields (designation, old end, new end)."""
    from subjects.disclosure import record_disclosure_period

    from .choices import DesignationState
    from .models import Designation

    listed = (
        Designation.objects.filter(state=DesignationState.LISTED, listed_until__isnull=False)
        .filter(records__determined_on__gte=candidate.effective_from)
        .distinct()
        .prefetch_related("records__catalog_item")
        .order_by("pk")
    )
    for designation in listed.iterator(chunk_size=500):
        ends = []
        for record in designation.records.all():
            _start, until = record_disclosure_period(
                catalog_item=record.catalog_item,
                determined_on=record.determined_on,
                conduct_ended_on=record.conduct_ended_on,
                candidate=candidate,
            )
            ends.append(until)
        new_end = min([designation.listed_until, *ends])
        if new_end != designation.listed_until:
            yield designation, designation.listed_until, new_end
