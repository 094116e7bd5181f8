"""Idempotency keys on writes (issue 23): the API's form of ``creditportal.idempotency`` (one submit, one object).

A write carries an ``Idempotency-Key`` header (1 to 100 printable characters, new for each distinct write). Before
the write, the key is inserted into ``ApiIdempotencyKey`` (unique per credential) in the request's transaction, with
the SHA-256 of the body: no check-then-insert, the unique index is the lock, exactly as ``SubmitToken``'s. The
same key sent again (a retry after a lost answer, two sends at once) cannot insert it: PostgreSQL makes the second
wait for the first's commit, then refuses it, and the second answers with the first's response (status and body,
header ``Idempotent-Replayed: true``), nothing written again. The same key with another body, or on another
address, is refused (422). A refused write (nothing created) gives its key back, so the corrected request may be
sent with it, as a refused form gives its token back.

``SubmitToken`` itself does not fit: it keeps a redirect address, not a body's digest or a JSON response, and its
token is global, where a key here is the credential's own.
"""

from __future__ import annotations

import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response

from .authentication import body_sha256
from .models import ApiIdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,100}$")

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_(
        "A new key for each distinct write (1 to 100 printable characters). Sent again with the same body, the "
        "first response is returned and nothing is written again; with another body, the request is refused."
    ),
    pattern=KEY_PATTERN.pattern,
)


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was used for another request: use a new key for a new write.")
    default_code = "idempotency_key_reused"


class IdempotentCreateMixin:
    """For an API view whose POST creates: its ``post`` calls ``create``, which calls the view's ``write``."""

    def write(self, request, *args, **kwargs) -> Response:
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        key = request.headers.get(HEADER, "")
        if not KEY_PATTERN.match(key):
            raise exceptions.ValidationError(
                {HEADER: [_("Send an Idempotency-Key header: 1 to 100 printable characters, new for each write.")]}
            )
        credential = request._request.api_credential
        digest = body_sha256(request)
        path = request._request.get_full_path()[:2000]
        try:
            with transaction.atomic():  # a savepoint: a refused insert leaves the request's transaction usable
                receipt = ApiIdempotencyKey.objects.create(
                    credential=credential,
                    key=key,
                    method=request.method,
                    path=path,
                    body_sha256=digest,
                    created_at=timezone.now(),
                )
        except IntegrityError:
            return self.replay(credential, key, method=request.method, path=path, digest=digest)
        try:
            response = self.write(request, *args, **kwargs)
        except Exception:
            receipt.delete()  # refused: nothing was created, the key may be used again
            raise
        if 200 <= response.status_code < 300:
            receipt.status = response.status_code
            receipt.response = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
            receipt.save(update_fields=["status", "response"])
        else:
            receipt.delete()
        return response

    def replay(self, credential, key: str, *, method: str, path: str, digest: str) -> Response:
        first = ApiIdempotencyKey.objects.get(credential=credential, key=key)
        if (first.method, first.path, first.body_sha256) != (method, path, digest) or first.status is None:
            raise KeyReused()
        return Response(first.response, status=first.status, headers={REPLAYED_HEADER: "true"})
