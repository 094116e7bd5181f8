"""Reads of the exchange app, always through the scope."""

from creditportal.permissions import scope_queryset

from .models import RecordImport, RecordImportError


def record_import_queryset(*, user, action: str = "view"):
    """The imports ``user`` may see: its departments' (another department's import is a 404)."""
    return scope_queryset(user, RecordImport.objects.select_related("created_by", "department"), action)


def record_import_errors(*, job: RecordImport, limit: int | None = None):
    """The rows ``job`` refused, in file order (the job was read through the scope by the caller)."""
    rows = RecordImportError.objects.filter(job=job).order_by("row", "pk")
    return rows[:limit] if limit else rows.iterator(chunk_size=5000)
