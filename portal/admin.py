from django.contrib import admin

from creditportal.admin_base import ReadOnlyAdmin

from .models import AgentAuthorisation, SignInCode


@admin.register(SignInCode)
class SignInCodeAdmin(ReadOnlyAdmin):
    """Portal sign-in codes (hashes only), for the security administrator to see who was sent a code and when."""

    list_display = ["subject", "address", "created_at", "expires_at", "attempts", "used_at"]
    raw_id_fields = ["subject"]
    exclude = ["code_hash"]


@admin.register(AgentAuthorisation)
class AgentAuthorisationAdmin(ReadOnlyAdmin):
    """Organisations' authorisations of agents in the portal (issue 22): read here, given and withdrawn by the legal
    representative in the portal."""

    list_display = ["organisation", "agent", "all_matters", "valid_from", "expires_on", "withdrawn_at"]
    list_filter = ["all_matters"]
    raw_id_fields = ["organisation", "agent", "granted_by", "withdrawn_by"]
