"""Security keys and passkeys as the second factor (issue 21; GB/T 22239-2019 8.1.4.1 d), with django-otp-webauthn.

The library's ceremonies, under its URL namespace (``otp_webauthn``, which its scripts reverse), with three things of
ours: the relying party is the host the portal answers on and the expected origin that host's (``PortalHelper``);
a key is never a password (no passwordless sign-in: ``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN``); each key registered
and each sign-in with one is an audit event. Registering needs a session already verified with the second factor
(the library refuses otherwise), so a stolen password cannot add a key.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as ceremony
from django_otp_webauthn.helpers import WebAuthnHelper

from .audit import record_event


class PortalHelper(WebAuthnHelper):
    """The origin a ceremony must come from: this request's own scheme and host (``ALLOWED_HOSTS`` admitted it; in
    production the portal's names only, behind TLS). The relying party is the library's own setting
    (``OTP_WEBAUTHN_RP_ID_CALLABLE``: ``second_factor.relying_party_id``)."""

    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]


class KeyRegistrationComplete(ceremony.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        record_event(
            action="creditportal.second_factor.security_key_added",
            actor=self.request.user,
            reason=_("Security key registered"),
        )
        return response


class KeyAuthenticationComplete(ceremony.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        super().complete_auth(device)
        record_event(
            action="creditportal.second_factor.security_key_used",
            actor=device.user,
            reason=_("Signed in with a security key"),
            data={"key": device.name},
        )


app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registration/begin/",
        ceremony.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path("registration/complete/", KeyRegistrationComplete.as_view(), name="credential-registration-complete"),
    path(
        "authentication/begin/",
        ceremony.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path("authentication/complete/", KeyAuthenticationComplete.as_view(), name="credential-authentication-complete"),
    # the scripts' messages, in the user's language (ours in locale/…/djangojs.po, beside the library's)
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
