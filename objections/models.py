"""Objections to credit records and designations (R-OBJ-1 to R-OBJ-6)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditportal.models.base import DepartmentOwned, TrackedQuerySet

from .choices import ObjectionGround, ObjectionOutcome, ObjectionState
from .workflow import OPEN


class ObjectionQuerySet(TrackedQuerySet):
    def open(self):
        """Under review, holding up what it targets (one meaning, from objections/workflow.py)."""
        return self.filter(state__in=OPEN)


class Objection(DepartmentOwned):
    """A subject's written objection; ``department`` is the unit that answers it.

    It targets exactly one thing: a credit record or a designation.
    """

    subject = models.ForeignKey(
        "subjects.CreditSubject",
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("subject"),
    )
    record = models.ForeignKey(
        "subjects.CreditRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("credit record"),
    )
    designation = models.ForeignKey(
        "designations.Designation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("designation"),
    )
    ground = models.CharField(_("ground"), max_length=32, choices=ObjectionGround.choices)
    grounds_text = models.TextField(_("grounds"))
    evidence = models.FileField(_("evidence"), upload_to="objections/%Y/", blank=True)
    received_at = models.DateTimeField(_("received at"))
    labelled_at = models.DateTimeField(_("labelled at"), null=True, blank=True)
    due_date = models.DateField(_("answer due"), null=True, blank=True, db_index=True)
    state = models.CharField(
        _("state"),
        max_length=32,
        choices=ObjectionState.choices,
        default=ObjectionState.RECEIVED,
        db_index=True,
    )
    assisting_department = models.ForeignKey(
        "creditportal.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assisting department"),
    )
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ObjectionOutcome.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(record__isnull=False) & models.Q(designation__isnull=True))
                | (models.Q(record__isnull=True) & models.Q(designation__isnull=False)),
                name="objection_one_target",
                violation_error_message=_("An objection targets either a credit record or a designation."),
            ),
        ]
        indexes = [models.Index(fields=["department", "state", "due_date"], name="objection_queue_idx")]

    def __str__(self) -> str:
        return _("Objection #%(id)s") % {"id": self.pk}
