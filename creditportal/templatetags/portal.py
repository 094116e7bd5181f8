"""Template helpers of the list pattern."""
from django import template

register = template.Library()


@register.filter
def column_value(column, row):
    """The value of a ``creditportal.lists.Column`` for one row."""
    return column.value(row)
