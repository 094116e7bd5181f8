"""Statutory clocks as rows: swept by Celery beat, never waiting in a Celery countdown."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import DayCount, DeadlineStatus
from .base import DepartmentOwned, TrackedModel


class Deadline(DepartmentOwned):
    """One statutory clock of a case: rule, anchor, days counted and the computed, indexed due date.

    "Overdue" is derived from the due date and today, never stored (ARCHITECTURE.md "Deadlines").
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("case type"))
    object_id = models.PositiveBigIntegerField(_("case id"))
    case = GenericForeignKey("content_type", "object_id")
    rule_id = models.CharField(_("rule"), max_length=16, help_text=_("For example R-OBJ-3."))
    article = models.TextField(_("article"), blank=True)
    anchor_event = models.CharField(_("anchor event"), max_length=100)
    anchor_date = models.DateField(_("anchor date"))
    days = models.PositiveSmallIntegerField(_("days"))
    unit = models.CharField(_("unit"), max_length=2, choices=DayCount.choices, default=DayCount.WORKING_DAYS)
    due_date = models.DateField(_("due date"), db_index=True)
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("The due date reaches into a year whose official schedule is not loaded."),
    )
    status = models.CharField(_("status"), max_length=16, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    #: Monitoring (creditportal.monitoring): each mail is sent once per clock; the sweep sets these when it sends.
    reminded_at = models.DateTimeField(
        _("reminder sent at"),
        null=True,
        blank=True,
        help_text=_("When the people working the case were reminded that the due date is near."),
    )
    escalated_at = models.DateTimeField(
        _("escalated at"),
        null=True,
        blank=True,
        help_text=_("When the department's supervisors were told that the due date was missed."),
    )

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="deadline_case_idx"),
            models.Index(fields=["status", "due_date"], name="deadline_sweep_idx"),
            # The deadlines page: a department's running clocks by due date, and its clocks met per month (covering
            # what the on-time chart reads, so a year of a department's clocks is counted from the index alone).
            models.Index(fields=["department", "status", "due_date"], name="deadline_dept_due_idx"),
            models.Index(
                fields=["department", "status", "met_at"],
                include=["due_date", "content_type", "rule_id", "id"],
                name="deadline_dept_met_idx",
            ),
            # The sweep's escalations: clocks still running and not escalated (missed ones soon are, and leave it).
            models.Index(
                fields=["due_date"],
                condition=models.Q(status="open", escalated_at__isnull=True),
                name="deadline_to_escalate_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} due {self.due_date}"

    # What a page asks of a clock (templates compare no status literal, issue 17).
    @property
    def is_open(self) -> bool:
        return self.status == DeadlineStatus.OPEN

    @property
    def is_paused(self) -> bool:
        return self.status == DeadlineStatus.PAUSED

    @property
    def is_running(self) -> bool:
        """Open or paused: not met or cancelled."""
        return self.status in (DeadlineStatus.OPEN, DeadlineStatus.PAUSED)

    @property
    def is_met(self) -> bool:
        return self.status == DeadlineStatus.MET

    @property
    def closed_late(self) -> bool:
        """Closed (met, or cancelled with its case) after its due date: missed, and it stays missed (issue 18)."""
        from django.utils import timezone

        if self.status not in (DeadlineStatus.MET, DeadlineStatus.CANCELLED) or self.met_at is None:
            return False
        return timezone.localdate(self.met_at) > self.due_date

    @property
    def counts_working_days(self) -> bool:
        return self.unit == DayCount.WORKING_DAYS


class DeadlinePause(TrackedModel):
    """A stretch that does not count towards the deadline (R-OBJ-4: examinations, testing, appraisal)."""

    deadline = models.ForeignKey(Deadline, on_delete=models.PROTECT, related_name="pauses", verbose_name=_("deadline"))
    reason = models.CharField(_("reason"), max_length=200)
    paused_from = models.DateField(_("from"))
    paused_until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline pause")
        verbose_name_plural = _("deadline pauses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paused_until__isnull=True) | models.Q(paused_until__gte=models.F("paused_from")),
                name="deadlinepause_ordered",
            ),
        ]


class DeadlineExtension(TrackedModel):
    """An approved extension (R-OBJ-3, HN 30: approved by the person responsible; total at most 15 WD)."""

    deadline = models.ForeignKey(
        Deadline, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("deadline")
    )
    days = models.PositiveSmallIntegerField(_("days"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
