"""Template helpers of the list pattern."""
import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def column_value(column, row):
    """The value of a ``creditportal.lists.Column`` for one row."""
    return column.value(row)


@register.filter
def column_display(column, row):
    """The value as a list shows it: dates as YYYY-MM-DD, times in local time, to the minute."""
    value = column.value(row)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@register.filter
def action_label(code: str) -> str:
    """The readable label of a timeline action code, or the code itself."""
    from creditportal.audit import action_label as label

    return label(code) or code
