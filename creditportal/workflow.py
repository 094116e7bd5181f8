"""Declared state machines: each workflow lists its transitions once, with sources, target, permission and
guards that return a reason a person can read. ``<app>/workflow.py`` declares; services call ``apply``.

Only ``Workflow.apply`` assigns a state (STYLE.md: no status assignment outside workflow.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

#: A guard gets the object and the keyword context of the act and returns a reason to refuse, or None.
Guard = Callable[..., "str | None"]


class TransitionRefused(ValidationError):
    """The act is not allowed in this state or fails a guard; ``messages`` says why."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    #: None: an act that changes no state (record a statement, hold a hearing) but is declared, with its
    #: sources and guards, like every other.
    target: str | None
    label: str
    guards: tuple[Guard, ...] = field(default=())
    #: Taken only by a service as part of another act (e.g. "supersede" when the next version is published).
    internal: bool = False


class Workflow:
    def __init__(self, *, field_name: str, state_labels: dict[str, str], transitions: Iterable[Transition]):
        self.field_name = field_name
        self.state_labels = state_labels
        self.transitions = {t.name: t for t in transitions}

    def state_of(self, obj) -> str:
        return getattr(obj, self.field_name)

    def refusal(self, obj, name: str, **context) -> str | None:
        """Why ``name`` cannot happen to ``obj`` now, or None when it can."""
        transition = self.transitions[name]
        state = self.state_of(obj)
        if state not in transition.sources:
            return _("“%(act)s” is not possible while the state is “%(state)s”.") % {
                "act": transition.label, "state": self.state_labels.get(state, state),
            }
        for guard in transition.guards:
            reason = guard(obj, **context)
            if reason:
                return reason
        return None

    def apply(self, obj, name: str, **context) -> Transition:
        """Check the transition and its guards, then set the target state (the caller saves)."""
        reason = self.refusal(obj, name, **context)
        if reason:
            raise TransitionRefused(reason, code="transition_refused")
        transition = self.transitions[name]
        if transition.target is not None:
            setattr(obj, self.field_name, transition.target)
        return transition

    def available(self, obj, **context) -> list[Transition]:
        """The acts possible now (for showing buttons); the service checks again when one is chosen."""
        return [t for name, t in self.transitions.items()
                if not t.internal and self.refusal(obj, name, **context) is None]


def require(condition: bool, message: str) -> None:
    """Raise PermissionDenied with a readable message unless ``condition`` holds."""
    if not condition:
        raise PermissionDenied(message)
