"""The abstract base every model of the project inherits: timestamps and django-simple-history."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TrackedModel(models.Model):
    """Timestamps and a full history (who, when, why) for every row (R-SEC-4; HN 26, HN 34).

    Writes go through services that set ``_history_user`` and ``_change_reason``; the application never
    hard-deletes (admin delete is disabled; rows change status instead).
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class DepartmentOwned(TrackedModel):
    """A case-bearing row: its indexed ``department`` is what scoping filters on (creditportal.permissions)."""

    department = models.ForeignKey(
        "creditportal.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
        db_index=True,
    )

    class Meta:
        abstract = True
