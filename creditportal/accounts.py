"""Writes to accounts and roles: system roles and department memberships (R-SEC-6; HB 33, XJ 27).

The least-privilege rule the admin pages (and the console command) obey, enforced here, not in the forms:

1. Administrators do no case work: a user with a system role holds no department membership, and a user
   with an active membership is given no system role.
2. Nobody changes their own system role or their own memberships.
3. In the application only the security administrator assigns system roles, and only to an account that
   has none: system administrator or audit administrator. Making someone security administrator, or
   changing or removing the role of an existing administrator, is done only at the server console by the
   operator (``manage.py set_system_role``), recorded with a reason: so the security administrator can
   neither multiply themselves nor remove or re-purpose the administrators who check their work.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .audit import record_event, tracked_save
from .choices import SystemRole
from .models import Membership, User

#: The system roles the security administrator may give in the application (rule 3).
ASSIGNABLE_IN_APPLICATION = frozenset({SystemRole.SYSTEM_ADMIN, SystemRole.AUDIT_ADMIN})


def _label(role: str) -> str:
    return str(SystemRole(role).label) if role in SystemRole.values else role


def system_role_check(*, user: User | None, old_role: str, new_role: str, actor, console: bool = False) -> None:
    """Refuse a change of ``user``'s system role from ``old_role`` to ``new_role`` that breaks the rule.

    ``user`` is None for an account being created. ``console`` is the operator at the server console.
    """
    if (old_role or "") == (new_role or ""):
        return
    if user is not None and user.pk is not None and actor is not None and user.pk == actor.pk:
        raise PermissionDenied(_("Nobody changes their own system role (R-SEC-6)."))
    if (
        new_role
        and user is not None
        and user.pk is not None
        and Membership.objects.filter(user_id=user.pk, is_active=True).exists()
    ):
        raise ValidationError(
            _(
                "%(user)s has a department role: an administrator does no case work. End the department roles "
                "first (R-SEC-6)."
            )
            % {"user": user},
            code="admin_with_membership",
        )
    if console:
        return
    if getattr(actor, "system_role", "") != SystemRole.SECURITY_ADMIN:
        raise PermissionDenied(_("Only the security administrator assigns system roles (R-SEC-6)."))
    if old_role:
        raise PermissionDenied(
            _(
                "%(user)s is already %(role)s: an administrator's role is changed or removed only by the operator "
                "at the server console, never by another administrator (R-SEC-6)."
            )
            % {"user": user, "role": _label(old_role)}
        )
    if new_role not in ASSIGNABLE_IN_APPLICATION:
        raise PermissionDenied(
            _(
                "The %(role)s role is given only by the operator at the server console, never by another "
                "administrator (R-SEC-6)."
            )
            % {"role": _label(new_role)}
        )


@transaction.atomic
def user_set_system_role(*, user: User, system_role: str, actor, reason: str, console: bool = False) -> User:
    """Give or change ``user``'s system role within the rule above (R-SEC-6)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    old_role = user.system_role
    system_role_check(user=user, old_role=old_role, new_role=system_role, actor=actor, console=console)
    if old_role == system_role:
        return user
    user.system_role = system_role
    tracked_save(user, actor=actor, reason=reason, validate=False, update_fields=["system_role"])
    record_event(
        action="creditportal.user.system_role_changed",
        actor=actor,
        target=user,
        reason=reason,
        data={"from": old_role, "to": system_role, "console": console},
    )
    return user


def membership_check(*, user: User, actor, is_active: bool = True) -> None:
    """Refuse a department membership the rule forbids: an administrator's, or one's own (R-SEC-6)."""
    if actor is not None and user.pk == actor.pk:
        raise PermissionDenied(_("Nobody gives themselves or changes their own department role (R-SEC-6)."))
    if user.system_role and is_active:
        raise ValidationError(
            _("%(user)s is %(role)s: an administrator holds no department role (R-SEC-6).")
            % {"user": user, "role": _label(user.system_role)},
            code="admin_with_membership",
        )
    if getattr(actor, "system_role", "") != SystemRole.SECURITY_ADMIN:
        raise PermissionDenied(_("Only the security administrator gives department roles (R-SEC-6)."))


@transaction.atomic
def membership_save(*, membership: Membership, actor, reason: str) -> Membership:
    """Add or change a department membership within the rule above (R-SEC-6)."""
    user = User.objects.select_for_update().get(pk=membership.user_id)
    membership_check(user=user, actor=actor, is_active=membership.is_active)
    created = membership.pk is None
    tracked_save(membership, actor=actor, reason=reason)
    record_event(
        action="creditportal.membership.added" if created else "creditportal.membership.changed",
        actor=actor,
        target=user,
        reason=reason,
        data={"department": membership.department_id, "role": membership.role, "is_active": membership.is_active},
    )
    return membership
