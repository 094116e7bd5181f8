"""Declared state machines: each workflow lists its acts once, with sources, target, the permission that may take
them and guards that return a reason a person can read. ``<app>/workflow.py`` declares; services, selectors and
templates ask the same ``can(obj, act, actor=…)``.

Two kinds of guard: ``who`` says whether the person is one who may ever take the act on this object (only the
case's own caseworker recalls it from approval), ``guards`` whether the case and the law allow it now. Both refuse
the act alike; but a page never offers a person an act one of its ``who`` guards refuses (nothing they could do
would let them take it), while an act refused by a ``guards`` one is shown with its reason (what is missing).

Only ``Workflow.apply`` assigns a state (STYLE.md: no status assignment outside workflow.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: A guard gets the object and the keyword context of the act and returns a reason to refuse, or None.
Guard = Callable[..., "str | None"]
#: Whether ``actor`` holds ``transition.permission`` for ``obj`` (the workflow's own rule: a department, the
#: provincial authority …): ``authorise(actor, obj, transition) -> bool``.
Authorise = Callable[..., bool]


class TransitionRefused(ValidationError):
    """The act is not allowed in this state or fails a guard; ``messages`` says why."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    #: None: an act that changes no state (record a statement, hold a hearing) but is declared, with its
    #: sources, permission and guards, like every other.
    target: str | None
    #: Lazy text in every workflow, translated when it is shown.
    label: StrOrPromise
    #: The permission the act needs (a Django permission, or a name the workflow's ``authorise`` knows).
    permission: str = ""
    guards: tuple[Guard, ...] = field(default=())
    #: Guards about who the actor is on this object, beyond the permission (the case's own caseworker, not whoever
    #: shaped it): checked before ``guards``, and an act one of them refuses is not offered to that person at all.
    who: tuple[Guard, ...] = field(default=())
    #: Taken only by a service as part of another act (e.g. "supersede" when the next version is published).
    internal: bool = False
    #: The system user (sweeps) may take it; nobody else needs to be the system for it.
    system: bool = False


@dataclass(frozen=True)
class Offer:
    """An act offered on a page: the transition, and why it cannot be taken now (None: it can)."""

    transition: Transition
    refusal: str | None

    @property
    def name(self) -> str:
        return self.transition.name

    @property
    def label(self) -> StrOrPromise:
        return self.transition.label


class Workflow:
    def __init__(
        self,
        *,
        field_name: str,
        state_labels: Mapping[str, StrOrPromise],
        transitions: Iterable[Transition],
        authorise: Authorise | None = None,
        forbidden: Callable[[Transition], str] | None = None,
    ):
        self.field_name = field_name
        self.state_labels = state_labels
        self.transitions = {t.name: t for t in transitions}
        self._authorise = authorise
        self._forbidden = forbidden

    def sources_of(self, *names: str) -> frozenset[str]:
        """The states from which any of ``names`` may be taken (for queues: "waiting for one of these acts")."""
        return frozenset().union(*(self.transitions[name].sources for name in names))

    def state_of(self, obj) -> str:
        return getattr(obj, self.field_name)

    def permitted(self, obj, name: str, actor) -> bool:
        """Whether ``actor`` holds the permission ``name`` needs for ``obj`` (not whether the state allows it)."""
        transition = self.transitions[name]
        return self._authorise is None or bool(self._authorise(actor, obj, transition))

    def forbidden_message(self, name: str) -> str:
        transition = self.transitions[name]
        if self._forbidden:
            return self._forbidden(transition)
        return _("You may not “%(act)s” here.") % {"act": transition.label}

    def refusal(self, obj, name: str, **context) -> str | None:
        """Why ``name`` cannot happen to ``obj`` now (state and guards), or None when it can."""
        transition = self.transitions[name]
        state = self.state_of(obj)
        if state not in transition.sources:
            return _("“%(act)s” is not possible while the state is “%(state)s”.") % {
                "act": transition.label,
                "state": self.state_labels.get(state, state),
            }
        for guard in (*transition.who, *transition.guards):
            reason = guard(obj, **context)
            if reason:
                return reason
        return None

    def is_for(self, obj, name: str, *, actor, **context) -> bool:
        """Whether ``actor`` is someone who may ever take ``name`` on ``obj``: they hold its permission and none of
        its ``who`` guards refuses them (whatever the state, and whatever the other guards say now)."""
        if not self.permitted(obj, name, actor):
            return False
        return not any(guard(obj, actor=actor, **context) for guard in self.transitions[name].who)

    def can(self, obj, name: str, *, actor, **context) -> str | None:
        """The one question: may ``actor`` take ``name`` on ``obj`` now? None, or the reason why not."""
        if not self.permitted(obj, name, actor):
            return self.forbidden_message(name)
        return self.refusal(obj, name, actor=actor, **context)

    def check(self, obj, name: str, *, actor, **context) -> Transition:
        """Refuse unless ``actor`` may take ``name`` on ``obj`` now: PermissionDenied without the permission,
        TransitionRefused when the state or a guard refuses. There is always an actor: a sweep or a job passes the
        system user (``creditportal.audit.system_user``), which holds only the acts declared ``system=True``."""
        if actor is None:
            raise TypeError(f"{name}: every act has an actor (pass the system user for a sweep or a job)")
        if not self.permitted(obj, name, actor):
            raise PermissionDenied(self.forbidden_message(name))
        reason = self.refusal(obj, name, actor=actor, **context)
        if reason:
            raise TransitionRefused(reason, code="transition_refused")
        return self.transitions[name]

    def apply(self, obj, name: str, *, actor, **context) -> Transition:
        """``check``, then set the target state (the caller saves)."""
        transition = self.check(obj, name, actor=actor, **context)
        if transition.target is not None:
            setattr(obj, self.field_name, transition.target)
        return transition

    def apply_many(self, objs, name: str, *, actor, **context) -> Transition:
        """``apply`` for a set-based job (the nightly expiry): every row is checked as ``apply`` checks one, and
        the rows are changed in memory only if all of them may take the act (the caller writes them in bulk)."""
        transition = self.transitions[name]
        for obj in objs:
            self.check(obj, name, actor=actor, **context)
        if transition.target is not None:
            for obj in objs:
                setattr(obj, self.field_name, transition.target)
        return transition

    def offered(
        self,
        obj,
        *,
        actor,
        names: Iterable[str] | None = None,
        previews: Mapping[str, Mapping] | None = None,
        **context,
    ) -> list[Offer]:
        """The acts of the current state that are for ``actor`` (``is_for``: the permission and the ``who`` guards),
        each with the reason it cannot be taken now (None when it can): the buttons of a page, with their
        explanations. By default the state-changing acts; ``names`` offers those acts instead (acts that change no
        state included), in the order they are declared. ``previews`` gives, per act, stand-ins for what the person
        will type in its form (reasons, days): the page checks the state and the law with them, the service checks
        the real input."""
        state = self.state_of(obj)
        wanted = set(names) if names is not None else None
        previews = previews or {}
        return [
            Offer(t, self.refusal(obj, name, actor=actor, **{**context, **previews.get(name, {})}))
            for name, t in self.transitions.items()
            if not t.internal
            and (t.target is not None if wanted is None else name in wanted)
            and state in t.sources
            and self.is_for(obj, name, actor=actor, **{**context, **previews.get(name, {})})
        ]

    def available(self, obj, *, actor, **context) -> list[Transition]:
        """The state-changing acts ``actor`` may take now (for buttons); the service checks again when chosen."""
        return [
            t
            for name, t in self.transitions.items()
            if not t.internal and t.target is not None and self.can(obj, name, actor=actor, **context) is None
        ]
