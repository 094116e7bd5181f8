from django.contrib import admin

from creditportal.admin_base import ReadOnlyAdmin

from .models import SignInCode


@admin.register(SignInCode)
class SignInCodeAdmin(ReadOnlyAdmin):
    """Portal sign-in codes (hashes only), for the security administrator to see who was sent a code and when."""

    list_display = ["subject", "address", "created_at", "expires_at", "attempts", "used_at"]
    raw_id_fields = ["subject"]
    exclude = ["code_hash"]
