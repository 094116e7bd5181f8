"""Choices of the change feed (issue 23): what an entry is about, what happened to it, and why it was withdrawn.

The causes are the ones the case apps already name (a record's end, a listing's removal, a penalty's or a commitment's
withdrawal), in one vocabulary for the platform, with the labels those apps gave them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from designations.choices import RemovalReason
from restoration.choices import RestorationState
from subjects.choices import ArchiveReason, PenaltyWithdrawal, RecordEndCause, RecordStatus


class FeedKind(models.TextChoices):
    """What is published or shared: an entry of the public list of seriously untrustworthy entities
    (``designations.Publication``), a published credit commitment (``restoration.PublishedCommitment``), a published
    administrative penalty (``subjects.PublishedPenalty``), and a credit record shared with the platform
    (``subjects.CreditRecord`` on display, once any written notice before sharing was served: R-REC-3)."""

    LIST_ENTRY = "list_entry", _("Entry of the list of seriously untrustworthy entities")
    COMMITMENT = "commitment", _("Published credit commitment")
    PENALTY = "penalty", _("Published administrative penalty")
    RECORD = "record", _("Credit record shared with the platform")


class FeedOperation(models.TextChoices):
    NEW = "new", _("New")
    CHANGED = "changed", _("Changed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FeedCause(models.TextChoices):
    """Why something left the feed: the causes the case apps record, under their own labels. ``feed/sql.py`` maps
    each source's value to one of these (a listing removed for "expiry" or "basis expired" is ``expired``; a penalty's
    causes are these values already)."""

    EXPIRED = RecordEndCause.EXPIRED.value, RecordEndCause.EXPIRED.label
    RESTORED = RecordEndCause.RESTORED.value, RecordEndCause.RESTORED.label
    REVOKED = RecordEndCause.REVOKED.value, RecordEndCause.REVOKED.label
    OBJECTION_SUSTAINED = RecordEndCause.OBJECTION_SUSTAINED.value, RecordEndCause.OBJECTION_SUSTAINED.label
    CORRECTED = RecordEndCause.CORRECTED.value, RecordEndCause.CORRECTED.label
    SUBJECT_REQUEST = ArchiveReason.SUBJECT_REQUEST.value, ArchiveReason.SUBJECT_REQUEST.label
    DELETED = "deleted", RecordStatus.WITHDRAWN.label
    SUSPENDED = PenaltyWithdrawal.SUSPENDED.value, PenaltyWithdrawal.SUSPENDED.label
    HIDDEN = RecordStatus.HIDDEN.value, RecordStatus.HIDDEN.label
    UNPUBLISHED = PenaltyWithdrawal.UNPUBLISHED.value, PenaltyWithdrawal.UNPUBLISHED.label
    APPLICATION_WITHDRAWN = "application_withdrawn", RestorationState.WITHDRAWN.label
    NOT_GRANTED = RestorationState.NOT_GRANTED.value, RestorationState.NOT_GRANTED.label
    ENDED = PenaltyWithdrawal.ENDED.value, PenaltyWithdrawal.ENDED.label


#: How each source's own cause reads in the feed (``feed/sql.py`` writes these maps into the trigger functions).
LIST_ENTRY_CAUSES = {
    RemovalReason.EXPIRY: FeedCause.EXPIRED,
    RemovalReason.BASIS_EXPIRED: FeedCause.EXPIRED,
    RemovalReason.RESTORATION: FeedCause.RESTORED,
    RemovalReason.OBJECTION_ADOPTED: FeedCause.OBJECTION_SUSTAINED,
    RemovalReason.REVOCATION: FeedCause.REVOKED,
    RemovalReason.BASIS_CORRECTED: FeedCause.CORRECTED,
}
COMMITMENT_CAUSES = {
    RestorationState.WITHDRAWN: FeedCause.APPLICATION_WITHDRAWN,
    RestorationState.NOT_GRANTED: FeedCause.NOT_GRANTED,
}
PENALTY_CAUSES = {value: FeedCause(value) for value in PenaltyWithdrawal.values}
#: A record no longer shared: by its status, and an archived one by why it was archived.
RECORD_STATUS_CAUSES = {
    RecordStatus.SUSPENDED: FeedCause.SUSPENDED,
    RecordStatus.HIDDEN: FeedCause.HIDDEN,
    RecordStatus.WITHDRAWN: FeedCause.DELETED,
    RecordStatus.REVOKED: FeedCause.REVOKED,
}
RECORD_ARCHIVE_CAUSES = {
    ArchiveReason.PERIOD_ENDED: FeedCause.EXPIRED,
    ArchiveReason.RESTORED: FeedCause.RESTORED,
    ArchiveReason.SUBJECT_REQUEST: FeedCause.SUBJECT_REQUEST,
}
