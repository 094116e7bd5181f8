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


#: R-RES-3 (HB 30): grounds only a profile with ``restoration_extra_grounds`` accepts.
EXTRA_GROUNDS = frozenset({RestorationMethod.OBLIGATIONS_PERFORMED, RestorationMethod.SETTLEMENT_PERFORMED})


class RestorationState(models.TextChoices):
    """received → accepted (or refused with reasons) → under review → granted / not granted (R-RES-1, R-RES-5)."""

    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    UNDER_REVIEW = "under_review", _("Under review")
    GRANTED = "granted", _("Granted")
    NOT_GRANTED = "not_granted", _("Not granted")
    REFUSED = "refused", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
