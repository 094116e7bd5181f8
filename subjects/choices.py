"""Choices of the subjects app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("Natural person")
    LEGAL_PERSON = "legal_person", _("Legal person")
    UNINCORPORATED = "unincorporated", _("Unincorporated organisation")


class IdentifierType(models.TextChoices):
    """R-CAT-8 (HL 19): identity card number for persons, unified social credit code for organisations."""

    RESIDENT_ID = "ric", _("Resident identity card number")
    USCC = "uscc", _("Unified social credit code")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    FOREIGN_PERMANENT_RESIDENT = "foreign_pr", _("Foreign permanent resident ID card")


PERSON_IDENTIFIER_TYPES = {
    IdentifierType.RESIDENT_ID,
    IdentifierType.PASSPORT,
    IdentifierType.HK_MACAO_PERMIT,
    IdentifierType.TAIWAN_PERMIT,
    IdentifierType.FOREIGN_PERMANENT_RESIDENT,
}


class Ownership(models.TextChoices):
    """Whether a designation must be reported upward (R-DES-9; HL 32)."""

    PRIVATE = "private", _("Private or other")
    STATE_ORGAN = "state_organ", _("State organ")
    STATE_OWNED = "state_owned", _("State-owned enterprise")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")


class RelatedRole(models.TextChoices):
    """Persons noted when an organisation is recorded or designated (R-REC-2; HN 25, HL 33, XJ 40)."""

    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    PRINCIPAL = "principal", _("Principal responsible person")
    ACTUAL_CONTROLLER = "actual_controller", _("Actual controller")
    DIRECTLY_RESPONSIBLE = "directly_responsible", _("Directly responsible person")


class BasisType(models.TextChoices):
    """Legally effective documents on which untrustworthy conduct may be recorded (R-REC-1; HN 24, HL 27)."""

    JUDGMENT = "judgment", _("Effective judicial judgment")
    ARBITRATION = "arbitration", _("Arbitration award")
    PUNISHMENT_DECISION = "punishment_decision", _("Administrative punishment decision")
    ADMINISTRATIVE_RULING = "administrative_ruling", _("Administrative ruling")
    OTHER_PRESCRIBED = "other_prescribed", _("Other legally prescribed document")


class RecordKind(models.TextChoices):
    UNTRUSTWORTHY = "untrustworthy", _("Untrustworthy")
    TRUSTWORTHY = "trustworthy", _("Trustworthy")


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    UNDER_OBJECTION = "under_objection", _("Under objection")
    CORRECTED = "corrected", _("Corrected")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Archived")
