"""Admin pages of the exchange app: read only (imports move only through their service)."""

from django.contrib import admin

from creditportal.admin_base import AppendOnlyAdmin, ReadOnlyAdmin

from .models import RecordImport, RecordImportError


@admin.register(RecordImport)
class RecordImportAdmin(ReadOnlyAdmin):
    """Batch imports of credit records (issue 23), for support: their progress, totals and why one stopped."""

    list_display = [
        "pk",
        "file_name",
        "department",
        "status",
        "rows_done",
        "rows_written",
        "rows_refused",
        "created_at",
    ]
    list_filter = ["status", "department"]
    raw_id_fields = ["created_by"]
    show_full_result_count = False


@admin.register(RecordImportError)
class RecordImportErrorAdmin(AppendOnlyAdmin):
    """The rows an import refused, with the reason (the import's own error report)."""

    list_display = ["job", "row", "column", "message"]
    raw_id_fields = ["job"]
    show_full_result_count = False
