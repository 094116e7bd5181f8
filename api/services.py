"""Writes of the API app: credentials issued and revoked, and the technical receipts purged (issue 23).

A credential is a service account with a role in its department, made the way every account and role is
(``creditportal.accounts``, R-SEC-6): the security administrator issues it, and its role counts only once a head of
the department confirms it (or the operator at the console, where the department has no head yet). Until then the
API answers 403 to its signed requests.
"""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditportal import accounts, identity
from creditportal.audit import record_event, tracked_save
from creditportal.choices import AccessPurpose, Role, SystemRole
from creditportal.models import Department, Membership, User

from .models import ApiCredential, ApiIdempotencyKey, ApiNonce

#: The roles a credential may hold: a providing unit enters records (caseworker); the platform reads (auditor).
CREDENTIAL_ROLES = (Role.CASEWORKER, Role.AUDITOR)


@transaction.atomic
def credential_issue(
    *,
    department: Department,
    actor,
    reason: str,
    name: str,
    role: str = Role.CASEWORKER,
    purpose: str = AccessPurpose.CASE,
    purpose_text: str = "",
    now: datetime.datetime | None = None,
) -> tuple[ApiCredential, str]:
    """A new credential for ``department``, and its secret, returned this once and never shown again (kept sealed).

    Its service account (no password: it cannot sign in to the pages) gets ``role`` in ``department``, waiting for
    the head's confirmation like any role given (R-SEC-6)."""
    if getattr(actor, "system_role", "") != SystemRole.SECURITY_ADMIN:
        raise PermissionDenied(_("Only the security administrator issues API keys (R-SEC-6)."))
    if role not in CREDENTIAL_ROLES:
        raise ValidationError({"role": _("An API key acts as a caseworker or an auditor of its department.")})
    if purpose not in AccessPurpose.values:
        raise ValidationError({"purpose": _("Choose the purpose the key reads subjects' information for.")})
    if purpose == AccessPurpose.OTHER and not purpose_text.strip():
        raise ValidationError({"purpose_text": _("State the purpose when you choose “Other”.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the key is issued.")})
    now = now or timezone.now()
    key_id = f"cp{secrets.token_hex(10)}"
    # upper-case hex: the sealing suite keeps a value as it normalises identifiers (upper case, no spaces)
    secret = secrets.token_hex(32).upper()
    user = User(username=f"api-{key_id}", first_name=name[:150], is_active=True)
    user.set_unusable_password()
    accounts.user_save(user=user, actor=actor, reason=reason)
    accounts.membership_save(
        membership=Membership(user=user, department=department, role=role, is_active=True), actor=actor, reason=reason
    )
    credential = ApiCredential(
        key_id=key_id,
        department=department,
        user=user,
        name=name,
        purpose=purpose,
        purpose_text=purpose_text,
        secret_sealed=identity.seal(secret),
        issued_by=actor,
        issued_at=now,
    )
    tracked_save(credential, actor=actor, reason=reason)
    record_event(
        action="api.credential.issued",
        actor=actor,
        target=credential,
        reason=reason,
        data={"key_id": key_id, "role": role, "user": user.pk},
    )
    return credential, secret


@transaction.atomic
def credential_revoke(*, credential: ApiCredential, actor, reason: str, now: datetime.datetime | None = None):
    """Revoke ``credential`` at once: its requests are refused from now on, its service account is deactivated and
    its role ended. Kept, with who revoked it, when and why (R-SEC-4)."""
    if getattr(actor, "system_role", "") != SystemRole.SECURITY_ADMIN:
        raise PermissionDenied(_("Only the security administrator revokes API keys (R-SEC-6)."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the key is revoked.")})
    credential = ApiCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.is_revoked:
        raise ValidationError(_("This key was revoked already."), code="revoked")
    now = now or timezone.now()
    credential.revoked_at, credential.revoked_by, credential.revoked_reason = now, actor, reason
    tracked_save(credential, actor=actor, reason=reason)
    for membership in Membership.objects.filter(user_id=credential.user_id, is_active=True):
        membership.is_active = False
        accounts.membership_save(membership=membership, actor=actor, reason=reason)
    user = credential.user
    user.is_active = False
    accounts.user_save(user=user, actor=actor, reason=reason, changed=["is_active"])
    record_event(
        action="api.credential.revoked",
        actor=actor,
        target=credential,
        reason=reason,
        data={"key_id": credential.key_id},
    )
    return credential


def receipts_purge(*, now: datetime.datetime | None = None, keep_hours: int = 24) -> dict[str, int]:
    """Nonces older than twice the signature window (a request that old is refused by its timestamp already) and
    idempotency keys older than ``keep_hours`` go: technical receipts, not case data. Set-based: two DELETEs."""
    from django.conf import settings

    now = now or timezone.now()
    window = datetime.timedelta(seconds=2 * settings.API_SIGNATURE_WINDOW_SECONDS)
    nonces, _by_model = ApiNonce.objects.filter(seen_at__lt=now - window).delete()
    keys, _by_model = ApiIdempotencyKey.objects.filter(
        created_at__lt=now - datetime.timedelta(hours=keep_hours)
    ).delete()
    return {"nonces": nonces, "idempotency_keys": keys}


@transaction.atomic
def credential_secrets_reseal(*, actor, reason: str) -> int:
    """Every credential's secret sealed again under the newest identity key (``PORTAL_IDENTITY_KEYS``), after
    ``rotate_identity_keys``, so that the older key may be dropped; the secrets themselves do not change. The secret
    is not in the history, so nothing else is rewritten."""
    count = 0
    for credential in ApiCredential.objects.select_for_update().order_by("pk"):
        resealed = identity.reseal(credential.secret_sealed)
        if resealed is not None:
            credential.secret_sealed = resealed
            tracked_save(credential, actor=actor, reason=reason)
            count += 1
    return count
