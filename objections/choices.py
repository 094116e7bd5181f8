"""Choices of the objections app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectionGround(models.TextChoices):
    """What a subject may object to (R-OBJ-1; HN 30, HL 39, HB 29, XJ 45)."""

    ERROR = "error", _("Error")
    OMISSION = "omission", _("Omission")
    BEYOND_PERIOD = "beyond_period", _("Displayed beyond its period")
    RIGHTS_VIOLATION = "rights_violation", _("Violation of lawful rights")


class ObjectionState(models.TextChoices):
    """Only the states a service can reach today (objections/workflow.py). Labelling, another unit's
    verification, paused clocks and referral (R-OBJ-2 to R-OBJ-4) come back with the record-objection
    workflow that reaches them."""

    RECEIVED = "received", _("Received")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ObjectionOutcome(models.TextChoices):
    SUSTAINED = "sustained", _("Sustained: corrected or deleted")
    NOT_SUSTAINED = "not_sustained", _("Not sustained")
