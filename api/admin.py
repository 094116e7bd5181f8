"""API credentials in the admin: read-only (issued and revoked by ``api.services``, with the console commands
``api_credential_issue`` / ``api_credential_revoke``); the secret is never shown."""

from django.contrib import admin

from creditportal.admin_base import ReadOnlyAdmin

from .models import ApiCredential


@admin.register(ApiCredential)
class ApiCredentialAdmin(ReadOnlyAdmin):
    list_display = ["key_id", "name", "department", "purpose", "issued_at", "issued_by", "revoked_at"]
    list_filter = ["department", "purpose"]
    search_fields = ["key_id", "name"]
    exclude = ["secret_sealed"]
