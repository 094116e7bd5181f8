"""A case workflow's shared parts: department authorisation, the refusal message, the transition helper and the
row lock (issue 17). Each ``<app>/workflow.py`` declares its machine with ``case_workflow``; each service locks
its case with ``lock_case``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from creditportal.locking import lock
from creditportal.models.base import TrackedModel
from creditportal.workflow import Transition, Workflow

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

M = TypeVar("M", bound=TrackedModel)

#: A permission name a workflow resolves itself (``extra``), not through the case's own department.
DepartmentOf = Callable[[object], "int | None"]


def T(name: str, sources: Iterable[str], target: str | None, label, permission: str = "", **options) -> Transition:  # noqa: N802  (reads like a table)
    """One row of a declaration: ``T("approve", {S.AWAITING}, S.APPROVED, _("Approve"), APPROVAL, guards=…)``."""
    return Transition(name, frozenset(sources), target, label, permission=permission, **options)


def acts_needing(permission: str):
    """``T`` whose permission defaults to ``permission``, for a workflow where most acts need the same one
    (``T = acts_needing(CASEWORK)``)."""

    def t(name: str, sources: Iterable[str], target: str | None, label, permission: str = permission, **options):
        return T(name, sources, target, label, permission, **options)

    return t


def department_authorise(*, extra: Mapping[str, Callable[[object, object], bool]] | None = None):
    """The usual rule: the system user holds only the acts declared ``system=True``; anyone else holds an act's
    permission when one of their roles grants it in the case's department (``department_id``). ``extra`` maps
    a permission name the workflow defines (the province, an assisting unit) to ``check(actor, case)``."""
    extra = dict(extra or {})

    def authorise(actor, case, transition: Transition) -> bool:
        from creditportal.audit import is_system_user
        from creditportal.permissions import department_ids_for

        if is_system_user(actor):
            return transition.system
        if transition.permission in extra:
            return bool(extra[transition.permission](actor, case))
        return case.department_id in department_ids_for(actor, transition.permission)

    return authorise


def refusal_for(cases: StrOrPromise, *, special: Mapping[str, StrOrPromise] | None = None):
    """The message for an act the actor may not take: "You may not “<act>” for this department's <cases>.",
    or the workflow's own sentence for a permission that needs one (``special``: permission → message)."""
    special = dict(special or {})

    def forbidden(transition: Transition) -> str:
        if transition.permission in special:
            return str(special[transition.permission])
        return _("You may not “%(act)s” for this department's %(cases)s.") % {
            "act": transition.label,
            "cases": cases,
        }

    return forbidden


def case_workflow(
    *,
    field_name: str = "state",
    state_labels: Mapping[str, StrOrPromise],
    transitions: Iterable[Transition],
    cases: StrOrPromise,
    extra_permissions: Mapping[str, Callable[[object, object], bool]] | None = None,
    special_refusals: Mapping[str, StrOrPromise] | None = None,
) -> Workflow:
    """A case app's declared machine with the kit's authorisation and refusal message."""
    return Workflow(
        field_name=field_name,
        state_labels=state_labels,
        transitions=transitions,
        authorise=department_authorise(extra=extra_permissions),
        forbidden=refusal_for(cases, special=special_refusals),
    )


def stale_message(case: TrackedModel) -> str:
    """Someone acted on the case after the user's page was opened: the one message, naming the case's kind and
    the state it is in now (every case page and act view shows it the same way)."""
    state = getattr(case, "get_state_display", None) or getattr(case, "get_status_display", None)
    return _(
        "Someone else acted on this %(kind)s after you opened it (it is now “%(state)s”). Nothing was changed: "
        "reload the page and check."
    ) % {"kind": case._meta.verbose_name, "state": state() if state else "—"}


def lock_case(queryset: models.QuerySet[M], pk, *, expected_version: int | None) -> M:
    """The case row locked until the transaction ends, and still at the version the page showed
    (``creditportal.locking.lock``), refused with ``stale_message``."""
    return lock(queryset, pk, expected_version=expected_version, message=stale_message)
