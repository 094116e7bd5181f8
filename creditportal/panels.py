"""Panels one app adds to another app's page, so that dependencies point one way.

A lower app's page (a subject's credit file, a designation's case file) names an extension point; a higher app
registers a panel for it in its ``AppConfig.ready`` (the designations panel on the subject page, the objections
panel on the designation page). The page renders each panel's template with the context its function returns;
the lower app never imports the higher one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    #: fn(*, request, obj, bound: dict) -> dict; ``bound`` holds forms the user just submitted and were refused,
    #: by name, so the panel shows them again with the input and the reason.
    context: Callable[..., dict]
    order: int = 100


_PANELS: dict[str, list[Panel]] = {}


def register(page: str, panel: Panel) -> None:
    panels = _PANELS.setdefault(page, [])
    if panel not in panels:
        panels.append(panel)
        panels.sort(key=lambda p: p.order)


def panels_for(page: str, *, request, obj, bound: dict | None = None) -> list[dict]:
    """Each registered panel of ``page`` as ``{"template": …, **its context}`` (for ``{% include %}``)."""
    return [
        {"template": panel.template, **panel.context(request=request, obj=obj, bound=bound or {})}
        for panel in _PANELS.get(page, [])
    ]
