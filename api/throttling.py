"""Throttling per credential (issue 23): every request, and writes apart, each within its rate
(``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``: ``api_credential``, ``api_credential_write``), counted in the shared
cache (Redis in production). A cache that does not answer lets requests through rather than refusing them all
(``creditportal.cache.FailSoftRedisCache``); the signature and nonce checks do not depend on it."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

SAFE = ("GET", "HEAD", "OPTIONS")


class CredentialRateThrottle(SimpleRateThrottle):
    scope = "api_credential"

    def get_rate(self):
        # read at each request (a deployment's or a test's settings), not frozen when the class was defined
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        credential = getattr(request._request, "api_credential", None)
        if credential is None:
            return None  # unsigned requests are refused before they cost anything
        return self.cache_format % {"scope": self.scope, "ident": credential.key_id}


class CredentialWriteThrottle(CredentialRateThrottle):
    scope = "api_credential_write"

    def allow_request(self, request, view):
        if request.method in SAFE:
            return True
        return super().allow_request(request, view)
