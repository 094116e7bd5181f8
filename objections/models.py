"""Objections to credit records and designations (R-OBJ-1 to R-OBJ-6)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditportal.models.base import DepartmentOwned, TrackedQuerySet

from .choices import (
    ObjectionGround,
    ObjectionKind,
    ObjectionOutcome,
    ObjectionState,
    ObjectionTarget,
    RecordRemedy,
)
from .workflow import OPEN


class ObjectionQuerySet(TrackedQuerySet):
    def open(self):
        """Under review, holding up what it targets (one meaning, from objections/workflow.py)."""
        return self.filter(state__in=OPEN)


class Objection(DepartmentOwned):
    """A subject's written objection, or a complaint (R-OBJ-7); ``department`` is the unit that answers it.

    It targets exactly one thing (``target``): a credit record, a designation, the subject's identifying data,
    or (a complaint) a non-public information collector.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ObjectionKind.choices, default=ObjectionKind.OBJECTION)
    target = models.CharField(_("about"), max_length=16, choices=ObjectionTarget.choices)
    applicant = models.CharField(
        _("applicant"), max_length=200, help_text=_("Who made the objection: the subject or its agent.")
    )
    applicant_contact = models.CharField(_("applicant's address or telephone"), max_length=300, blank=True)
    collector = models.CharField(_("information collector complained about"), max_length=200, blank=True)

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
    #: The applicant's written withdrawal (issue 18: an objection is withdrawn only by its applicant, in writing).
    withdrawal_received_on = models.DateField(_("written withdrawal received on"), null=True, blank=True)
    withdrawal_document = models.FileField(_("written withdrawal"), upload_to="objections/withdrawals/%Y/", blank=True)
    labelled_at = models.DateTimeField(_("labelled at"), null=True, blank=True)
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("labelled by"),
    )
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
    assistance_request = models.TextField(_("what the assisting unit is asked to verify"), blank=True)
    assistance_requested_at = models.DateTimeField(_("assistance requested at"), null=True, blank=True)
    assistance_reply = models.TextField(_("the assisting unit's reply"), blank=True)
    assistance_replied_at = models.DateTimeField(_("assisting unit replied at"), null=True, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ObjectionOutcome.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    record_remedy = models.CharField(
        _("what was done to the record"), max_length=16, choices=RecordRemedy.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # R-OBJ-3 (HN 30): the caseworker's pending request to extend the answer deadline, which the person responsible
    # approves (a DeadlineExtension) or refuses with reasons; either answer clears it (the history keeps it).
    extension_requested_days = models.PositiveSmallIntegerField(
        _("extension requested (working days)"), null=True, blank=True
    )
    extension_request_grounds = models.TextField(_("why more time is needed"), blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("extension requested by"),
    )
    extension_requested_at = models.DateTimeField(_("extension requested at"), null=True, blank=True)

    # A ClassVar, as django-stubs declares the base class's manager.
    objects: ClassVar = ObjectionQuerySet.as_manager()
    #: The assisting unit sees (and answers) the objection it is asked to help verify (R-OBJ-3; permissions.py)
    #: until it replies: with its reply its access ends, the applicant's contact details included (issue 21).
    also_scoped_by: ClassVar = {"assisting_department_id": models.Q(assistance_replied_at__isnull=True)}

    class Meta:
        ordering = ["-id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        permissions = [("approve_objection", "Can approve an extension of an objection's answer deadline")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(target="record", record__isnull=False, designation__isnull=True)
                    | models.Q(target="designation", record__isnull=True, designation__isnull=False)
                    | models.Q(target__in=["identity", "collector"], record__isnull=True, designation__isnull=True)
                ),
                name="objection_one_target",
                violation_error_message=_(
                    "An objection targets exactly one thing: the record, designation or data named."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="complaint", target="collector")
                | (~models.Q(kind="complaint") & ~models.Q(target="collector")),
                name="objection_complaint_about_collector",
                violation_error_message=_("A complaint is about an information collector; an objection is not."),
            ),
        ]
        indexes = [
            models.Index(fields=["department", "state", "due_date"], name="objection_queue_idx"),
            models.Index(fields=["assisting_department", "state"], name="objection_assist_idx"),
            # the supervisors' queue of extension requests (few rows: only the pending ones are indexed)
            models.Index(
                fields=["department", "extension_requested_at"],
                name="objection_extension_idx",
                condition=models.Q(extension_requested_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        if self.kind == ObjectionKind.COMPLAINT:
            return _("Complaint #%(id)s") % {"id": self.pk}
        return _("Objection #%(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("objection_detail", args=[self.pk])

    @property
    def target_object(self):
        """The thing objected to: the record, the designation, or the subject (its identifying data)."""
        if self.target == ObjectionTarget.RECORD:
            return self.record
        if self.target == ObjectionTarget.DESIGNATION:
            return self.designation
        return self.subject if self.target == ObjectionTarget.IDENTITY else None
