"""The second factor (issue 21; GB/T 22239-2019 8.1.4.1 d: two authentication techniques for privileged users, one
of them cryptographic). Supervisors, department heads and every administrator sign in with their password and a
time-based one-time code (TOTP, RFC 6238, django-otp) from an authenticator app; ten single-use recovery codes
stand in for a lost phone. Who needs it is a setting (``PORTAL_SECOND_FACTOR_ROLES``), not a literal.

A security key or passkey (WebAuthn, django-otp-webauthn) may stand in for the app's code once the factor is set
up: registered from a verified session only (a stolen password cannot add one), used on the code page, each use
an audit event. Its relying party is the host the portal answers on (``relying_party_id``).

The first sign-in after the password sets the factor up: the key as a QR code and as text, confirmed by a code it
produced; the recovery codes are shown once. Each set-up, sign-in with a recovery code and refusal is an audit
event. ``SecondFactorRequiredMiddleware`` (``creditportal.middleware``) sends such a user to the set-up or the code
page before any other page, the administration included.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import record_event

#: The names the devices are given (the user sees them nowhere; the admin does).
AUTHENTICATOR, RECOVERY = "authenticator", "recovery"
RECOVERY_CODES = 10


def needs_second_factor(user) -> bool:
    """Whether ``user`` signs in with a second factor: an administrator (any system role), or a holder of one of the
    department roles in ``PORTAL_SECOND_FACTOR_ROLES`` (supervisors and heads by default)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.system_role or user.is_superuser:
        return True
    from .permissions import active_roles

    return bool(active_roles(user) & set(settings.PORTAL_SECOND_FACTOR_ROLES))


def confirmed_authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def authenticator_start(*, user) -> TOTPDevice:
    """The unconfirmed device whose key the set-up page shows (the same one until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=AUTHENTICATOR).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def authenticator_confirm(*, request, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the set-up with a code the app produced: the device is the user's factor from now on, this session
    is verified, and the recovery codes are made (returned once, never shown again). A wrong code is recorded and
    refused."""
    if device.confirmed or not device.verify_token((token or "").strip()):
        record_event(action="creditportal.second_factor.refused", actor=device.user, reason=_("Set-up code wrong"))
        raise ValidationError(
            _("That code is not the one your app shows now: check the time on your phone and type the new code."),
            code="wrong_code",
        )
    return _confirmed(request=request, device=device)


@transaction.atomic
def _confirmed(*, request, device: TOTPDevice) -> list[str]:
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()  # an abandoned set-up
    codes = _recovery_codes(device.user)
    otp_login(request, device)
    record_event(action="creditportal.second_factor.set_up", actor=device.user, reason=_("Second factor set up"))
    return codes


def _recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [secrets.token_hex(4) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify(*, request, token: str) -> None:
    """Sign this session in with a code from the app or a recovery code (which is then used up)."""
    user, token = request.user, (token or "").replace(" ", "").strip()
    # the app's code has its digits (six); anything else is a recovery code — eight hexadecimal characters, which
    # are all digits one time in forty (each device counts its own wrong guesses)
    authenticator = confirmed_authenticator(user)
    device = (
        authenticator
        if authenticator is not None and token.isdigit() and len(token) == authenticator.digits
        else StaticDevice.objects.filter(user=user, confirmed=True).first()
    )
    if device is not None and device.verify_token(token):
        otp_login(request, device)
        if isinstance(device, StaticDevice):
            record_event(
                action="creditportal.second_factor.recovery_code_used",
                actor=user,
                reason=_("Signed in with a recovery code; %(n)d left") % {"n": device.token_set.count()},
            )
        return
    record_event(action="creditportal.second_factor.refused", actor=user, reason=_("Code wrong"))
    raise ValidationError(
        _("That code is wrong or has expired: type the code your app shows now, or one of your recovery codes."),
        code="wrong_code",
    )


# --- security keys (WebAuthn, django-otp-webauthn): a second factor beside the authenticator app -------------------


def relying_party_id(request) -> str:
    """The WebAuthn relying party: the portal's own host name, as ``ALLOWED_HOSTS`` admitted it (a key registered on
    one host name works on it only; browsers refuse an IP address, so the quick start uses ``localhost``)."""
    return request.get_host().split(":")[0]


def relying_party_name(request) -> str:
    return _("Credit portal")


def security_keys(user):
    """The user's security keys, newest first."""
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.filter(user=user).order_by("-pk")


def security_key_remove(*, user, pk: int, reason: str) -> None:
    """The user removes one of his own keys (a lost one): the event says which and why."""
    from django.http import Http404

    key = security_keys(user).filter(pk=pk).first()
    if key is None:
        raise Http404
    name = key.name
    key.delete()
    record_event(
        action="creditportal.second_factor.security_key_removed",
        actor=user,
        reason=reason or _("Security key removed"),
        data={"key": name},
    )
