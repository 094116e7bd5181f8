"""Dates people type: nothing happened in the future, nothing before the event it answers.

Every date a person records (service of a document, a statement received, a hearing held, an objection
received, a determination, a basis document taking effect) passes through ``check_event_date`` in the
service that records it, so forms, imports and the API refuse the same way, with the field named.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def as_local_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def check_event_date(
    value: datetime.date | datetime.datetime,
    *,
    field: str,
    label: str,
    now=None,
    not_before: datetime.date | datetime.datetime | None = None,
    cause: str = "",
) -> None:
    """Refuse ``value`` when it is later than today, or earlier than ``not_before`` (the ``cause`` it answers).

    ``label`` and ``cause`` are already translated phrases ("the date of service", "the notice was issued").
    Datetimes are compared as datetimes (a hearing cannot be held before the hour it was scheduled for);
    dates as local calendar days.
    """
    now = now or timezone.now()
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        if value > now:
            raise ValidationError(
                {
                    field: _("%(label)s cannot be in the future (now: %(now)s).")
                    % {"label": label, "now": date_format(timezone.localtime(now), "Y-m-d H:i")}
                },
                code="future",
            )
    elif as_local_date(value) > timezone.localdate(now):
        raise ValidationError(
            {
                field: _("%(label)s cannot be later than today (%(today)s).")
                % {"label": label, "today": timezone.localdate(now).isoformat()}
            },
            code="future",
        )
    if not_before is None:
        return
    if isinstance(value, datetime.datetime) and isinstance(not_before, datetime.datetime):
        early = value < not_before
        shown = date_format(timezone.localtime(not_before), "Y-m-d H:i")
    else:
        early = as_local_date(value) < as_local_date(not_before)
        shown = as_local_date(not_before).isoformat()
    if early:
        raise ValidationError(
            {
                field: _("%(label)s cannot be before %(cause)s (%(date)s).")
                % {"label": label, "cause": cause, "date": shown}
            },
            code="before_cause",
        )
