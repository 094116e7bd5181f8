"""Signed requests (issue 23; docs/security.md "The API"): the only way into the API.

Each request names its credential and carries a timestamp, a nonce and an HMAC-SHA256 signature over the method, the
path and query, the timestamp, the nonce and the body's SHA-256 (``api.signing``). The server opens the credential's
sealed secret, computes the signature and compares in constant time; refuses a timestamp outside
``API_SIGNATURE_WINDOW_SECONDS`` either way; and records the nonce (``ApiNonce``, unique per credential) in the
request's transaction, so the same signed request sent again within the window is refused (after that, its
timestamp is). A revoked credential, or one whose service account is inactive, is refused. Browser sessions are not
accepted at all (no session, no CSRF): the API has no other authentication class.
"""

from __future__ import annotations

import hashlib
import hmac
import tempfile
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from creditportal.identity import IdentityKeyError, open_sealed

from . import signing
from .models import ApiCredential, ApiNonce

#: An upload is read from the request's stream in pieces of this size, hashed as it is spooled to a temporary file.
CHUNK = 1024 * 1024
#: What stays in memory of a spooled upload before it goes to disk.
SPOOL_MEMORY = 8 * 1024 * 1024


def body_sha256(request) -> str:
    """The SHA-256 of the request's body, kept on the request (``api_body_sha256``) for the idempotency key.

    A view that takes a file (``streamed_body = True``: a batch import, up to 1 GB) has its body read from the
    stream in pieces and spooled to a temporary file (``api_upload``), in constant memory; any other body is small
    and read whole (Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bounds it)."""
    raw = request._request
    if not hasattr(raw, "api_body_sha256"):
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if getattr(view, "streamed_body", False) and request.method == "POST":
            spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115  (the view closes it)
            digest = hashlib.sha256()
            while chunk := raw.read(CHUNK):
                digest.update(chunk)
                spool.write(chunk)
            spool.seek(0)
            raw.api_upload = spool
            raw.api_body_sha256 = digest.hexdigest()
        else:
            raw.api_body_sha256 = signing.body_digest(raw.body)
    return raw.api_body_sha256


class SignedRequestAuthentication(BaseAuthentication):
    """The credential's service account, when the request is signed with its secret, in time, and not replayed."""

    def authenticate(self, request):
        headers = request._request.headers
        key_id = headers.get(signing.KEY_HEADER, "")
        if not key_id:
            return None  # no credential at all: DRF answers 401 with authenticate_header()
        timestamp = headers.get(signing.TIMESTAMP_HEADER, "")
        nonce = headers.get(signing.NONCE_HEADER, "")
        sent = headers.get(signing.SIGNATURE_HEADER, "")
        if not (timestamp and nonce and sent):
            raise exceptions.AuthenticationFailed(
                _("A signed request carries the key id, a timestamp, a nonce and the signature.")
            )
        if not signing.NONCE_PATTERN.match(nonce):
            raise exceptions.AuthenticationFailed(
                _("The nonce is 8 to 64 letters, digits, hyphens or underscores, new for every request.")
            )
        credential = ApiCredential.objects.select_related("user", "department").filter(key_id=key_id[:40]).first()
        if credential is None:
            raise exceptions.AuthenticationFailed(_("This key is not known."))
        try:
            secret = open_sealed(credential.secret_sealed)
        except IdentityKeyError:
            raise exceptions.AuthenticationFailed(_("This key can no longer be checked: ask for a new one.")) from None
        digest = body_sha256(request)
        message = signing.canonical(request.method, request._request.get_full_path(), timestamp, nonce, digest)
        if not hmac.compare_digest(signing.signature(secret, message), sent.lower()):
            raise exceptions.AuthenticationFailed(_("The signature does not match the request."))
        # the time and the replay are judged only for a request the key really signed
        try:
            sent_at = int(timestamp)
        except ValueError:
            raise exceptions.AuthenticationFailed(_("The timestamp is whole seconds since 1970-01-01 UTC.")) from None
        window = settings.API_SIGNATURE_WINDOW_SECONDS
        if abs(time.time() - sent_at) > window:
            raise exceptions.AuthenticationFailed(
                _("The request was signed more than %(seconds)d seconds from now: sign it again with the current time.")
                % {"seconds": window}
            )
        if credential.is_revoked:
            raise exceptions.AuthenticationFailed(_("This key was revoked."))
        if not credential.user.is_active:
            raise exceptions.AuthenticationFailed(_("This key's service account is not active."))
        try:
            with transaction.atomic():  # a savepoint: a refused insert leaves the request's transaction usable
                ApiNonce.objects.create(credential=credential, nonce=nonce, seen_at=timezone.now())
        except IntegrityError:
            raise exceptions.AuthenticationFailed(
                _("This request was received already (its nonce was used): every request needs a new nonce.")
            ) from None
        request._request.api_credential = credential
        return credential.user, credential

    def authenticate_header(self, request) -> str:
        return 'Signature realm="api", headers="X-Api-Key X-Api-Timestamp X-Api-Nonce X-Api-Signature"'


class SignedRequestScheme(OpenApiAuthenticationExtension):
    """How the schema names the signature (the four headers are described in ``api.signing``)."""

    target_class = "api.authentication.SignedRequestAuthentication"
    name = "SignedRequest"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": signing.KEY_HEADER,
            "description": str(
                _(
                    "Every request carries X-Api-Key, X-Api-Timestamp (seconds since 1970-01-01 UTC), X-Api-Nonce "
                    "(new for every request) and X-Api-Signature: the hex HMAC-SHA256, keyed with the secret, of "
                    "the method, the path and query, the timestamp, the nonce and the hex SHA-256 of the body, "
                    "one per line."
                )
            ),
        }
