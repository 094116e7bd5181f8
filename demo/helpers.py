"""Shared pieces of the demo seed: the attributable get-or-create, the tally, fixed dates (R-SEC-4)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.db import models

from creditportal.audit import tracked_save

M = TypeVar("M", bound=models.Model)

#: The reason every history row written by the seed carries (R-SEC-4: every change attributable, reasoned).
REASON = "演示数据（seed_demo）"  # stored as users read it: Chinese (issue 9)

#: The seed's fixed clock: every datetime is aware, in the deployment's zone, never "now".
TZ = ZoneInfo("Asia/Shanghai")


def aware(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """A fixed, timezone-aware moment in Asia/Shanghai."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Tally:
    """Rows created and rows already present, per model, for the command's summary."""

    def __init__(self) -> None:
        self._counts: dict[str, list[int]] = {}

    def add(self, model: type[models.Model], *, created: bool) -> None:
        counts = self._counts.setdefault(model._meta.label, [0, 0])
        counts[0 if created else 1] += 1

    @property
    def created(self) -> int:
        return sum(created for created, _present in self._counts.values())

    @property
    def present(self) -> int:
        return sum(present for _created, present in self._counts.values())

    def rows(self) -> list[tuple[str, int, int]]:
        """``(model label, created, already present)`` in the order the seed first touched each model."""
        return [(label, created, present) for label, (created, present) in self._counts.items()]

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {label: {"created": created, "present": present} for label, created, present in self.rows()}


def get_or_create_tracked(
    model: type[M],
    *,
    lookup: dict,
    defaults: dict,
    actor,
    tally: Tally,
    prepare: Callable[[M], None] | None = None,
) -> tuple[M, bool]:
    """The row matching ``lookup`` (its natural key), or a new, validated one that names ``actor`` and REASON.

    Only for the reference rows no service writes (departments, accounts, memberships): every domain row of
    the demo goes through its service, and so through the lawful-data guard.

    Unlike ``QuerySet.get_or_create`` the history user and change reason are set *before* the save, so the
    historical row simple-history writes is attributable (R-SEC-4; HN 26, HN 34). An existing row is
    returned untouched, never updated: running the seed twice writes nothing, not even a history row.
    ``prepare`` runs on a new instance before validation (for example to hash a password).
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is not None:
        tally.add(model, created=False)
        return obj, False
    obj = model(**lookup, **defaults)
    if prepare is not None:
        prepare(obj)
    tracked_save(obj, actor=actor, reason=REASON)
    tally.add(model, created=True)
    return obj, True
