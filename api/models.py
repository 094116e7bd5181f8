"""Credentials of the providing units and the national platform, and the technical receipts of signed requests.

- ``ApiCredential``: one per client of a department, bound to a service account that holds a role in that department
  (``creditportal.Membership``), so the API is scoped exactly like the pages (``scope_queryset``). Its secret is
  kept sealed (``creditportal.identity``: the same suite and keys as identity numbers), because the server must
  compute the HMAC of each request with it; a hash could not verify a signature.
- ``ApiNonce``: the nonce of each signed request, unique per credential: the unique index refuses a replay, as
  ``SubmitToken``'s refuses a form sent twice (``creditportal.idempotency``).
- ``ApiIdempotencyKey``: the ``Idempotency-Key`` of a write, with the digest of its body and the response it got.

Nonces and idempotency keys are technical receipts, not case data: no history, purged after their window.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditportal.choices import AccessPurpose
from creditportal.models.base import TrackedModel


class ApiCredential(TrackedModel):
    """A providing unit's (or the platform's) key for the API (issue 23). Issued and revoked by ``api.services``."""

    key_id = models.CharField(_("key id"), max_length=40, unique=True, editable=False)
    department = models.ForeignKey(
        "creditportal.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_credential",
        verbose_name=_("service account"),
        editable=False,
    )
    name = models.CharField(_("client"), max_length=200, help_text=_("Who uses the key: a system or a unit."))
    #: The purpose registered in the access log for what the client reads, unless a request states its own.
    purpose = models.CharField(_("declared purpose"), max_length=32, choices=AccessPurpose.choices)
    purpose_text = models.CharField(_("purpose explained"), max_length=200, blank=True)
    secret_sealed = models.TextField(_("secret (encrypted)"), editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
        editable=False,
    )
    issued_at = models.DateTimeField(_("issued at"), editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
        editable=False,
    )
    revoked_reason = models.CharField(_("revoked because"), max_length=500, blank=True, editable=False)

    #: The secret stays in the live row only (a key rotation re-seals one row, never the audit trail).
    history_excluded_fields: ClassVar[tuple[str, ...]] = ("secret_sealed",)

    class Meta:
        verbose_name = _("API credential")
        verbose_name_plural = _("API credentials")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.key_id} · {self.name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ApiNonce(models.Model):
    """A signed request's nonce: the unique index is the guard against a replay within the signature window."""

    credential = models.ForeignKey(ApiCredential, on_delete=models.PROTECT, related_name="+")
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["credential", "nonce"], name="apinonce_unique")]

    def __str__(self) -> str:
        return self.nonce


class ApiIdempotencyKey(models.Model):
    """A write's ``Idempotency-Key``, inserted before the write in the request's transaction (the unique index is the
    lock); it keeps the digest of the body it came with and the response the write got, to replay it."""

    credential = models.ForeignKey(ApiCredential, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=2000)
    body_sha256 = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["credential", "key"], name="apiidempotencykey_unique")]

    def __str__(self) -> str:
        return self.key
