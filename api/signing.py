"""How a request to the API is signed (issue 23), for the server (``api.authentication``) and for clients alike.

A client sends four headers with every request:

- ``X-Api-Key``: its key id;
- ``X-Api-Timestamp``: the time of sending, whole seconds since 1970-01-01 UTC;
- ``X-Api-Nonce``: a new random string for every request (8 to 64 letters, digits, ``-`` or ``_``);
- ``X-Api-Signature``: the lower-case hex HMAC-SHA256, keyed with the secret, of five lines joined by ``\\n``: the
  method in capitals, the path and query string as sent (``/api/v1/records/?cursor=…``), the timestamp, the nonce,
  and the lower-case hex SHA-256 of the body (of the empty string for a request without one).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from urllib.parse import unquote, urlsplit

from django.utils.encoding import escape_uri_path

KEY_HEADER = "X-Api-Key"
TIMESTAMP_HEADER = "X-Api-Timestamp"
NONCE_HEADER = "X-Api-Nonce"
SIGNATURE_HEADER = "X-Api-Signature"
#: What a nonce may be: long enough to be unique, short enough for its column.
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body or b"").hexdigest()


def canonical(method: str, full_path: str, timestamp: str, nonce: str, digest: str) -> bytes:
    """The text that is signed: one line each for the method, the path with its query, the timestamp, the nonce and
    the body's SHA-256 (``digest``, hex)."""
    return "\n".join([method.upper(), full_path, timestamp, nonce, digest]).encode()


def signature(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def server_path(url: str) -> str:
    """The path and query of ``url`` as the server reads them (``HttpRequest.get_full_path``): the path decoded and
    encoded again, the query string as sent."""
    parts = urlsplit(url)
    path = escape_uri_path(unquote(parts.path or "/"))
    return f"{path}?{parts.query}" if parts.query else path


def signed_headers(
    *, key_id: str, secret: str, method: str, url: str, body: bytes = b"", now: float | None = None, nonce: str = ""
) -> dict[str, str]:
    """The four headers that sign a request (a client's side; the tests and the schemathesis run use it)."""
    timestamp = str(int(time.time() if now is None else now))
    nonce = nonce or secrets.token_urlsafe(18)
    message = canonical(method, server_path(url), timestamp, nonce, body_digest(body))
    return {
        KEY_HEADER: key_id,
        TIMESTAMP_HEADER: timestamp,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: signature(secret, message),
    }
