from django.contrib import admin

from creditportal.admin_base import AppendOnlyAdmin, ReadOnlyAdmin

from .models import PublishedCommitment, RestorationApplication


@admin.register(RestorationApplication)
class RestorationApplicationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "subject", "method", "state", "received_at", "department"]
    list_filter = ["state", "method"]
    raw_id_fields = ["subject", "designation", "record"]


@admin.register(PublishedCommitment)
class PublishedCommitmentAdmin(AppendOnlyAdmin):
    """The published credit commitments (R-NAT-3): each commitment's time on the public page and why it left;
    written by the restoration application's acts only."""

    list_display = ["subject_name", "identifier", "department_name", "published_at", "withdrawn_at", "withdrawal_cause"]
    list_filter = ["withdrawal_cause", "department"]
    search_fields = ["subject_name", "identifier"]
