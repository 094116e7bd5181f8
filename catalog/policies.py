"""Who may author and approve the catalog, for pages: read from the declaration (catalog/workflow.py)."""

from __future__ import annotations

from creditportal.permissions import provincial_authority_ids

from .workflow import APPROVER, AUTHOR


def can_author(user) -> bool:
    """Staff of the provincial credit authority draft catalog versions, measure lists and standards."""
    return bool(provincial_authority_ids(user, AUTHOR))


def can_approve(user) -> bool:
    """Its supervisors and heads approve and publish."""
    return bool(provincial_authority_ids(user, APPROVER))
