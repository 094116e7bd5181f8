"""A list's row cells rendered in one tag (issue 23: at 25 rows of 8 columns the template's cell loop, a ``{% with %}``,
a filter and an ``{% if %}`` per cell and a ``{% url %}`` per row, was a fifth of a list request in cProfile).
``{% list_cells row columns detail_url_name %}`` gives the markup the loop gave: each column's value as the list shows
it (``portal.column_display``), "—" when empty, the first one a link to the row's page, the URL reversed once per
page."""

from django import template
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .portal import column_display

register = template.Library()

#: A primary key no row has, reversed once per page and replaced by each row's.
_SENTINEL = "7364982010437"


def _detail_url(context, url_name: str, pk) -> str:
    cache = context.render_context.setdefault("list_cells_urls", {})
    parts = cache.get(url_name)
    if parts is None:
        url = reverse(url_name, args=[int(_SENTINEL)])
        parts = tuple(url.split(_SENTINEL)) if url.count(_SENTINEL) == 1 else ()
        cache[url_name] = parts
    if not parts:
        return reverse(url_name, args=[pk])
    return f"{parts[0]}{pk}{parts[1]}"


@register.simple_tag(takes_context=True)
def list_cells(context, row, columns, detail_url_name=None):
    cells = []
    for number, column in enumerate(columns):
        value = column_display(column, row)
        text = render_value_in_context(value, context) if value else "—"
        if number == 0 and detail_url_name:
            cells.append(
                format_html('<td><a href="{}">{}</a></td>', _detail_url(context, detail_url_name, row.pk), text)
            )
        else:
            cells.append(format_html("<td>{}</td>", text))
    return mark_safe("".join(cells))  # noqa: S308  (each cell built by format_html, its value escaped)
