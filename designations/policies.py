"""Who may do what with a designation, for pages and other apps: answers read from the one declaration
(``designations/workflow.py``: each act's permission, states and guards). No state or permission is written here.
"""

from __future__ import annotations

from creditportal.models import Department
from creditportal.permissions import provincial_authority_ids

from .models import Designation
from .workflow import APPROVAL, DESIGNATION


def may(actor, designation: Designation, act: str) -> bool:
    """Whether ``actor`` holds the permission ``act`` declares for this designation (not whether its state allows it)."""
    return DESIGNATION.permitted(designation, act, actor)


def can_work(actor, designation: Designation) -> bool:
    """The caseworker's side of the case (edit, statements, hearings, notices)."""
    return may(actor, designation, "edit")


def can_decide(actor, designation: Designation) -> bool:
    """The supervisor's side of the case (approve, return, reject, withdraw, remove)."""
    return may(actor, designation, "approve")


def provincial_authorities(actor) -> list[Department]:
    """The provincial credit authority's departments where ``actor`` approves (R-DES-4 re-examination)."""
    return list(Department.objects.filter(pk__in=provincial_authority_ids(actor, APPROVAL)))
