"""Template tags of the case kit (issue 17): templates ask the workflow, never compare states themselves.

``{% can case "remove" as may_remove %}`` — whether the user may take the act now (permission, state and
guards, as the service will check); ``{% can_state case "remove" as on_the_list %}`` — only whether the case is
in a state the act is declared from (for what a page shows about a state: "on the list", "open"). Both read the
case's workflow from ``creditportal.cases.registry``.
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from creditportal.cases.registry import workflow_of

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, case, act: str, **guard_context) -> bool:
    """Whether the page's user may take ``act`` on ``case`` now."""
    request = context.get("request")
    if case is None or request is None:
        return False
    workflow = workflow_of(case)
    return workflow.can(case, act, actor=request.user, **{"today": timezone.localdate(), **guard_context}) is None


@register.simple_tag
def can_state(case, act: str) -> bool:
    """Whether ``case`` is in a state ``act`` is declared from (whatever the user's permissions)."""
    if case is None:
        return False
    workflow = workflow_of(case)
    return workflow.state_of(case) in workflow.transitions[act].sources


@register.simple_tag(takes_context=True)
def panels(context, page: str, obj) -> list[dict]:
    """The panels apps above registered for an extension point of a lower app's page
    (``creditportal.panels``): ``{% panels "subject_actions" subject as action_panels %}``. A lower template names
    the point and never a higher app's URL."""
    from creditportal.panels import panels_for

    request = context.get("request")
    if request is None or obj is None:
        return []
    return panels_for(page, request=request, obj=obj)
