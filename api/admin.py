"""The API app in the admin: read-only. Credentials are issued and revoked by ``api.services`` (the console commands
``api_credential_issue`` / ``api_credential_revoke``), their secret never shown; the receipts of signed requests
(nonces, idempotency keys) are written by the API only, and only read here."""

from django.contrib import admin

from creditportal.admin_base import AppendOnlyAdmin, ReadOnlyAdmin

from .models import ApiCredential, ApiIdempotencyKey, ApiNonce


@admin.register(ApiCredential)
class ApiCredentialAdmin(ReadOnlyAdmin):
    list_display = ["key_id", "name", "department", "purpose", "issued_at", "issued_by", "revoked_at"]
    list_filter = ["department", "purpose"]
    search_fields = ["key_id", "name"]
    exclude = ["secret_sealed"]


@admin.register(ApiNonce)
class ApiNonceAdmin(AppendOnlyAdmin):
    list_display = ["credential", "nonce", "seen_at"]
    list_select_related = ["credential"]


@admin.register(ApiIdempotencyKey)
class ApiIdempotencyKeyAdmin(AppendOnlyAdmin):
    list_display = ["credential", "key", "method", "path", "status", "created_at"]
    list_select_related = ["credential"]
    exclude = ["response"]
