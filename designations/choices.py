"""Choices of the designations app. The transitions between states are declared in workflow.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DesignationState(models.TextChoices):
    """States of a designation's due process (R-DES-1 to R-DES-5)."""

    DRAFT = "draft", _("Draft")
    PENDING_NOTICE = "pending_notice", _("Pending notice")
    NOTIFIED = "notified", _("Notified: statement period running")
    UNDER_REVIEW = "under_review", _("Under review")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    DECISION_ISSUED = "decision_issued", _("Decision issued")
    SERVED = "served", _("Served")
    LISTED = "listed", _("Listed")
    REMOVED = "removed", _("Removed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")


class DesignationSource(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary procedure")
    JUDGMENT_DEFAULTER = "judgment_defaulter", _("People's court Judgment Defaulters List (R-DES-8)")


class Leniency(models.TextChoices):
    """R-DES-7 (HL 30, XJ 33)."""

    NONE = "none", _("No leniency grounds")
    MINOR_CORRECTED = "minor_corrected", _("Minor, promptly corrected, no harm: measures waived, warning")
    EMERGENCY = "emergency", _("Caused by disaster, accident or emergency: lenient and cautious")


class RemovalReason(models.TextChoices):
    EXPIRY = "expiry", _("Listing period expired")
    RESTORATION = "restoration", _("Credit restored")
    OBJECTION_ADOPTED = "objection_adopted", _("Objection adopted")
    REVOCATION = "revocation", _("Basis revoked")
    BASIS_EXPIRED = "basis_expired", _("Disclosure period of the information relied on ended")
    BASIS_CORRECTED = "basis_corrected", _("Information relied on corrected")


class StatementKind(models.TextChoices):
    STATEMENT = "statement", _("Statement")
    DEFENCE = "defence", _("Defence")
    WAIVER = "waiver", _("Written waiver of statement and defence")


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("In force")
    STOPPED = "stopped", _("Stopped")
    WAIVED = "waived", _("Waived")
    DROPPED = "dropped", _("Dropped from the proposal")
