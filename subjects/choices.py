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
    """Where a record stands (subjects/workflow.py declares the acts between them). "Under objection" is not a
    status but a label beside it (``CreditRecord.under_objection_since``, R-OBJ-2): a labelled record is still
    active, suspended or hidden."""

    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Disclosure and inquiry suspended")
    HIDDEN = "hidden", _("Hidden at the subject's request")
    WITHDRAWN = "withdrawn", _("Withdrawn (deleted)")
    REVOKED = "revoked", _("Revoked")
    ARCHIVED = "archived", _("Archived")


class ArchiveReason(models.TextChoices):
    """Why a record was archived (R-DIS-3, R-RES-4): it is never displayed again either way."""

    PERIOD_ENDED = "period_ended", _("Disclosure period ended")
    RESTORED = "restored", _("Credit restored")
    SUBJECT_REQUEST = "subject_request", _("Deleted at the subject's request")


class SharingFlag(models.TextChoices):
    """What the sharing platform must do with the copies it received (R-OBJ-6, R-REC-4, R-DIS-3, R-RES-4)."""

    NONE = "", _("Nothing pending")
    CHANGE = "change", _("Send the correction on")
    WITHDRAW = "withdraw", _("Withdraw the shared copies")


class RecordEndCause(models.TextChoices):
    """Why a credit record no longer grounds anything resting on it (``subjects.endings``): the one list every
    path that ends a record names its cause from, and every designation resting on it ends for."""

    EXPIRED = "expired", _("The disclosure period of the information ended")
    RESTORED = "restored", _("Credit restored")
    REVOKED = "revoked", _("The basis was revoked")
    OBJECTION_SUSTAINED = "objection_sustained", _("An objection to the information was sustained")
    CORRECTED = "corrected", _("The information was corrected and no longer supports it")


class PenaltyWithdrawal(models.TextChoices):
    """Why a published administrative penalty left the public page (``subjects.publication``): the record's end, by
    the cause it was announced with (``RecordEndCause``, the same values), or a change that is not an end."""

    EXPIRED = RecordEndCause.EXPIRED.value, RecordEndCause.EXPIRED.label
    RESTORED = RecordEndCause.RESTORED.value, RecordEndCause.RESTORED.label
    REVOKED = RecordEndCause.REVOKED.value, RecordEndCause.REVOKED.label
    OBJECTION_SUSTAINED = RecordEndCause.OBJECTION_SUSTAINED.value, RecordEndCause.OBJECTION_SUSTAINED.label
    #: SAMR-45 art. 12: the corrected information is published again at once, as corrected.
    CORRECTED = RecordEndCause.CORRECTED.value, _("The information was corrected (published again as corrected)")
    SUSPENDED = "suspended", _("Disclosure and inquiry suspended")
    UNPUBLISHED = "unpublished", _("The jurisdiction profile no longer publishes administrative penalties")
    ENDED = "ended", _("No longer on display")


class RevocationGround(models.TextChoices):
    """Why a basis document no longer holds (R-RES-6; HN 31, HL 38)."""

    REVOKED = "revoked", _("Revoked")
    ILLEGAL = "illegal", _("Found illegal")
    INVALID = "invalid", _("Found invalid")
    CHANGED = "changed", _("Changed by an effective legal document")
