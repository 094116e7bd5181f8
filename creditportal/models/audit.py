"""The timeline of acts: every service writes one event with a namespaced action code."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One act on a case or one access to case data (R-SEC-3, R-SEC-4).

    Append-only: the application never changes or deletes an event, so it carries no history of its own.
    ``action`` is namespaced: ``subjects.subject.created``, ``subjects.subject.exported``.
    """

    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    department = models.ForeignKey(
        "creditportal.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kind of object")
    )
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="auditevent_target_idx")]

    def __str__(self) -> str:
        """When (in the portal's time zone, Asia/Shanghai, never UTC) and what."""
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.action}"


class LedgerEntry(models.Model):
    """One entry of the audit ledger (``creditportal.ledger``): the canonical text of an audit event or history row,
    and, once sealed, its place in the chain and the hashes that tie it to the entry before. Written only by the
    database's triggers and sealer, never by the application; the table (made by migration 0024's SQL, not by
    Django) refuses every other change."""

    recorded_at = models.DateTimeField(_("recorded at"))
    source = models.CharField(_("table"), max_length=100)
    source_id = models.CharField(_("row"), max_length=64)
    content = models.TextField(_("content"))
    seq = models.BigIntegerField(_("place in the chain"), null=True, unique=True)
    # NULL, not "": not sealed yet (the sealer fills both in, once)
    prev_hash = models.CharField(_("hash of the entry before"), max_length=64, null=True)  # noqa: DJ001
    hash = models.CharField(_("hash"), max_length=64, null=True, unique=True)  # noqa: DJ001
    sealed_at = models.DateTimeField(_("sealed at"), null=True)

    class Meta:
        managed = False  # the migration's SQL makes it, and Django's flush leaves it alone (it refuses TRUNCATE)
        db_table = "creditportal_ledgerentry"
        ordering = ["id"]
        verbose_name = _("audit ledger entry")
        verbose_name_plural = _("audit ledger")

    def __str__(self) -> str:
        return f"#{self.seq or '—'} {self.source}:{self.source_id}"
