"""Which workflow governs which model: each case app registers its declaration (in its ``ready()``), so the
case kit's template tags and the architecture test find it without importing the apps above the core."""

from __future__ import annotations

from django.db.models import Model

from creditportal.workflow import Workflow

_workflows: dict[str, Workflow] = {}


def register_workflow(model_label: str, workflow: Workflow) -> None:
    _workflows[model_label.lower()] = workflow


def workflow_of(obj: Model | type[Model]) -> Workflow:
    return _workflows[obj._meta.label_lower]


def registered() -> dict[str, Workflow]:
    return dict(_workflows)
