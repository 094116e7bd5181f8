"""A providing unit's client for the tests: every request signed as ``api.signing`` says."""

from __future__ import annotations

import json

from django.test import Client

from api.signing import signed_headers


class SignedClient:
    """Sends signed JSON requests with a credential's key id and secret (``sign=False``: unsigned)."""

    def __init__(self, key_id: str, secret: str) -> None:
        self.key_id, self.secret = key_id, secret
        self.client = Client()

    def request(
        self,
        method: str,
        path: str,
        body=None,
        *,
        headers: dict | None = None,
        sign: bool = True,
        content_type: str = "application/json",
        **signing,
    ):
        data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        sent = dict(headers or {})
        if sign:
            sent = {
                **signed_headers(key_id=self.key_id, secret=self.secret, method=method, url=path, body=data, **signing),
                **sent,
            }
        return self.client.generic(method, path, data=data, content_type=content_type, headers=sent)

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body, **kwargs):
        return self.request("POST", path, body, **kwargs)
