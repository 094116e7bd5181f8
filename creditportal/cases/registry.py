"""Which workflow governs which model: each case app registers its declaration (in its ``ready()``), so the
case kit's template tags and the architecture test find it without importing the apps above the core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model

from creditportal.workflow import Workflow

_workflows: dict[str, Workflow] = {}
_contexts: dict[str, Callable[[Any], dict]] = {}


def register_workflow(model_label: str, workflow: Workflow, *, context: Callable[[Any], dict] | None = None) -> None:
    """``context(case)``: what the workflow's guards need beyond the actor and today (a profile …)."""
    _workflows[model_label.lower()] = workflow
    if context is not None:
        _contexts[model_label.lower()] = context


def guard_context_of(obj: Model) -> dict:
    context = _contexts.get(obj._meta.label_lower)
    return context(obj) if context else {}


def workflow_of(obj: Model | type[Model]) -> Workflow:
    return _workflows[obj._meta.label_lower]


def registered() -> dict[str, Workflow]:
    return dict(_workflows)
