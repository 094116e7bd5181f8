"""The change feed in the admin (issue 23): read only, for the system administrator's support (what was sent to the
platform, when, and why something was withdrawn)."""

from django.contrib import admin

from creditportal.admin_base import AppendOnlyAdmin

from .models import FeedEntry, FeedFile, FeedMark, FeedState


@admin.register(FeedEntry)
class FeedEntryAdmin(AppendOnlyAdmin):
    """Written by the database triggers only (``feed/sql.py``); pruned past the retention by the nightly job."""

    list_display = ["id", "kind", "object_id", "operation", "cause", "department", "created_at"]
    list_filter = ["kind", "operation", "cause"]
    search_fields = ["=object_id"]
    show_full_result_count = False
    readonly_fields = [f.name for f in FeedEntry._meta.fields]


@admin.register(FeedFile)
class FeedFileAdmin(AppendOnlyAdmin):
    """The nightly snapshots and the file-mode packages written for the platform."""

    list_display = ["created_at", "kind", "lines", "sha256"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in FeedFile._meta.fields]


@admin.register(FeedState)
class FeedStateAdmin(AppendOnlyAdmin):
    """What the platform holds of each object once it has read the feed (the snapshot's source)."""

    list_display = ["kind", "object_id", "department", "changed_at"]
    list_filter = ["kind"]
    search_fields = ["=object_id"]
    show_full_result_count = False
    readonly_fields = [f.name for f in FeedState._meta.fields]


@admin.register(FeedMark)
class FeedMarkAdmin(AppendOnlyAdmin):
    """Where the feed begins after pruning: a cursor before it is refused."""

    list_display = ["pruned_at", "pruned"]
    readonly_fields = [f.name for f in FeedMark._meta.fields]
