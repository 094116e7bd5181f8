"""The access log (R-SEC-2, R-SEC-3; issue 21): who looked at which subject's information, why, when, from where."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import AccessKind, AccessPurpose


class AccessEntry(models.Model):
    """One look at one subject's information: a page or document opened (with the purpose declared for it), or the
    subject appearing in a search result or an export (no purpose: nothing beyond the masked list was shown).

    Append-only like the audit events, and copied into the audit ledger (``creditportal.ledger``). Kept for the
    profile's ``inquiry_record_years`` (R-SEC-3: three years in HB 19), then purged by ``creditportal.access.purge_expired``
    (beat: ``creditportal.access_purge``), which leaves a signed count. ``subject_id`` is the credit subject's key (the subjects app sits above this one, so
    there is no foreign key; subjects are never deleted). ``department`` is the department of what was shown: its
    auditors read the entry through the scope."""

    at = models.DateTimeField(_("at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    roles = models.CharField(_("role"), max_length=200, blank=True)
    user_department = models.ForeignKey(
        "creditportal.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department of the person"),
    )
    department = models.ForeignKey(
        "creditportal.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    subject_id = models.BigIntegerField(_("credit subject"))
    kind = models.CharField(_("how"), max_length=16, choices=AccessKind.choices)
    page = models.CharField(_("page"), max_length=100)
    shown = models.JSONField(_("objects shown"), default=list, blank=True)
    fields = models.JSONField(_("information delivered"), default=list, blank=True)
    purpose = models.CharField(_("purpose"), max_length=32, choices=AccessPurpose.choices, blank=True)
    purpose_text = models.CharField(_("purpose stated"), max_length=200, blank=True)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            # the pages' order (newest first, then the id) read straight from the index, whatever the log's size
            models.Index(fields=["subject_id", "-at", "-id"], name="accessentry_subject_idx"),
            models.Index(fields=["department", "-at", "-id"], name="accessentry_department_idx"),
            models.Index(fields=["user", "-at", "-id"], name="accessentry_user_idx"),
            models.Index(fields=["at"], name="accessentry_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.user_id} → {self.subject_id} ({self.kind})"

    @property
    def role_labels(self) -> str:
        """The roles, by their names in the reader's language (never the raw codes)."""
        from ..choices import Role, SystemRole

        labels = {**dict(Role.choices), **dict(SystemRole.choices)}
        return "、".join(str(labels.get(code, code)) for code in self.roles.split(",") if code)

    @property
    def shown_label(self) -> str:
        """What was shown, by kind and number ("信用记录 12"; a document, a file and the case it belongs to)."""
        from django.apps import apps

        parts = []
        for item in self.shown:
            label, _sep, pk = item.partition(":")
            try:
                parts.append(f"{apps.get_model(label)._meta.verbose_name} {pk}")
            except (LookupError, ValueError):
                parts.append(item)
        return "、".join(parts)
