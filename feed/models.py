"""The change feed's outbox (issue 23). Technical rows, like submission receipts: written by PostgreSQL triggers in
the transaction of the change they describe (``feed/sql.py``), never by the application's services, and pruned
past their retention (the outbox's own housekeeping; the case data they describe is untouched). Not
``TrackedModel``s: an outbox row has no history of its own, it *is* history."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import FeedCause, FeedKind, FeedOperation


class FeedEntry(models.Model):
    """One change to what is published or shared, as the national platform receives it: new, changed, or withdrawn
    with its cause (R-DIS-3, R-OBJ-6, R-RES-4, R-NAT-5). Delivered in ``(order_xid, id)`` order, only once every
    transaction that could still write before it has ended (``feed.selectors.feed_page``)."""

    #: The writing transaction (``pg_current_xact_id()``, an xid8, as a bigint).
    xid = models.BigIntegerField(_("transaction"))
    #: The transaction the entry is ordered by: its own, or the later one that wrote the object's previous entry
    #: (so an object's entries are delivered in the order they were made, whatever their transactions' ids).
    order_xid = models.BigIntegerField(_("ordered after transaction"))
    kind = models.CharField(_("kind"), max_length=16, choices=FeedKind.choices)
    object_id = models.BigIntegerField(_("object"))
    operation = models.CharField(_("operation"), max_length=16, choices=FeedOperation.choices)
    cause = models.CharField(_("withdrawn because"), max_length=32, choices=FeedCause.choices, blank=True)
    department = models.ForeignKey(
        "creditportal.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    #: What the platform receives (null for a withdrawal): identifiers as the masking policy shows them (R-DIS-4).
    payload = models.JSONField(_("payload"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["order_xid", "id"]
        verbose_name = _("change feed entry")
        verbose_name_plural = _("change feed entries")
        indexes = [
            models.Index(fields=["order_xid", "id"], name="feedentry_order_idx"),
            models.Index(fields=["kind", "object_id", "id"], name="feedentry_object_idx"),
            models.Index(fields=["created_at"], name="feedentry_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.operation}"

    @property
    def key(self) -> str:
        """The object's stable key on the platform: ``<kind>:<id>``."""
        return f"{self.kind}:{self.object_id}"


class FeedState(models.Model):
    """What the platform holds of one object once it has read the feed to its end: the last payload delivered (null:
    withdrawn) and the ordering position of its last entry. The triggers lock this row to write an object's next
    entry, so one object's changes are written one after the other; the nightly snapshot is its published rows."""

    kind = models.CharField(_("kind"), max_length=16, choices=FeedKind.choices)
    object_id = models.BigIntegerField(_("object"))
    department = models.ForeignKey(
        "creditportal.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    payload = models.JSONField(_("payload"), null=True, blank=True)
    order_xid = models.BigIntegerField(_("ordered after transaction"))
    last_entry_id = models.BigIntegerField(_("last entry"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("change feed state")
        verbose_name_plural = _("change feed states")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="feedstate_one_per_object")]
        indexes = [
            models.Index(
                fields=["kind", "object_id"], name="feedstate_present_idx", condition=models.Q(payload__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class FeedMark(models.Model):
    """Where the feed begins after pruning (one row): entries at or before ``(order_xid, entry_id)`` were deleted, so
    a cursor before it is refused and the client restarts from a nightly snapshot."""

    order_xid = models.BigIntegerField(_("ordered after transaction"))
    entry_id = models.BigIntegerField(_("last entry pruned"))
    pruned_at = models.DateTimeField(_("pruned at"))
    pruned = models.BigIntegerField(_("entries pruned"), default=0)

    class Meta:
        verbose_name = _("change feed pruning mark")
        verbose_name_plural = _("change feed pruning marks")

    def __str__(self) -> str:
        return f"{self.order_xid}/{self.entry_id}"


class FeedFile(models.Model):
    """A file written for the platform: the nightly snapshot of everything published or shared (a restart point), or
    a file-mode package of the feed between two cursors (GB/T 39443 file mode). JSON Lines, gzip, in media storage
    under a name nobody can guess; the manifest beside it counts the lines and gives the SHA-256."""

    class Kind(models.TextChoices):
        SNAPSHOT = "snapshot", _("Nightly snapshot")
        PACKAGE = "package", _("File-mode package")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="feed/", max_length=200)
    manifest = models.JSONField(_("manifest"))
    #: The cursor to read the feed from after this file (a snapshot's restart point; a package's end).
    cursor = models.CharField(_("cursor"), max_length=200)
    lines = models.BigIntegerField(_("lines"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("change feed file")
        verbose_name_plural = _("change feed files")
        indexes = [models.Index(fields=["kind", "-created_at"], name="feedfile_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
