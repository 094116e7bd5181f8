"""Choices of the objections app. The acts between the states are declared in workflow.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObjectionKind(models.TextChoices):
    OBJECTION = "objection", _("Objection")
    COMPLAINT = "complaint", _("Complaint about a non-public information collector")


class ObjectionTarget(models.TextChoices):
    """What an objection is about (R-OBJ-1): a credit record, a designation, or the subject's identifying data;
    a complaint (R-OBJ-7) is about a non-public information collector."""

    RECORD = "record", _("Credit record")
    DESIGNATION = "designation", _("Designation")
    IDENTITY = "identity", _("Identifying data of the subject")
    COLLECTOR = "collector", _("Non-public information collector")


class ObjectionGround(models.TextChoices):
    """What a subject may object to (R-OBJ-1; HN 30, HL 39, HB 29, XJ 45)."""

    ERROR = "error", _("Error")
    OMISSION = "omission", _("Omission")
    BEYOND_PERIOD = "beyond_period", _("Displayed beyond its period")
    RIGHTS_VIOLATION = "rights_violation", _("Violation of lawful rights")


class ObjectionState(models.TextChoices):
    """received → under verification (labelled) → [awaiting an assisting unit] → decided → answered; referred to
    the competent unit → answered; withdrawn by the applicant (objections/workflow.py)."""

    RECEIVED = "received", _("Received")
    VERIFYING = "verifying", _("Labelled; under verification")
    AWAITING_ASSISTANCE = "awaiting_assistance", _("Waiting for the assisting unit")
    REFERRED = "referred", _("Referred to the competent unit")
    DECIDED = "decided", _("Decided")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ObjectionOutcome(models.TextChoices):
    SUSTAINED = "sustained", _("Sustained: corrected or deleted")
    NOT_SUSTAINED = "not_sustained", _("Not sustained")


class RecordRemedy(models.TextChoices):
    """What a sustained objection to a credit record does to it (R-OBJ-6)."""

    CORRECT = "correct", _("Correct the record")
    WITHDRAW = "withdraw", _("Delete (withdraw) the record")


class PauseReason(models.TextChoices):
    """Time that does not count towards the answer deadline (R-OBJ-4; HL 39)."""

    EXAMINATION = "examination", _("Examination")
    TESTING = "testing", _("Testing")
    QUARANTINE = "quarantine", _("Quarantine")
    EVALUATION = "evaluation", _("Evaluation")
    APPRAISAL = "appraisal", _("Expert appraisal")
