"""Statutory clocks: open, recompute, explain, close, and the sweep Celery beat runs.

A deadline is a row (``Deadline``) with its rule, anchor and days; the due date is computed by
``creditportal.workdays`` and stored for indexing. "Overdue" is derived from the due date and today.
Workflow apps register what happens when a clock runs out (``register_expiry``); the sweep calls that
service as the system user, under a row lock, skipping rows another worker holds, one failure not
stopping the rest.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import workdays
from .audit import record_event, system_user, tracked_save
from .choices import DayCount, DeadlineStatus
from .models import Deadline

logger = logging.getLogger(__name__)

#: (case model label, rule id) → the service to call when the clock has run out: fn(*, deadline, actor, today).
_EXPIRY_HANDLERS: dict[tuple[str, str], Callable] = {}


#: case model label → the field on the case that keeps a copy of its clock's due date (for lists and filters).
_DUE_DATE_COPIES: dict[str, tuple[str, frozenset[str]]] = {}


def sweep_time(today: datetime.date) -> datetime.datetime:
    """The moment a sweep acts for ``today`` (its first minute, local time): handlers pass it as ``now``."""
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(0, 1)))


def register_expiry(model_label: str, rule_id: str, handler: Callable) -> None:
    _EXPIRY_HANDLERS[(model_label.lower(), rule_id)] = handler


#: Clocks that run for the subject (its time to act: the statement period), with what the subject is told they are:
#: the subject is reminded by mail before they end (issue 22; ``subjects.services.notifications``).
_SUBJECT_CLOCKS: dict[tuple[str, str], str] = {}


def register_subject_clock(model_label: str, rule_id: str, *, what: str) -> None:
    """``what``: the clock in the subject's words (marked for translation with ``gettext_noop``)."""
    _SUBJECT_CLOCKS[(model_label.lower(), rule_id)] = what


def subject_clock_condition() -> Q:
    """The clocks registered with ``register_subject_clock``."""
    condition = Q(pk__in=[])
    for model_label, rule_id in _SUBJECT_CLOCKS:
        app_label, model = model_label.split(".")
        try:
            content_type = ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist:
            continue
        condition |= Q(content_type_id=content_type.pk, rule_id=rule_id)
    return condition


def subject_clock_what(deadline: Deadline) -> str:
    """What the subject is told the clock is (untranslated: the caller translates in the subject's language)."""
    label = deadline.content_type.app_label + "." + deadline.content_type.model
    return _SUBJECT_CLOCKS.get((label, deadline.rule_id), "")


#: What a case's title reads besides the case (``str(case)``: its subject's name, a record's catalog item), fetched
#: with the cases so that a page or a mail naming many clocks' cases makes no query per case.
TITLE_RELATED = ("subject", "catalog_item")


def cases_of(deadlines) -> dict[tuple[int, int], object]:
    """The case of each deadline, by (content type id, object id): one query per kind of case, with what its title
    reads (``TITLE_RELATED``). The dashboard, "My work", the deadlines page and the mails all name cases this way."""
    by_type: dict[int, set[int]] = {}
    for deadline in deadlines:
        by_type.setdefault(deadline.content_type_id, set()).add(deadline.object_id)
    cases: dict[tuple[int, int], object] = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        related = [f.name for f in model._meta.fields if f.is_relation and f.name in TITLE_RELATED]
        for pk, case in model._default_manager.select_related(*related).in_bulk(ids).items():
            cases[(type_id, pk)] = case
    return cases


def self_ending_condition() -> Q:
    """The clocks the sweep ends itself (an expiry handler is registered for their kind of case and rule: the
    statement period, the listing). Nobody has to act before them, so monitoring neither reminds nor escalates
    them, and they are not counted as met or missed (``creditportal.monitoring``)."""
    condition = Q(pk__in=[])
    for model_label, rule_id in _EXPIRY_HANDLERS:
        app_label, model = model_label.split(".")
        try:
            content_type = ContentType.objects.get_by_natural_key(app_label, model)  # cached by its manager
        except ContentType.DoesNotExist:  # a model with no table yet has no clocks either
            continue
        condition |= Q(content_type_id=content_type.pk, rule_id=rule_id)
    return condition


def register_due_date_copy(model_label: str, field_name: str, *, rules: tuple[str, ...] = ()) -> None:
    """The case keeps a copy of its clock's due date in ``field_name``; every recompute updates it too. A case
    with several clocks names the ``rules`` of the one it copies (its own department's: an assisting unit's clock
    of the same rule is not the case's); while that clock is paused the copy is empty (no date is due)."""
    _DUE_DATE_COPIES[model_label.lower()] = (field_name, frozenset(rules))


def _update_copy(deadline: Deadline, *, actor, reason: str) -> None:
    copy = _DUE_DATE_COPIES.get(f"{deadline.content_type.app_label}.{deadline.content_type.model}")
    if not copy:
        return
    field_name, rules = copy
    if rules and deadline.rule_id not in rules:
        return
    model = deadline.content_type.model_class()
    if model is None:
        raise LookupError(f"Deadline {deadline.pk} points at {deadline.content_type}, which has no model.")
    case = model._default_manager.select_for_update().get(pk=deadline.object_id)
    if getattr(case, "department_id", deadline.department_id) != deadline.department_id:
        return
    due = None if deadline.status == DeadlineStatus.PAUSED else deadline.due_date
    if getattr(case, field_name) != due:
        setattr(case, field_name, due)
        tracked_save(case, actor=actor, reason=reason, validate=False)


def compute(*, anchor_date: datetime.date, days: int, unit: str, pauses=(), calendar=None) -> workdays.DueDate:
    calendar = calendar or workdays.load_calendar()
    if unit == DayCount.WORKING_DAYS:
        return workdays.add_working_days(anchor_date, days, calendar, tuple(pauses))
    return workdays.add_calendar_days(
        anchor_date, days, calendar, tuple(pauses), fixed_end=unit == DayCount.PERIOD_DAYS
    )


def _pauses(deadline: Deadline) -> tuple[workdays.Pause, ...]:
    if deadline.pk is None:
        return ()
    return tuple(workdays.Pause(p.paused_from, p.paused_until, p.reason) for p in deadline.pauses.all())


def _extension_days(deadline: Deadline) -> int:
    return sum(deadline.extensions.values_list("days", flat=True)) if deadline.pk else 0


def due_under(deadline: Deadline, *, days: int, unit: str) -> datetime.date | None:
    """The due date ``deadline`` would have with ``days`` in ``unit``, its extensions and pauses kept (a rule set's
    preview, R-NAT-6); None while a pause holds the clock."""
    return compute(
        anchor_date=deadline.anchor_date, days=days + _extension_days(deadline), unit=unit, pauses=_pauses(deadline)
    ).due


@transaction.atomic
def deadline_open(
    *,
    case,
    department,
    rule_id: str,
    article: str,
    anchor_event: str,
    anchor_date: datetime.date,
    days: int,
    unit: str,
    actor,
    reason: str,
) -> Deadline:
    """Start a clock for ``case`` (``days`` counted from the day after ``anchor_date``)."""
    result = compute(anchor_date=anchor_date, days=days, unit=unit)
    deadline = Deadline(
        department=department,
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        rule_id=rule_id,
        article=article,
        anchor_event=anchor_event,
        anchor_date=anchor_date,
        days=days,
        unit=unit,
        due_date=result.due or anchor_date,
        provisional=result.provisional,
    )
    tracked_save(deadline, actor=actor, reason=reason)
    return deadline


def passed_refusal(deadline: Deadline | None, *, today: datetime.date) -> str | None:
    """Issue 18: a deadline that has passed stays passed. A running clock whose due date is behind ``today`` is
    missed (and escalated by the sweep); nothing done afterwards (an extension, a pause, the help of another unit)
    moves it or makes the late answer count as on time. A paused clock has no due date to pass; a provisional one
    is not settled until its year's schedule is loaded (the calendar may still move it)."""
    if deadline is None or deadline.status != DeadlineStatus.OPEN or deadline.provisional:
        return None
    if deadline.due_date >= today:
        return None
    return _(
        "The deadline passed on %(date)s and stays passed: it counts as missed, and the supervisors are told of it. "
        "An extension, a pause or the help of another unit changes a deadline only before it passes."
    ) % {"date": deadline.due_date.isoformat()}


def _recount(deadline: Deadline, *, today: datetime.date) -> workdays.DueDate:
    """The due date from the anchor, the days with their extensions and the pauses (None while a pause holds the
    clock). A due date that has passed is never moved (``passed_refusal``): the recount is refused."""
    result = compute(
        anchor_date=deadline.anchor_date,
        days=deadline.days + _extension_days(deadline),
        unit=deadline.unit,
        pauses=_pauses(deadline),
    )
    refusal = passed_refusal(deadline, today=today)
    if refusal and result.due != deadline.due_date:
        raise ValidationError(refusal, code="deadline_passed")
    return result


def deadline_recompute(*, deadline: Deadline, actor, reason: str, today: datetime.date | None = None) -> Deadline:
    """Recompute after a pause, an extension or a calendar change. A due date that has passed is never moved
    (``passed_refusal``): the recompute is refused, whatever asked for it."""
    result = _recount(deadline, today=today or timezone.localdate())
    deadline.provisional = result.provisional
    if result.due is None:
        deadline.status = DeadlineStatus.PAUSED
    else:
        if result.due > deadline.due_date:
            # A later due date (an extension, a pause) is a new date to remind of and, if missed, to escalate.
            deadline.reminded_at = deadline.escalated_at = None
        deadline.due_date = result.due
        if deadline.status == DeadlineStatus.PAUSED:
            deadline.status = DeadlineStatus.OPEN
    tracked_save(deadline, actor=actor, reason=reason)
    _update_copy(deadline, actor=actor, reason=reason)
    return deadline


@dataclass
class Explanation:
    deadline: Deadline
    result: workdays.DueDate
    extension_days: int


def provisional_refusal(deadline: Deadline | None) -> str | None:
    """A provisional due date never ends a period early: why this clock cannot be treated as run out yet."""
    if deadline is None or not deadline.provisional:
        return None
    years = sorted(
        set(range(deadline.anchor_date.year, deadline.due_date.year + 1)) - set(workdays.load_calendar().loaded_years)
    ) or [deadline.due_date.year]
    return _(
        "The due date %(date)s is provisional: the official holiday schedule of %(years)s is not loaded, so "
        "the working days cannot be counted for certain. It cannot close the period until the schedule is "
        "loaded (the system administrator loads it; the date is then recomputed)."
    ) % {"date": deadline.due_date.isoformat(), "years": ", ".join(map(str, years))}


def deadline_explain(*, deadline: Deadline) -> Explanation:
    """Everything needed to check a due date by hand: rule, anchor, days counted, days skipped and why."""
    extension = _extension_days(deadline)
    result = compute(
        anchor_date=deadline.anchor_date, days=deadline.days + extension, unit=deadline.unit, pauses=_pauses(deadline)
    )
    return Explanation(deadline, result, extension)


@transaction.atomic
def deadline_close(*, deadline: Deadline, actor, reason: str, status: str = DeadlineStatus.MET, now=None) -> Deadline:
    """Close a running clock: met, or cancelled with its case, at ``now``. A paused clock (R-OBJ-4) has no due date
    to pass: its pause ends on the day it is closed and its due date is recounted with the pause, so a clock closed
    while stopped is judged on the days that counted, never on the date it had before the pause (``closed_late``
    and the on-time rate compare the day closed with this due date)."""
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.status in {DeadlineStatus.MET, DeadlineStatus.CANCELLED}:
        return deadline
    met_at = now or timezone.now()
    if deadline.status == DeadlineStatus.PAUSED:
        _end_pauses(deadline, on=timezone.localdate(met_at), actor=actor, reason=reason)
        # A paused clock is never refused a recount (``passed_refusal``); its case keeps no copy of a closed clock's
        # due date (none was shown while it was paused), so the copy is left alone.
        result = _recount(deadline, today=timezone.localdate(met_at))
        deadline.due_date = result.due or deadline.due_date
        deadline.provisional = result.provisional
    deadline.status = status
    deadline.met_at = met_at
    tracked_save(deadline, actor=actor, reason=reason)
    return deadline


def _end_pauses(deadline: Deadline, *, on: datetime.date, actor, reason: str) -> None:
    """The pauses still open end ``on`` the day the clock is closed (a pause recorded to begin later ends on its
    first day: it cannot end before it began)."""
    for pause in deadline.pauses.select_for_update().filter(paused_until__isnull=True):
        pause.paused_until = max(on, pause.paused_from)
        tracked_save(pause, actor=actor, reason=reason)


def deadlines_of(case):
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)


def deadlines_recompute_provisional(*, actor, reason: str) -> int:
    """After the calendar changed (a year loaded, a day edited): recompute every running provisional clock, and
    every copy of its due date kept on its case."""
    count = 0
    for deadline in Deadline.objects.filter(status__in=[DeadlineStatus.OPEN, DeadlineStatus.PAUSED], provisional=True):
        with transaction.atomic():
            locked = Deadline.objects.select_for_update().get(pk=deadline.pk)
            deadline_recompute(deadline=locked, actor=actor, reason=reason)
            count += 1
    return count


def deadline_sweep(*, today: datetime.date, now: datetime.datetime | None = None) -> dict[str, int]:
    """Call the expiry service of every open deadline that ran out before ``today``, as the system user; then
    send the reminders and escalations that are due (``creditportal.monitoring``; logged, never failing the sweep).

    A provisional due date (its year's official schedule was not loaded) is recomputed first; if it is still
    provisional the clock is left for a person to decide, never run out on a weekends-only count.
    """
    result = _expire(today=today)
    try:
        from .monitoring import deadlines_monitor

        sent = deadlines_monitor(today=today, now=now or timezone.now())
        logger.info("Deadline monitoring on %s: %s", today, sent)
    except Exception:  # reminders must never stop the clocks from running out; the next sweep tries again
        logger.exception("Deadline monitoring failed on %s", today)
    return result


def _expire(*, today: datetime.date) -> dict[str, int]:
    actor = system_user()
    done = failed = 0
    candidates = list(
        Deadline.objects.filter(status=DeadlineStatus.OPEN, due_date__lt=today)
        .select_related("content_type")
        .values_list("pk", "content_type__app_label", "content_type__model", "rule_id")
    )
    for pk, app_label, model, rule_id in candidates:
        handler = _EXPIRY_HANDLERS.get((f"{app_label}.{model}", rule_id))
        if handler is None:
            continue
        try:
            with transaction.atomic():
                deadline = (
                    Deadline.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, status=DeadlineStatus.OPEN)
                    .first()
                )
                if deadline is None:
                    continue
                if deadline.provisional:
                    deadline = deadline_recompute(
                        deadline=deadline, actor=actor, reason=_("Recomputed on the current calendar")
                    )
                    if deadline.provisional or deadline.due_date >= today:
                        continue
                handler(deadline=deadline, actor=actor, today=today)
                record_event(
                    action="creditportal.deadline.expired",
                    actor=actor,
                    target=deadline,
                    department=deadline.department,
                    data={"rule": rule_id, "due": str(deadline.due_date)},
                )
                done += 1
        except Exception:  # one failure must not stop the sweep; it is logged and retried next run
            logger.exception("Deadline %s could not be processed", pk)
            failed += 1
    return {"processed": done, "failed": failed}
