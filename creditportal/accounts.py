"""Writes to accounts and roles: system roles and department memberships (R-SEC-6; HB 33, XJ 27).

The least-privilege rule the admin pages (and the console command) obey, enforced here, not in the forms:

1. Administrators do no case work: a user with a system role holds no department membership, and a user
   with an active membership is given no system role.
2. Nobody changes their own system role or their own memberships.
3. No system role is given, changed or removed in the application: administrator accounts are made by the
   operator at the server console (``manage.py set_system_role``, after the account exists), recorded with
   a reason; so the security administrator can neither multiply themselves, make an audit administrator of
   their own choosing, nor remove or re-purpose the administrators who check their work (issue 21).
4. Accounts are administered, never taken over (issue 21): the security administrator runs the case users'
   accounts only. An administrator's account (any system role, a superuser, the system account) is not
   edited, deactivated, demoted or given a password by any administrator, themselves included; that is the
   operator's, at the console. A password the security administrator sets (a new account, a reset) must be
   changed by its user at the next login.
5. Every change to an account is an audit event with its reason.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import is_system_user, record_event, register_action_labels, tracked_save
from .choices import SystemRole
from .models import Membership, User

#: The system roles the security administrator may give in the application: none (rule 3, issue 21).
ASSIGNABLE_IN_APPLICATION: frozenset[str] = frozenset()

# The account events' timeline labels, beside the services that write them (creditportal.apps registers the
# older ones).
register_action_labels(
    {
        "creditportal.user.created": gettext_lazy("Account created"),
        "creditportal.user.changed": gettext_lazy("Account changed"),
        "creditportal.user.password_reset": gettext_lazy("Password reset by the security administrator"),
        "creditportal.user.password_changed": gettext_lazy("Password changed by its user"),
    }
)


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


def is_administrator(user: User) -> bool:
    """An account no administrator runs (rule 4): a system role, a superuser, or the system account."""
    return bool(user.system_role) or user.is_superuser or is_system_user(user)


def account_check(*, user: User | None, actor) -> None:
    """Refuse an administrator's act on an account outside rule 4 (R-SEC-6; issue 21).

    ``user`` is the account as stored (None for one being created). Only the security administrator changes
    accounts, and only case users' accounts: no administrator sets another administrator's password,
    deactivates, demotes or edits him, nor his own account in the admin.
    """
    if getattr(actor, "system_role", "") != SystemRole.SECURITY_ADMIN:
        raise PermissionDenied(_("Only the security administrator changes accounts (R-SEC-6)."))
    if user is None or user.pk is None:
        return
    if is_administrator(user):
        if actor is not None and user.pk == actor.pk:
            raise PermissionDenied(
                _(
                    "Your own administrator account is changed only by the operator at the server console; your "
                    "password, on the password change page (R-SEC-6)."
                )
            )
        raise PermissionDenied(
            _(
                "%(user)s is an administrator (%(role)s): an administrator's account, password and roles are "
                "changed only by the operator at the server console, never by another administrator (R-SEC-6)."
            )
            % {"user": user, "role": _label(user.system_role) if user.system_role else _("superuser")}
        )


@transaction.atomic
def user_save(*, user: User, actor, reason: str, changed: list[str] | tuple[str, ...] = ()) -> User:
    """Create or change a case user's account as typed in the admin, within rule 4 (R-SEC-6; issue 21).

    The system role is not changed here (``user_set_system_role``). A new account's password is the security
    administrator's: its user changes it at the first login. ``changed`` names the fields the form changed, for
    the audit event (their values stay in the history).
    """
    created = user.pk is None
    stored = None if created else User.objects.select_for_update().get(pk=user.pk)
    account_check(user=stored, actor=actor)
    if created and (user.system_role or user.is_superuser):
        raise PermissionDenied(
            _("An administrator's account is made only by the operator at the server console (R-SEC-6).")
        )
    if stored is not None:
        user.system_role = stored.system_role
        user.is_superuser = stored.is_superuser
    if created and user.has_usable_password():
        user.must_change_password = True
    tracked_save(user, actor=actor, reason=reason, validate=False)
    record_event(
        action="creditportal.user.created" if created else "creditportal.user.changed",
        actor=actor,
        target=user,
        reason=reason,
        data={"fields": sorted(name for name in changed if name not in ("password", "change_reason"))},
    )
    return user


@transaction.atomic
def user_password_reset(*, user: User, raw_password: str | None, actor, reason: str) -> User:
    """The security administrator sets a case user's password, or disables password login with ``None``
    (R-SEC-6; issue 21). The user must change it at the next login and is told so then; never an
    administrator's password (rule 4)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    account_check(user=user, actor=actor)
    if raw_password is None:
        user.set_unusable_password()
        user.must_change_password = False
    else:
        user.set_password(raw_password)
        user.must_change_password = True
    tracked_save(user, actor=actor, reason=reason, validate=False, update_fields=["password", "must_change_password"])
    record_event(
        action="creditportal.user.password_reset",
        actor=actor,
        target=user,
        reason=reason,
        data={"usable": raw_password is not None},
    )
    return user


@transaction.atomic
def user_password_change(*, user: User, raw_password: str) -> User:
    """A user changes his own password (the form has checked the old one and the strength); this ends a change
    the security administrator's reset asked for (R-SEC-6; issue 21)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    forced = user.must_change_password
    user.set_password(raw_password)
    user.must_change_password = False
    reason = _("Changed own password")
    tracked_save(user, actor=user, reason=reason, validate=False, update_fields=["password", "must_change_password"])
    record_event(
        action="creditportal.user.password_changed", actor=user, target=user, reason=reason, data={"forced": forced}
    )
    return user


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
    """Add or change a department membership within the rule above (R-SEC-6). A role given, changed (another role
    or department) or reactivated waits for the department head's confirmation before it counts (issue 21:
    ``membership_confirm``); ending one takes effect at once."""
    user = User.objects.select_for_update().get(pk=membership.user_id)
    membership_check(user=user, actor=actor, is_active=membership.is_active)
    created = membership.pk is None
    stored = None if created else Membership.objects.select_for_update().get(pk=membership.pk)
    if stored is None or (
        membership.is_active
        and (not stored.is_active or (stored.role, stored.department_id) != (membership.role, membership.department_id))
    ):
        membership.confirmed_at, membership.confirmed_by = None, None
    else:  # the confirmation is the head's, never the form's: as stored
        membership.confirmed_at, membership.confirmed_by_id = stored.confirmed_at, stored.confirmed_by_id
    tracked_save(membership, actor=actor, reason=reason)
    record_event(
        action="creditportal.membership.added" if created else "creditportal.membership.changed",
        actor=actor,
        target=user,
        reason=reason,
        data={"department": membership.department_id, "role": membership.role, "is_active": membership.is_active},
    )
    return membership


# --- a department role confirmed by the department's head (issue 21; R-SEC-6) -------------------------------------


register_action_labels(
    {
        "creditportal.membership.confirmed": gettext_lazy("Department role confirmed by the head"),
        "creditportal.membership.refused": gettext_lazy("Department role refused by the head"),
    }
)


def _awaiting(membership: Membership) -> Membership:
    """``membership`` locked, refused unless it waits for a confirmation."""
    membership = Membership.objects.select_for_update().select_related("user", "department").get(pk=membership.pk)
    if not membership.awaits_confirmation:
        raise ValidationError(
            _("This role does not wait for a confirmation: it was confirmed, refused or ended already."),
            code="not_waiting",
        )
    return membership


def membership_decision_check(*, membership: Membership, actor) -> None:
    """Whether ``actor`` may confirm or refuse ``membership``: a head of its department (the role in force), not
    its own holder (R-SEC-6)."""
    from .permissions import department_ids_for

    if membership.department_id not in department_ids_for(actor, "creditportal.confirm_membership"):
        raise PermissionDenied(_("Only a head of the department confirms the roles given in it (R-SEC-6)."))
    if membership.user_id == actor.pk:
        raise PermissionDenied(_("Nobody confirms their own department role (R-SEC-6)."))


def _decided(membership: Membership, *, actor, action: str, reason: str, event_reason: str = "", **data) -> Membership:
    tracked_save(membership, actor=actor, reason=reason)
    record_event(
        action=action,
        actor=actor,
        target=membership.user,
        department=membership.department,
        reason=event_reason or reason,
        data={"membership": membership.pk, "department": membership.department_id, "role": membership.role, **data},
    )
    return membership


@transaction.atomic
def membership_confirm(*, membership: Membership, actor, reason: str = "", now=None) -> Membership:
    """A head of the department confirms a role the security administrator gave in it: from now on it counts."""
    from django.utils import timezone

    membership = _awaiting(membership)
    membership_decision_check(membership=membership, actor=actor)
    membership.confirmed_at, membership.confirmed_by = now or timezone.now(), actor
    return _decided(
        membership,
        actor=actor,
        action="creditportal.membership.confirmed",
        reason=reason or _("Confirmed by the head of the department"),
        event_reason=reason,
    )


@transaction.atomic
def membership_refuse(*, membership: Membership, actor, reason: str) -> Membership:
    """A head of the department refuses a role given in it, with the reason: the role ends without ever counting."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the role is refused: the security administrator reads it.")})
    membership = _awaiting(membership)
    membership_decision_check(membership=membership, actor=actor)
    membership.is_active = False
    return _decided(membership, actor=actor, action="creditportal.membership.refused", reason=reason)


@transaction.atomic
def membership_confirm_at_console(*, membership: Membership, reason: str) -> Membership:
    """The operator at the server console confirms a role in a department that has no head whose role is in force
    yet (its first head, say); where a head exists, the head confirms (R-SEC-6)."""
    from django.utils import timezone

    from .audit import system_user
    from .choices import Role

    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the role is confirmed at the console.")})
    membership = _awaiting(membership)
    heads = Membership.objects.filter(Membership.IN_FORCE, department=membership.department, role=Role.HEAD)
    if heads.exclude(user_id=membership.user_id).exists():
        raise PermissionDenied(
            _("%(department)s has a head: the head confirms the roles given in it (R-SEC-6).")
            % {"department": membership.department}
        )
    membership.confirmed_at, membership.confirmed_by = timezone.now(), None
    return _decided(
        membership, actor=system_user(), action="creditportal.membership.confirmed", reason=reason, console=True
    )


# --- the second factor's reset, four-eyed (issue 21; GB/T 22239-2019 8.1.4.1 d) ------------------------------------


def second_factor_reset_check(*, user: User, actor, asking: bool = False) -> None:
    """Whether ``actor`` may reset ``user``'s second factor: the security administrator, for a case user who has one
    (an administrator's is reset by the operator at the console, rule 4); ``asking``: and none waits already."""
    from .models import SecondFactorReset

    account_check(user=user, actor=actor)
    if (
        asking
        and SecondFactorReset.objects.filter(user=user, confirmed_at__isnull=True, withdrawn_at__isnull=True).exists()
    ):
        raise ValidationError(
            _("A reset of %(user)s's second factor already waits for confirmation.") % {"user": user}, code="pending"
        )  # the security administrator, a case user's account only
    from .second_factor import confirmed_authenticator

    if confirmed_authenticator(user) is None:
        raise ValidationError(
            _("%(user)s has no second factor set up: his next sign-in sets one up, nothing to reset.") % {"user": user},
            code="no_factor",
        )


@transaction.atomic
def second_factor_reset_request(*, user: User, actor, reason: str):
    """Ask for ``user``'s second factor to be reset, with the reason; another security administrator confirms it
    (``second_factor_reset_confirm``). One request at a time per user."""
    from django.utils import timezone

    from .models import SecondFactorReset

    second_factor_reset_check(user=user, actor=actor, asking=True)
    if not (reason or "").strip():
        raise ValidationError(_("Say why the second factor is reset (a lost phone, …)."), code="reason")
    reset = SecondFactorReset(user=user, reason=reason.strip(), requested_by=actor, requested_at=timezone.now())
    tracked_save(reset, actor=actor, reason=reason.strip())
    record_event(action="creditportal.second_factor.reset_requested", actor=actor, target=user, reason=reason.strip())
    return reset


@transaction.atomic
def second_factor_reset_confirm(*, reset, actor):
    """The second security administrator confirms (never the one who asked, never for himself): the user's
    authenticator, recovery codes and security keys are removed, so any session verified with them is no longer, and his next
    sign-in sets up a new factor; he is told at that sign-in (the set-up page)."""
    import datetime

    from django.conf import settings
    from django.utils import timezone
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    from .locking import lock
    from .models import SecondFactorReset

    reset = lock(SecondFactorReset, reset.pk, expected_version=None)
    if reset.confirmed_at is not None or reset.withdrawn_at is not None:
        raise ValidationError(_("This request was already confirmed or withdrawn."), code="done")
    if timezone.now() - reset.requested_at > datetime.timedelta(hours=settings.PORTAL_SECOND_FACTOR_RESET_HOURS):
        raise ValidationError(
            _("This request is older than %(hours)d hours: withdraw it and ask again if the reset is still needed.")
            % {"hours": settings.PORTAL_SECOND_FACTOR_RESET_HOURS},
            code="stale",
        )
    if reset.requested_by_id == getattr(actor, "pk", None):
        raise PermissionDenied(
            _(
                "A second-factor reset is confirmed by a security administrator other than the one who asked for it "
                "(R-SEC-6)."
            )
        )
    second_factor_reset_check(user=reset.user, actor=actor)
    TOTPDevice.objects.filter(user=reset.user).delete()  # credentials, not records: the reset is the record
    StaticDevice.objects.filter(user=reset.user).delete()
    WebAuthnCredential.objects.filter(user=reset.user).delete()  # his security keys too
    reset.confirmed_by, reset.confirmed_at = actor, timezone.now()
    tracked_save(reset, actor=actor, reason=reset.reason)
    record_event(
        action="creditportal.second_factor.reset",
        actor=actor,
        target=reset.user,
        reason=reset.reason,
        data={"asked_by": reset.requested_by.username},
    )
    return reset


@transaction.atomic
def second_factor_reset_withdraw(*, reset, actor):
    """A security administrator withdraws a request not yet confirmed (asked by mistake, or no longer needed): it can
    no longer be confirmed, and another may be asked."""
    from django.utils import timezone

    from .locking import lock
    from .models import SecondFactorReset

    if getattr(actor, "system_role", "") != SystemRole.SECURITY_ADMIN:
        raise PermissionDenied(_("Only the security administrator changes accounts (R-SEC-6)."))
    reset = lock(SecondFactorReset, reset.pk, expected_version=None)
    if reset.confirmed_at is not None or reset.withdrawn_at is not None:
        raise ValidationError(_("This request was already confirmed or withdrawn."), code="done")
    reset.withdrawn_by, reset.withdrawn_at = actor, timezone.now()
    tracked_save(reset, actor=actor, reason=str(_("Reset request withdrawn")))
    record_event(action="creditportal.second_factor.reset_withdrawn", actor=actor, target=reset.user)
    return reset


register_action_labels(
    {
        "creditportal.second_factor.reset_withdrawn": gettext_lazy("Second factor reset request withdrawn"),
        "creditportal.second_factor.reset_requested": gettext_lazy("Second factor reset asked for"),
        "creditportal.second_factor.reset": gettext_lazy("Second factor reset (confirmed by a second administrator)"),
    }
)
