"""Choices of the restoration app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RestorationMethod(models.TextChoices):
    """R-RES-1 (HN 32, HL 40) and R-RES-3 (HB 30)."""

    PLEDGE = "pledge", _("Credit pledge")
    RECTIFICATION = "rectification", _("Rectification")
    TRAINING = "training", _("Special training")
    PUBLIC_INTEREST = "public_interest", _("Public-interest activity")
    OBLIGATIONS_PERFORMED = "obligations_performed", _("Obligations performed")
    SETTLEMENT_PERFORMED = "settlement_performed", _("Enforcement settlement performed")


class RestorationState(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
