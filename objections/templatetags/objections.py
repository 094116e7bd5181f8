"""Template filters of the objections app."""

from django import template

from ..choices import PauseReason

register = template.Library()


@register.filter
def pause_reason(code: str) -> str:
    """The pause's reason as people read it (R-OBJ-4: examination, testing, quarantine, evaluation, appraisal)."""
    return str(PauseReason(code).label) if code in PauseReason.values else code
